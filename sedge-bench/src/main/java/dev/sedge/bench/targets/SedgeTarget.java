package dev.sedge.bench.targets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.Function;
import dev.sedge.bench.proc.ChildProcess;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** The node's largest allowed per-session queue, for a target with a reply subscriber. */
    private static final int MAX_QUEUED_MESSAGES = 10_000_000;

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern STARTUP_LINE =
            Pattern.compile("(MQTT|HTTP API) listening on ([0-9.]+):(\\d+)|node up");

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
        ChildProcess node = ChildProcess.start("sedge node", command(workDir.resolve("node-data")), workDir);
        try {
            String host = null;
            int mqtt = 0;
            int http = 0;
            while (true) {
                Matcher m = node.awaitLine(STARTUP_LINE, START_TIMEOUT);
                if (m.group(1) == null) {
                    break; // "node up": both listeners are bound
                }
                host = m.group(2);
                if (m.group(1).equals("MQTT")) {
                    mqtt = Integer.parseInt(m.group(3));
                } else {
                    http = Integer.parseInt(m.group(3));
                }
            }
            if (mqtt == 0 || http == 0) {
                throw new IOException("the node did not say where it listens; last output:\n" + node.tailText());
            }
            NodeApi api = new NodeApi(URI.create("http://" + host + ":" + http));
            api.deploy(descriptor(jar, filter));
            return new RunningNode(node, api, host, mqtt, functionName);
        } catch (IOException | InterruptedException | RuntimeException e) {
            node.close();
            throw e;
        }
    }

    private List<String> command(Path dataDir) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Netty's native transport and its direct buffers, as the node's own launcher allows them.
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.addAll(nodeJvmArgs);
        cmd.add("-cp");
        cmd.add(absoluteClassPath());
        cmd.add("dev.sedge.node.cli.SedgeCli");
        cmd.addAll(List.of(
                "up", "--data-dir", dataDir.toString(), "--mqtt-port", "0", "--http-port", "0", "--bind", "127.0.0.1"));
        if (responseTopic != null) {
            // Replies go to a subscriber: lift the per-session limit of QoS 1 messages (1,000 by default),
            // as the Mosquitto baseline's is lifted, so a stall of the machine queues replies, not drops them.
            cmd.addAll(List.of("--max-queued-messages", Integer.toString(MAX_QUEUED_MESSAGES)));
        }
        return cmd;
    }

    /** This JVM's class path, which holds the node (a jar's manifest Class-Path is followed by the child too). */
    public static String absoluteClassPath() {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                entries.add(Path.of(e).toAbsolutePath().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
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

    /** The node's HTTP API, as far as the benchmark uses it. */
    private static final class NodeApi {
        private final URI base;
        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

        NodeApi(URI base) {
            this.base = base;
        }

        void deploy(String descriptor) throws IOException, InterruptedException {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(base.resolve("/v1/functions"))
                            .timeout(HTTP_TIMEOUT)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(descriptor))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 && r.statusCode() != 201) {
                throw new IOException(
                        "deploying the benchmark function failed: HTTP " + r.statusCode() + " " + r.body());
            }
        }

        String metrics() throws IOException, InterruptedException {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(base.resolve("/metrics"))
                            .timeout(HTTP_TIMEOUT)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("GET /metrics: HTTP " + r.statusCode());
            }
            return r.body();
        }

        void close() {
            http.close();
        }
    }

    private record RunningNode(ChildProcess node, NodeApi api, String host, int mqttPort, String function)
            implements Running {

        @Override
        public long pid() {
            return node.pid();
        }

        @Override
        public long completed() throws IOException, InterruptedException {
            if (!node.isAlive()) {
                throw new IOException("the node has exited; last output:\n" + node.tailText());
            }
            String text = api.metrics();
            double finished = PrometheusText.sum(text, "sedge_invocations_total", "function", function);
            double failed = PrometheusText.sum(text, "sedge_invocation_errors_total", "function", function);
            return Math.round(finished - failed);
        }

        @Override
        public void close() {
            api.close();
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
