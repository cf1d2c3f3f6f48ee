package dev.sedge.bench.targets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.Function;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Sedge node in a process of its own (so that its CPU time is its own), started from this class path
 * with {@code sedge up} on free loopback ports, with one jvm function deployed through the HTTP API whose
 * MQTT trigger takes the benchmark's topics at QoS 1 with {@code ack: on-complete}: the publisher's
 * PUBACK waits until the function has finished. Completions are the function's successful invocations,
 * read from the node's Prometheus metrics.
 *
 * <p>Immutable; each {@link #start} launches a new node.
 *
 * @param function the function class to deploy, packaged into a jar at start (see {@link FunctionJar})
 * @param functionName its name on the node
 * @param concurrency the descriptor's {@code spec.concurrency}
 * @param nodeJvmArgs extra options for the node's JVM (heap, a flight recording)
 * @param responseTopic the trigger's {@code response.topic} template, where the function's result is
 *     published, or null for none
 */
public record SedgeTarget(
        Class<? extends Function> function,
        String functionName,
        int concurrency,
        List<String> nodeJvmArgs,
        String responseTopic)
        implements Target {

    public static final String NAME = "sedge";
    public static final String FUNCTION_NAME_DEFAULT = "bench-noop";
    /**
     * The descriptor's own default, as a user deploys a function. A no-op is done at once, so a higher
     * limit does not raise throughput; it costs more CPU per message (a virtual thread started on the
     * broker's event loop for each event instead of on the finishing one).
     */
    public static final int CONCURRENCY_DEFAULT = 1;

    public SedgeTarget {
        nodeJvmArgs = List.copyOf(nodeJvmArgs);
        if (concurrency < 1 || concurrency > 10_000) {
            throw new IllegalArgumentException("--concurrency: " + concurrency + " is out of range (1..10000)");
        }
    }

    /** A node whose trigger publishes no reply. */
    public SedgeTarget(
            Class<? extends Function> function, String functionName, int concurrency, List<String> nodeJvmArgs) {
        this(function, functionName, concurrency, nodeJvmArgs, null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Running start(Path workDir, String filter) throws IOException, InterruptedException {
        Path jar = FunctionJar.write(function, workDir.resolve(functionName + ".jar"));
        List<String> upArgs = new ArrayList<>();
        if (responseTopic != null) {
            // Replies go to a subscriber: lift the per-session limit of QoS 1 messages (1,000 by default),
            // as the Mosquitto baseline's is lifted, so a stall of the machine queues replies, not drops them.
            upArgs.addAll(List.of("--max-queued-messages", Integer.toString(SedgeNode.MAX_QUEUED_MESSAGES)));
        }
        SedgeNode node = SedgeNode.start(workDir, nodeJvmArgs, upArgs);
        try {
            node.api().deploy(descriptor(jar, filter));
            return new RunningNode(node, functionName);
        } catch (IOException | InterruptedException | RuntimeException e) {
            node.close();
            throw e;
        }
    }

    private String descriptor(Path jar, String filter) throws IOException {
        ObjectMapper json = JsonMapper.builder().build();
        ObjectNode d = json.createObjectNode();
        d.put("apiVersion", "sedge.dev/v1alpha1");
        d.put("kind", "Function");
        d.putObject("metadata").put("name", functionName);
        ObjectNode spec = d.putObject("spec");
        spec.put("runtime", "jvm");
        spec.put("artifact", jar.toAbsolutePath().toString());
        spec.put("handler", function.getName());
        spec.put("timeout", "30s");
        spec.put("concurrency", concurrency);
        ObjectNode mqtt = spec.putArray("triggers").addObject().putObject("mqtt");
        mqtt.put("filter", filter);
        mqtt.put("qos", 1);
        mqtt.put("ack", "on-complete");
        if (responseTopic != null) {
            mqtt.putObject("response").put("topic", responseTopic);
        }
        return json.writeValueAsString(d);
    }

    private record RunningNode(SedgeNode node, String function) implements Running {

        @Override
        public String host() {
            return node.host();
        }

        @Override
        public int mqttPort() {
            return node.mqttPort();
        }

        @Override
        public long pid() {
            return node.pid();
        }

        @Override
        public long completed() throws IOException, InterruptedException {
            node.checkAlive();
            String text = node.api().metrics();
            double finished = PrometheusText.sum(text, "sedge_invocations_total", "function", function);
            double failed = PrometheusText.sum(text, "sedge_invocation_errors_total", "function", function);
            return Math.round(finished - failed);
        }

        @Override
        public void close() {
            node.close();
        }
    }

    /** The default: the no-op function, as {@code sedge bench} deploys it. */
    public static SedgeTarget noop(int concurrency, List<String> nodeJvmArgs) {
        return new SedgeTarget(
                dev.sedge.bench.function.NoopFunction.class, FUNCTION_NAME_DEFAULT, concurrency, nodeJvmArgs);
    }

    /**
     * The echo function, whose trigger publishes each result to {@code responseTopic}: what the latency
     * scenario's subscriber waits for.
     */
    public static SedgeTarget echo(List<String> nodeJvmArgs, String responseTopic) {
        return new SedgeTarget(
                dev.sedge.bench.function.EchoFunction.class,
                "bench-echo",
                CONCURRENCY_DEFAULT,
                nodeJvmArgs,
                responseTopic);
    }
}
