package dev.sedge.bench.scale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.bench.function.BurnFunction;
import dev.sedge.bench.targets.FunctionJar;
import dev.sedge.bench.targets.SedgeNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One way of running the scale scenario's function: a node of its own with {@link BurnFunction}
 * deployed between {@code min} and {@code max} instances, its trigger on {@link #FILTER} at QoS 1 with
 * {@code ack: on-complete}, and each result published to {@link #REPLY_TOPIC} for the generator's
 * subscriber. Immutable.
 *
 * @param name the report's target name
 * @param min the descriptor's {@code scale.min}
 * @param max {@code scale.max}
 * @param initial {@code scale.initial}
 */
record StepTarget(String name, int min, int max, int initial) {

    static final String AUTOSCALED = "sedge-autoscaled";
    static final String FIXED = "sedge-fixed";
    static final String FUNCTION = "bench-burn";
    static final String FILTER = "bench/scale/+";
    /** Level 2 of the request topic is the burn time; the reply keeps it. */
    static final String REPLY_TOPIC = "bench/scale-reply/{topic.2}";

    static final String REPLY_FILTER = "bench/scale-reply/+";

    /**
     * The node's own setting for the scenario. Knative's scale-to-zero grace period keeps a revision's
     * last instance until the activator is in its path; a Sedge dispatcher always is, so the period only
     * holds a function during its first 30 s after deploy, which a short run would measure instead of
     * the stable window.
     */
    static final String NODE_CONFIG = "scale: {scaleToZeroGracePeriod: 0s}\n";

    /** From zero, as many as the autoscaler wants up to {@code max}. */
    static StepTarget autoscaled(int max) {
        return new StepTarget(AUTOSCALED, 0, max, 0);
    }

    /** Always {@code n} instances, from deploy on. */
    static StepTarget fixed(int n) {
        return new StepTarget(FIXED, n, n, n);
    }

    boolean isFixed() {
        return min == max;
    }

    /** The request topic for a burn of {@code burn}. */
    static String topic(Duration burn) {
        return "bench/scale/" + burn.toNanos() / 1000;
    }

    /**
     * Starts a node with this function deployed; returns once it is deployed.
     *
     * @param window the function's stable window
     */
    SedgeNode start(Path workDir, Duration window, List<String> nodeJvmArgs) throws IOException, InterruptedException {
        Path jar = FunctionJar.write(BurnFunction.class, workDir.resolve(FUNCTION + ".jar"));
        Path config = Files.writeString(workDir.resolve("node.yaml"), NODE_CONFIG);
        SedgeNode node = SedgeNode.start(
                workDir,
                nodeJvmArgs,
                List.of(
                        "--config",
                        config.toString(),
                        // The reply subscriber's session: a stall queues replies instead of dropping them.
                        "--max-queued-messages",
                        Integer.toString(SedgeNode.MAX_QUEUED_MESSAGES)));
        try {
            node.api().deploy(descriptor(jar, window));
            return node;
        } catch (IOException | InterruptedException | RuntimeException e) {
            node.close();
            throw e;
        }
    }

    String descriptor(Path jar, Duration window) throws IOException {
        ObjectMapper json = JsonMapper.builder().build();
        ObjectNode d = json.createObjectNode();
        d.put("apiVersion", "sedge.dev/v1alpha1");
        d.put("kind", "Function");
        d.putObject("metadata").put("name", FUNCTION);
        ObjectNode spec = d.putObject("spec");
        spec.put("runtime", "jvm");
        spec.put("artifact", jar.toAbsolutePath().toString());
        spec.put("handler", BurnFunction.class.getName());
        spec.put("timeout", "30s");
        spec.put("concurrency", 1);
        spec.putObject("scale")
                .put("min", min)
                .put("max", max)
                .put("initial", initial)
                .put("window", window.toSeconds() + "s")
                .put("prewarm", "knative"); // the scenario measures Knative's way back to zero
        ObjectNode mqtt = spec.putArray("triggers").addObject().putObject("mqtt");
        mqtt.put("filter", FILTER);
        mqtt.put("qos", 1);
        mqtt.put("ack", "on-complete");
        mqtt.putObject("response").put("topic", REPLY_TOPIC);
        return json.writeValueAsString(d);
    }
}
