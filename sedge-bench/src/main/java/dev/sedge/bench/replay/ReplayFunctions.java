package dev.sedge.bench.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.bench.targets.NodeApi;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The replay's functions on the node: one echo function per trace key, named and triggered as {@link
 * KeyNames} says, each replying on {@code sedge-replay/<run>/<NNN>} so that one subscription takes every
 * reply of this run and none of another's. Serverful functions have {@code scale.min: 1}; serverless
 * ones no {@code spec.scale} at all, so the node's defaults decide.
 *
 * <p>Immutable; the methods that talk to the node are called from one thread.
 */
final class ReplayFunctions {

    static final String REPLY_PREFIX = "sedge-replay/";
    /** How often the node is asked whether the functions have settled after deploy. */
    private static final Duration POLL = Duration.ofMillis(100);

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final List<String> names;
    private final List<String> topics;
    private final List<String> replyTopics;
    private final String run;
    private final EchoArtifact artifact;
    private final int memoryMib;

    /**
     * @param keys the trace's keys that have events, in order of their first event
     * @param run this run's id, in the reply topics
     */
    ReplayFunctions(List<String> keys, String run, EchoArtifact artifact, int memoryMib) {
        this(functionNames(keys), KeyNames.topics(keys), run, 1, artifact, memoryMib);
    }

    private ReplayFunctions(
            List<String> names,
            List<String> topics,
            String run,
            int firstNumber,
            EchoArtifact artifact,
            int memoryMib) {
        this.names = List.copyOf(names);
        this.topics = List.copyOf(topics);
        this.replyTopics = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            replyTopics.add(REPLY_PREFIX + run + "/" + String.format(Locale.ROOT, "%03d", firstNumber + i));
        }
        this.run = run;
        this.artifact = artifact;
        this.memoryMib = memoryMib;
    }

    /**
     * The one function the node's warm-up goes to: {@code replay-000-warmup} (trace keys are numbered from
     * 001), triggered on {@code sedge-replay/<run>/warmup/events}, which no key's topic and no reply
     * filter can match, and replying on {@code sedge-replay/<run>/000}.
     */
    static ReplayFunctions warmUp(String run, EchoArtifact artifact, int memoryMib) {
        return new ReplayFunctions(
                List.of(KeyNames.FUNCTION_PREFIX + "000-warmup"),
                List.of(REPLY_PREFIX + run + "/warmup/events"),
                run,
                0,
                artifact,
                memoryMib);
    }

    private static List<String> functionNames(List<String> keys) {
        List<String> names = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            names.add(KeyNames.function(i, keys.get(i)));
        }
        return names;
    }

    int size() {
        return names.size();
    }

    Set<String> names() {
        return new LinkedHashSet<>(names);
    }

    /** Each function's trigger topic, by index. */
    String[] topics() {
        return topics.toArray(String[]::new);
    }

    /** The filter that takes every reply of this run. */
    String replyFilter() {
        return REPLY_PREFIX + run + "/+";
    }

    String descriptor(int i, ReplayMode mode) throws IOException {
        ObjectNode d = JSON.createObjectNode();
        d.put("apiVersion", "sedge.dev/v1alpha1");
        d.put("kind", "Function");
        d.putObject("metadata").put("name", names.get(i));
        ObjectNode spec = d.putObject("spec");
        spec.put("runtime", artifact.runtime());
        spec.put("artifact", artifact.fileName());
        spec.put("handler", artifact.handler());
        spec.putObject("resources").put("memory", memoryMib + "Mi");
        if (mode.scaleMin() != null) {
            spec.putObject("scale").put("min", mode.scaleMin());
        }
        ObjectNode mqtt = spec.putArray("triggers").addObject().putObject("mqtt");
        mqtt.put("filter", topics.get(i));
        mqtt.put("qos", 1);
        mqtt.put("ack", "on-complete");
        mqtt.putObject("response").put("topic", REPLY_PREFIX + run + "/" + String.format(Locale.ROOT, "%03d", i + 1));
        return JSON.writeValueAsString(d);
    }

    /** Deploys every function, uploading the artifact with each. */
    void deploy(NodeApi api, ReplayMode mode) throws IOException, InterruptedException {
        for (int i = 0; i < names.size(); i++) {
            api.deploy(descriptor(i, mode), artifact.fileName(), artifact.bytes());
        }
    }

    /**
     * Waits until no function has an instance starting and each has the mode's minimum ready, so that the
     * replay starts from the state the mode keeps (a serverful function is warm before its first event).
     *
     * @throws IOException if that takes longer than {@code bound}
     */
    void awaitSettled(NodeApi api, ReplayMode mode, Duration bound) throws IOException, InterruptedException {
        int min = mode.scaleMin() == null ? 0 : mode.scaleMin();
        long deadline = System.nanoTime() + bound.toNanos();
        for (String name : names) {
            while (true) {
                JsonNode instances = api.function(name).path("status").path("instances");
                if (instances.path("starting").asInt() == 0
                        && instances.path("ready").asInt() >= min) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(
                            name + " did not settle within " + bound.toSeconds() + " s of its deploy: " + instances);
                }
                Thread.sleep(POLL); // polling a remote node's status: there is nothing to wait on here
            }
        }
    }

    /** Removes every function; a failure is reported on {@code progress} and the rest are still removed. */
    void remove(NodeApi api, PrintWriter progress) throws InterruptedException {
        for (String name : names) {
            try {
                api.delete(name);
            } catch (IOException e) {
                progress.println("warning: could not remove " + name + ": " + e.getMessage());
                progress.flush();
            }
        }
    }
}
