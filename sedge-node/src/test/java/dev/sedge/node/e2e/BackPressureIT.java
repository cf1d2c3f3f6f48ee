package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sedge.node.e2e.fixtures.Spin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow function under 10,000 QoS 1 and then 100,000 QoS 0 messages from several publishers: its queue
 * stays bounded, the publishers are slowed down by TCP (the node stops reading them while the queue is
 * full), and every message is processed: nothing dead-lettered, nothing dropped.
 */
@Timeout(240)
class BackPressureIT {

    private static final int QUEUE = 1000;
    private static final int PUBLISHERS = 4;
    private static final int QOS1_EACH = 2_500;
    private static final int QOS0_EACH = 25_000;
    private static final String F = "slow";

    @TempDir
    Path dir;

    /** Publishes with Paho's asynchronous client, up to 64 unacknowledged at a time, and waits for every PUBACK. */
    private static void publishQos1(int port, String clientId, String topic, int count) throws Exception {
        MqttAsyncClient c = new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setReceiveMaximum(64);
        c.connect(o).waitForCompletion(20_000);
        try {
            Semaphore window = new Semaphore(64);
            AtomicInteger acked = new AtomicInteger();
            for (int i = 0; i < count; i++) {
                window.acquire();
                MqttMessage m = new MqttMessage(("r" + i).getBytes(StandardCharsets.UTF_8));
                m.setQos(1);
                c.publish(topic, m, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        acked.incrementAndGet();
                        window.release();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        window.release();
                    }
                });
            }
            assertThat(window.tryAcquire(64, 60, TimeUnit.SECONDS))
                    .as("every PUBACK arrived")
                    .isTrue();
            assertThat(acked).hasValue(count);
        } finally {
            c.disconnect().waitForCompletion(10_000);
            c.close();
        }
    }

    @Test
    void aSlowFunctionSlowsItsPublishersDownAndLosesNothing() throws Exception {
        Path jar = FixtureJar.of(dir.resolve("spin.jar"), Spin.class);
        Path descriptor = dir.resolve("slow.yaml");
        Files.writeString(descriptor, """
                apiVersion: sedge.dev/v1alpha1
                kind: Function
                metadata: {name: %s}
                spec:
                  runtime: jvm
                  artifact: %s
                  handler: %s
                  scale: {max: 2, prewarm: knative}
                  queue: {max: %d}
                  triggers:
                  - mqtt: {filter: "load/#", qos: 1}
                """.formatted(F, jar, Spin.class.getName(), QUEUE));
        try (RunningNode node = new RunningNode(dir.resolve("data"))) {
            RunningNode.Cli deploy = node.cli("deploy", descriptor.toString());
            assertThat(deploy.exit()).as(deploy.err()).isZero();

            // 10,000 at QoS 1 from four Paho clients: each PUBACK waits for the function (ack: on-complete).
            List<CompletableFuture<Void>> qos1 = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                int n = p;
                qos1.add(CompletableFuture.runAsync(() -> {
                    try {
                        publishQos1(node.mqttPort(), "q1-" + n, "load/q1/" + n, QOS1_EACH);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            CompletableFuture.allOf(qos1.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            assertThat(node.metric("sedge_invocations_total{function=\"" + F + "\"}"))
                    .isEqualTo(PUBLISHERS * QOS1_EACH);

            // 100,000 at QoS 0 from four plain blocking sockets, as fast as TCP lets them.
            List<CompletableFuture<Void>> qos0 = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                int n = p;
                qos0.add(CompletableFuture.runAsync(() -> {
                    try {
                        RawMqtt.flood(node.mqttPort(), "q0-" + n, "load/q0/" + n, QOS0_EACH);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            CompletableFuture.allOf(qos0.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);

            int total = PUBLISHERS * (QOS1_EACH + QOS0_EACH);
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> node.metric("sedge_invocations_total{function=\"" + F + "\"}") == total);
            JsonNode status = node.function(F).path("status");
            assertThat(status.path("errors").asLong()).isZero();
            assertThat(node.get("/metrics").body()).doesNotContain("sedge_dead_letters_total{function=\"" + F);
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                            .readTree(node.get("/v1/functions/" + F + "/deadletters")
                                    .body())
                            .path("count")
                            .asInt())
                    .isZero();
            // The queue filled, the node stopped reading the publishers, and the queue stayed bounded: at most
            // what the paused publishers had already sent, far below the 100,000 they tried to.
            assertThat(node.metric("sedge_mqtt_publishers_paused_total")).isPositive();
            assertThat(status.path("queuePeak").asInt()).isBetween(QUEUE, 4 * QUEUE);
            // What a paused connection had already sent is held by the connection, not taken into the queue:
            // a few events at most go past its size (none were refused: no error, no dead letter above).
            assertThat(status.path("queueOverflows").asLong()).isLessThan(QUEUE);
            assertThat(node.metric("sedge_function_queue_overflow_total{function=\"" + F + "\"}"))
                    .isEqualTo(status.path("queueOverflows").asLong());
            assertThat(status.path("instances").path("ready").asInt()).isBetween(1, 2);
        }
    }
}
