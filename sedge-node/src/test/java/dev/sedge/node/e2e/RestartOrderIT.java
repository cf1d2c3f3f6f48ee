package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.node.Node;
import dev.sedge.node.config.NodeConfig;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted node opens its MQTT listener only once every deployed function's trigger is back: a device
 * that connects and publishes the moment the port accepts gets its reply, instead of an acknowledgement
 * for a message no function ran.
 */
@Timeout(120)
class RestartOrderIT {

    private static final Path WAT_DIR =
            Path.of("..", "examples", "wasm-wat").toAbsolutePath().normalize();
    private static final int FUNCTIONS = 120;
    /** Restored last: the registry lists functions by name, and "echo-99" sorts after "echo-119". */
    private static final int LAST = 99;

    @TempDir
    Path dataDir;

    @TempDir
    Path work;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aMessagePublishedTheMomentThePortOpensFindsItsFunction() throws Exception {
        // Several functions, so that restoring them takes a while; the last one answers the message.
        Files.copy(WAT_DIR.resolve("echo_topic.wasm"), work.resolve("echo_topic.wasm"));
        try (RunningNode first = new RunningNode(dataDir)) {
            for (int i = 0; i < FUNCTIONS; i++) {
                String descriptor = """
                        apiVersion: sedge.dev/v1alpha1
                        kind: Function
                        metadata: {name: echo-%d}
                        spec:
                          runtime: wasm
                          artifact: %s
                          triggers:
                          - mqtt: {filter: "restart/%d/#", qos: 1, response: {topic: "answered/{topic.1}"}}
                        """.formatted(i, work.resolve("echo_topic.wasm"), i);
                HttpResponse<String> r = first.post("/v1/functions", "application/yaml", descriptor);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            }
        }
        int port = freePort();
        Node node = new Node(new NodeConfig(dataDir, "127.0.0.1", port, 0, null));
        CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
            try {
                node.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            // Connect the moment the port accepts (a refused attempt fails at once, nothing waits), then
            // subscribe and publish at once, byte by byte: no client library's start-up in between.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            RawMqtt device = null;
            while (device == null) {
                try {
                    device = RawMqtt.connect(port, "eager-device");
                } catch (java.net.ConnectException refused) {
                    assertThat(System.nanoTime()).as("the port never opened").isLessThan(deadline);
                    assertThat(started).as("the node failed to start").isNotCompletedExceptionally();
                }
            }
            try (RawMqtt d = device) {
                String topic = "restart/" + LAST + "/now";
                d.write(RawMqtt.subscribeQos0(1, "answered/#"));
                d.write(RawMqtt.publishQos1(topic, 2, "first".getBytes(StandardCharsets.UTF_8)));
                List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
                CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> {
                    try {
                        while (true) {
                            RawMqtt.Packet p = d.read();
                            seen.add(Integer.toHexString(p.type()));
                            if ((p.type() & 0xF0) == 0x30) {
                                return p.publishText();
                            }
                        }
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(reply.get(20, TimeUnit.SECONDS))
                        .as("packets before the reply: %s", seen)
                        .isEqualTo("answered/" + LAST + " " + topic + ": FIRST");
            }
            started.get(30, TimeUnit.SECONDS);
        } finally {
            node.close();
        }
    }
}
