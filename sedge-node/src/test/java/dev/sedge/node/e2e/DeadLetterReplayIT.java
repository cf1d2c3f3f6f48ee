package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.node.e2e.fixtures.AlwaysFails;
import dev.sedge.node.e2e.fixtures.Echo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function that always fails: after its retries every event is a dead letter kept on disk, each one
 * before its publisher's PUBACK, none lost; once a fixed release is deployed, {@code sedge dlq replay}
 * runs them all through it and their replies go where they would have.
 */
@Timeout(120)
class DeadLetterReplayIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int EVENTS = 40;

    @TempDir
    Path dir;

    private Path descriptor(String file, Path jar, Class<?> handler) throws Exception {
        Path d = dir.resolve(file);
        Files.writeString(d, """
                apiVersion: sedge.dev/v1alpha1
                kind: Function
                metadata: {name: releases}
                spec:
                  runtime: jvm
                  artifact: %s
                  handler: %s
                  retry: {max: 2, backoff: 5ms, maxBackoff: 20ms}
                  triggers:
                  - mqtt: {filter: "orders/+", qos: 1, response: {topic: "shipped/{topic.1}"}}
                """.formatted(jar, handler.getName()));
        return d;
    }

    private static int letters(RunningNode node) throws Exception {
        return JSON.readTree(node.get("/v1/functions/releases/deadletters").body())
                .path("count")
                .asInt();
    }

    @Test
    void everyFailedEventIsKeptBeforeItsAcknowledgementAndReplaysThroughTheFixedRelease() throws Exception {
        Path broken = FixtureJar.of(dir.resolve("broken.jar"), AlwaysFails.class);
        Path fixed = FixtureJar.of(dir.resolve("fixed.jar"), Echo.class);
        try (RunningNode node = new RunningNode(dir.resolve("data"));
                MqttClients.Client device = new MqttClients.Client(node.mqttPort(), "shop");
                MqttClients.Client watcher = new MqttClients.Client(node.mqttPort(), "watcher")) {
            RunningNode.Cli deploy = node.cli(
                    "deploy",
                    descriptor("broken.yaml", broken, AlwaysFails.class).toString());
            assertThat(deploy.exit()).as(deploy.err()).isZero();
            watcher.subscribe("$sedge/dlq/releases");
            watcher.subscribe("shipped/+");

            for (int i = 0; i < EVENTS; i++) {
                device.publish("orders/o" + i, "order " + i, 1); // returns once PUBACK has arrived
                // The letter was on disk before the PUBACK: no acknowledged event is only in memory.
                assertThat(letters(node))
                        .as("letters after %d acknowledgements", i + 1)
                        .isEqualTo(i + 1);
            }
            JsonNode list =
                    JSON.readTree(node.get("/v1/functions/releases/deadletters").body());
            assertThat(list.path("items")).hasSize(EVENTS);
            assertThat(list.path("items")).allSatisfy(item -> {
                assertThat(item.path("attempts").asInt()).isEqualTo(3);
                assertThat(item.path("kind").asText()).isEqualTo("error");
                assertThat(item.path("error").asText()).contains("broken release");
            });
            assertThat(list.path("items").get(7).path("topic").asText()).isEqualTo("orders/o7");
            assertThat(list.path("items").get(7).path("payloadText").asText()).isEqualTo("order 7");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> watcher.countsByTopic().getOrDefault("$sedge/dlq/releases", 0) == EVENTS);
            assertThat(node.metric("sedge_dead_letters_total{function=\"releases\",kind=\"error\"}"))
                    .isEqualTo(EVENTS);
            RunningNode.Cli table = node.cli("dlq", "list", "releases");
            assertThat(table.exit()).as(table.err()).isZero();
            assertThat(table.out()).contains("orders/o0").contains("broken release");

            RunningNode.Cli redeploy = node.cli(
                    "deploy", descriptor("fixed.yaml", fixed, Echo.class).toString());
            assertThat(redeploy.exit()).as(redeploy.err()).isZero();
            RunningNode.Cli replay = node.cli("dlq", "replay", "releases", "--all");
            assertThat(replay.exit()).as(replay.err()).isZero();
            assertThat(replay.out()).contains("replayed " + EVENTS + ": " + EVENTS + " succeeded, 0 failed");
            assertThat(letters(node)).isZero();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> watcher.countsByTopic().keySet().stream()
                                    .filter(t -> t.startsWith("shipped/"))
                                    .count()
                            == EVENTS);
            assertThat(watcher.received()).contains("shipped/o7 fixed order 7");
        }
    }
}
