package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.node.deadletter.DeadLetter;
import dev.sedge.node.deadletter.DeadLetterStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dead-letter routes and {@code sedge dlq} through a real node on loopback. The letters are written
 * into the node's data folder before it starts, as a node that failed on them earlier left them.
 */
@Timeout(60)
class DeadLetterApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dataDir;

    private RunningNode node;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startWithLetters() throws Exception {
        try (DeadLetterStore store = new DeadLetterStore(dataDir.resolve(DeadLetterStore.FILE_NAME), 10)) {
            for (String celsius : List.of("91", "92", "93")) {
                store.add(new DeadLetter(
                                0,
                                "alerts",
                                "sensors/7/temperature",
                                ("{\"celsius\": " + celsius + "}").getBytes(StandardCharsets.UTF_8),
                                1,
                                "application/json",
                                null,
                                null,
                                null,
                                List.of(),
                                "timeout",
                                "no answer within 2s",
                                3,
                                Instant.parse("2025-03-01T12:00:00Z")))
                        .get(10, TimeUnit.SECONDS);
            }
        }
        node = new RunningNode(dataDir);
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(node.url() + path))
                        .timeout(Duration.ofSeconds(30))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    @Test
    void lettersLeftByAnEarlierRunAreListedAndDeleted() throws Exception {
        HttpResponse<String> list = send("GET", "/v1/functions/alerts/deadletters", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list).get("count").asInt()).isEqualTo(3);
        assertThat(json(list).at("/items/0/payloadText").asText()).isEqualTo("{\"celsius\": 91}");

        HttpResponse<String> one = send("DELETE", "/v1/functions/alerts/deadletters/2", null);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).isEqualTo("{\"deleted\":1}\n");

        HttpResponse<String> rest = send("DELETE", "/v1/functions/alerts/deadletters", null);
        assertThat(rest.body()).isEqualTo("{\"deleted\":2}\n");
        assertThat(send("GET", "/v1/functions/alerts/deadletters", null).statusCode())
                .as("neither letters nor a deployment now")
                .isEqualTo(404);
    }

    @Test
    void mistakesAreOneLineErrors() throws Exception {
        assertThat(send("GET", "/v1/functions/ghost/deadletters", null).body())
                .isEqualTo("{\"error\":\"function \\\"ghost\\\" is not deployed and has no dead letters\"}\n");
        HttpResponse<String> badId = send("DELETE", "/v1/functions/alerts/deadletters/two", null);
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(json(badId).get("error").asText())
                .isEqualTo("id: \"two\" is not a dead letter id (a positive integer)");
        HttpResponse<String> unknownId = send("DELETE", "/v1/functions/alerts/deadletters/9", null);
        assertThat(unknownId.statusCode()).isEqualTo(404);
        assertThat(send("POST", "/v1/functions/alerts/deadletters", "{}").statusCode())
                .isEqualTo(405);
        assertThat(json(send("GET", "/v1/functions/alerts/deadletters/replay", null))
                        .get("error")
                        .asText())
                .isEqualTo("use POST on /v1/functions/alerts/deadletters/replay");
        assertThat(send("GET", "/v1/functions/alerts/deadletters/1/more", null).statusCode())
                .isEqualTo(404);
        HttpResponse<String> badBody =
                send("POST", "/v1/functions/alerts/deadletters/replay", "{\"id\": 1, \"all\": true}");
        assertThat(badBody.statusCode()).isEqualTo(400);
        HttpResponse<String> notActive = send("POST", "/v1/functions/alerts/deadletters/replay", "{\"all\": true}");
        assertThat(notActive.statusCode()).isEqualTo(404);
        assertThat(json(notActive).get("error").asText()).isEqualTo("function \"alerts\" not found");
    }

    @Test
    void theCliListsAsATableOrAsTheApiJsonAndDeletes() throws Exception {
        RunningNode.Cli table = node.cli("dlq", "list", "alerts");
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out().lines().toList())
                .containsExactly(
                        "ID   AT                     TOPIC                   KIND      ATTEMPTS   ERROR",
                        "1    2025-03-01T12:00:00Z   sensors/7/temperature   timeout   3          no answer within 2s",
                        "2    2025-03-01T12:00:00Z   sensors/7/temperature   timeout   3          no answer within 2s",
                        "3    2025-03-01T12:00:00Z   sensors/7/temperature   timeout   3          no answer within 2s");

        RunningNode.Cli asJson = node.cli("dlq", "list", "alerts", "-o", "json");
        assertThat(JSON.readTree(asJson.out())).isEqualTo(json(send("GET", "/v1/functions/alerts/deadletters", null)));

        RunningNode.Cli deleteOne = node.cli("dlq", "delete", "alerts", "--id", "1");
        assertThat(deleteOne.out()).isEqualTo("deleted 1 dead letter(s) of alerts\n");
        RunningNode.Cli deleteAll = node.cli("dlq", "delete", "alerts", "--all");
        assertThat(deleteAll.out()).isEqualTo("deleted 2 dead letter(s) of alerts\n");

        RunningNode.Cli gone = node.cli("dlq", "list", "alerts");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).isEqualTo("error: function \"alerts\" is not deployed and has no dead letters\n");
        RunningNode.Cli replay = node.cli("dlq", "replay", "alerts", "--all");
        assertThat(replay.exit()).isEqualTo(1);
        assertThat(replay.err()).isEqualTo("error: function \"alerts\" not found\n");
    }
}
