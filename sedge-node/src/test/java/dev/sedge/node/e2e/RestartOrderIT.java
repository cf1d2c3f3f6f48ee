package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.node.Node;
import dev.sedge.node.config.NodeConfig;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
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
    private static final int FUNCTIONS = 12;

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
                Path d = work.resolve("f" + i + ".yaml");
                Files.writeString(d, """
                        apiVersion: sedge.dev/v1alpha1
                        kind: Function
                        metadata: {name: echo-%d}
                        spec:
                          runtime: wasm
                          artifact: %s
                          triggers:
                          - mqtt: {filter: "restart/%d/#", qos: 1, response: {topic: "answered/{topic.1}"}}
                        """.formatted(i, work.resolve("echo_topic.wasm"), i));
                RunningNode.Cli deploy = first.cli("deploy", d.toString());
                assertThat(deploy.exit()).as(deploy.err()).isZero();
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
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, "eager-device", new MemoryPersistence());
        try {
            // Connect the moment the port accepts: each refused attempt fails at once, nothing waits.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    client.connect(new MqttConnectionOptions());
                    break;
                } catch (MqttException refused) {
                    assertThat(System.nanoTime()).as("the port never opened").isLessThan(deadline);
                    assertThat(started).as("the node failed to start").isNotCompletedExceptionally();
                }
            }
            CompletableFuture<String> reply = new CompletableFuture<>();
            client.subscribe(
                    new MqttSubscription[] {new MqttSubscription("answered/#", 1)}, new IMqttMessageListener[] {
                        (t, m) -> reply.complete(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8))
                    });
            MqttMessage m = new MqttMessage("first".getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            String topic = "restart/" + (FUNCTIONS - 1) + "/now";
            client.publish(topic, m);
            assertThat(reply.get(20, TimeUnit.SECONDS))
                    .isEqualTo("answered/" + (FUNCTIONS - 1) + " " + topic + ": FIRST");
            started.get(30, TimeUnit.SECONDS);
        } finally {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
            node.close();
        }
    }
}
