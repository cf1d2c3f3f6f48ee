package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Deployed functions live in the data directory and come back, working, after a restart. */
@Timeout(120)
class NodeRestartIT {

    @TempDir
    Path dataDir;

    @Test
    void aDeployedFunctionSurvivesARestart() throws Exception {
        try (RunningNode first = new RunningNode(dataDir)) {
            RunningNode.Cli deploy = first.cli("deploy", RunningNode.EXAMPLE.toString());
            assertThat(deploy.exit()).as(deploy.err()).isZero();
        }
        try (RunningNode second = new RunningNode(dataDir)) {
            JsonNode list = JsonMapper.builder()
                    .build()
                    .readTree(second.cli("list", "-o", "json").out());
            assertThat(list).hasSize(1);
            assertThat(list.get(0).path("name").asText()).isEqualTo("temperature-alert");
            assertThat(list.get(0).path("status").path("active").asBoolean()).isTrue();

            MqttClient client =
                    new MqttClient("tcp://127.0.0.1:" + second.mqttPort(), "after-restart", new MemoryPersistence());
            client.connect(new MqttConnectionOptions());
            try {
                CompletableFuture<String> reply = new CompletableFuture<>();
                client.subscribe(
                        new MqttSubscription[] {new MqttSubscription("alerts/+", 1)},
                        new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {
                            (t, m) -> reply.complete(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8))
                        });
                MqttMessage m = new MqttMessage("{\"celsius\": 35}".getBytes(StandardCharsets.UTF_8));
                m.setQos(1);
                client.publish("sensors/back/temperature", m);
                assertThat(reply.get(20, TimeUnit.SECONDS))
                        .isEqualTo("alerts/back {\"sensor\":\"back\",\"celsius\":35.0,\"alert\":true}");
            } finally {
                client.disconnect();
                client.close();
            }
        }
    }
}
