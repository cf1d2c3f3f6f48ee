package dev.sedge.bench.idle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.bench.targets.NodeApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Many functions of one module on one node: the benchmarks' no-op wasm guest deployed {@code size}
 * times through the HTTP API, each under its own name ({@code idle-0001}) with a trigger on its own
 * topic ({@code bench/idle/0001}), none started ({@code scale.initial: 0}), and a stable window long
 * enough that one event keeps an instance for the whole warm measurement ({@code scale.prewarm: knative}:
 * the window, not a keep-alive policy, decides). Immutable.
 *
 * @param size how many functions
 * @param window each function's {@code scale.window}
 */
record FunctionFleet(int size, Duration window) {

    static final String TOPIC_PREFIX = "bench/idle/";
    /** The module: one page of memory, no imports; its {@code handle} returns at once. */
    static final String MODULE = "/dev/sedge/bench/wasm/noop.wasm";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    String name(int i) {
        return String.format(Locale.ROOT, "idle-%05d", i);
    }

    String topic(int i) {
        return String.format(Locale.ROOT, TOPIC_PREFIX + "%05d", i);
    }

    List<String> topics() {
        List<String> t = new ArrayList<>(size);
        for (int i = 1; i <= size; i++) {
            t.add(topic(i));
        }
        return t;
    }

    /** Writes the module into {@code dir}; every function of the fleet deploys this file. */
    static Path writeModule(Path dir) throws IOException {
        try (InputStream in = FunctionFleet.class.getResourceAsStream(MODULE)) {
            if (in == null) {
                throw new IOException(MODULE + " is not on the class path");
            }
            return Files.write(dir.resolve("noop.wasm"), in.readAllBytes());
        }
    }

    /**
     * Deploys every function, one request after another.
     *
     * @throws IOException if a deploy fails, or all of them take longer than {@code bound}
     */
    void deploy(NodeApi api, Path module, Duration bound, PrintWriter progress, String label)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        long start = System.nanoTime();
        for (int i = 1; i <= size; i++) {
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "deployed only " + (i - 1) + " of " + size + " functions within " + bound.toSeconds() + " s");
            }
            api.deploy(descriptor(i, module));
            if (i % 100 == 0 || i == size) {
                progress.printf(
                        Locale.ROOT,
                        "%s: deployed %,d of %,d functions (%.1f s)%n",
                        label,
                        i,
                        size,
                        (System.nanoTime() - start) / 1e9);
                progress.flush();
            }
        }
    }

    String descriptor(int i, Path module) throws IOException {
        ObjectNode d = JSON.createObjectNode();
        d.put("apiVersion", "sedge.dev/v1alpha1");
        d.put("kind", "Function");
        d.putObject("metadata").put("name", name(i));
        ObjectNode spec = d.putObject("spec");
        spec.put("runtime", "wasm");
        spec.put("artifact", module.toAbsolutePath().toString());
        spec.put("handler", "handle");
        // Kept by Knative's window, whatever the node's default policy would do with one event.
        spec.putObject("scale")
                .put("initial", 0)
                .put("window", window.toSeconds() + "s")
                .put("prewarm", "knative");
        ObjectNode mqtt = spec.putArray("triggers").addObject().putObject("mqtt");
        mqtt.put("filter", topic(i));
        mqtt.put("qos", 1);
        mqtt.put("ack", "on-complete");
        return JSON.writeValueAsString(d);
    }

    /** Instances ready, over every function of the node ({@code GET /v1/functions}). */
    static int readyInstances(NodeApi api) throws IOException, InterruptedException {
        int ready = 0;
        for (JsonNode f : api.functions()) {
            ready += f.path("status").path("instances").path("ready").asInt();
        }
        return ready;
    }
}
