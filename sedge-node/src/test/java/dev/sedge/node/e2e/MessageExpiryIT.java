package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.dataplane.time.ManualTimers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An MQTT 5 message whose expiry passes while it waits for an instance goes to the dead letters, not to
 * the function. A real client (Paho) sets the Message Expiry Interval; the node's dispatchers run on a
 * fake clock that the test moves past it while the message waits behind a held event.
 */
@Timeout(60)
class MessageExpiryIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void aMessageThatExpiresWhileItWaitsIsADeadLetterAndNeverRuns() throws Exception {
        ManualTimers timers = new ManualTimers(0);
        try (GatedFunction f = new GatedFunction(dir, "held", 1, "held/+");
                RunningNode node = RunningNode.onFakeClock(dir.resolve("data"), timers)) {
            assertThat(node.cli("deploy", f.descriptor.toString()).exit()).isZero();
            MqttClient client = new MqttClient("tcp://127.0.0.1:" + node.mqttPort(), "sensor", new MemoryPersistence());
            client.connect(new MqttConnectionOptions());
            try {
                client.publish("held/first", message("no expiry", null));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> node.function("held")
                                        .path("status")
                                        .path("running")
                                        .asInt()
                                == 1);
                client.publish("held/second", message("expires in 5 s", 5L));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> node.function("held")
                                        .path("status")
                                        .path("queue")
                                        .asInt()
                                == 1);

                timers.advance(Duration.ofSeconds(6)); // past its expiry, while it still waits
                f.gate.release(2);

                await().atMost(Duration.ofSeconds(20))
                        .until(() -> JSON.readTree(node.get("/v1/functions/held/deadletters")
                                                .body())
                                        .path("count")
                                        .asInt()
                                == 1);
                JsonNode letter = JSON.readTree(
                                node.get("/v1/functions/held/deadletters").body())
                        .path("items")
                        .get(0);
                assertThat(letter.path("topic").asText()).isEqualTo("held/second");
                assertThat(letter.path("kind").asText()).isEqualTo("expired");
                assertThat(letter.path("attempts").asInt()).isZero();
                assertThat(node.metric("sedge_invocation_errors_total{function=\"held\",kind=\"expired\"}"))
                        .isEqualTo(1.0);
                // Only the first ran: the gate let two through, and one permit is still there.
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> node.metric("sedge_invocations_total{function=\"held\"}") == 2.0);
                assertThat(f.gate.availablePermits()).isEqualTo(1);
            } finally {
                client.disconnect();
                client.close();
            }
        }
    }

    private static MqttMessage message(String text, Long expirySeconds) {
        MqttMessage m = new MqttMessage(text.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        if (expirySeconds != null) {
            MqttProperties p = new MqttProperties();
            p.setMessageExpiryInterval(expirySeconds);
            m.setProperties(p);
        }
        return m;
    }
}
