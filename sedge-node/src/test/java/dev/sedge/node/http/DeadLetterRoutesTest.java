package dev.sedge.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.broker.Message.UserProperty;
import dev.sedge.node.deadletter.DeadLetter;
import dev.sedge.node.deadletter.DeadLetterReplayer;
import dev.sedge.node.deadletter.DeadLetterReplayer.ReplayOutcome;
import dev.sedge.node.deadletter.DeadLetterStore;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The dead-letter routes on a real store, with a replayer and function lookup that the test controls. */
@Timeout(30)
class DeadLetterRoutesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant AT = Instant.parse("2025-03-01T12:00:00Z");

    @TempDir
    Path dir;

    private DeadLetterStore store;
    private final Set<String> deployed = new java.util.concurrent.CopyOnWriteArraySet<>(Set.of("alerts"));
    private final List<DeadLetter> replayed = new CopyOnWriteArrayList<>();
    private DeadLetterReplayer replayer;
    private DeadLetterRoutes routes;

    @BeforeEach
    void open() {
        store = new DeadLetterStore(dir.resolve(DeadLetterStore.FILE_NAME), 100);
        replayer = letter -> {
            replayed.add(letter);
            return CompletableFuture.completedFuture(ReplayOutcome.SUCCEEDED);
        };
        DeadLetterRoutes.Functions functions = new DeadLetterRoutes.Functions() {
            @Override
            public boolean deployed(String name) {
                return deployed.contains(name);
            }

            @Override
            public Duration replayBound(String name) {
                return deployed.contains(name) ? Duration.ofSeconds(5) : null;
            }
        };
        // The replayer is read through a lambda so that a test can swap it after the routes exist.
        routes = new DeadLetterRoutes(store, l -> replayer.replay(l), functions, JSON, new Responses(JSON));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private DeadLetter add(String function, byte[] payload) throws Exception {
        return store.add(new DeadLetter(
                        0,
                        function,
                        "sensors/7/temp",
                        payload,
                        1,
                        "application/json",
                        new byte[] {(byte) 0xca, (byte) 0xfe},
                        "replies/7",
                        Boolean.TRUE,
                        List.of(new UserProperty("site", "north")),
                        "error",
                        "boom",
                        3,
                        AT))
                .get(10, TimeUnit.SECONDS);
    }

    private DeadLetter add(String function, String payload) throws Exception {
        return add(function, payload.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode body(FullHttpResponse response) throws Exception {
        try {
            assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
            return JSON.readTree(response.content().toString(StandardCharsets.UTF_8));
        } finally {
            response.release();
        }
    }

    private static FullHttpRequest post(String body) {
        return new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1,
                HttpMethod.POST,
                "/v1/functions/alerts/deadletters/replay",
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    }

    private JsonNode replay(String name, String body) throws Exception {
        FullHttpRequest request = post(body);
        try {
            return body(routes.replay(name, request));
        } finally {
            request.release();
        }
    }

    private HttpError replayRefused(String name, String body) {
        FullHttpRequest request = post(body);
        try {
            return catchThrowableOfType(HttpError.class, () -> routes.replay(name, request));
        } finally {
            request.release();
        }
    }

    @Test
    void theListShowsEachLetterWithItsMessageAndFailure() throws Exception {
        add("alerts", "{\"celsius\": 99}");
        add("alerts", new byte[] {(byte) 0xff, 0x00});

        JsonNode list = body(routes.list("alerts"));

        assertThat(list.toString())
                .isEqualTo("{\"function\":\"alerts\",\"count\":2,\"dropped\":0,\"items\":["
                        + "{\"id\":1,\"at\":\"2025-03-01T12:00:00Z\",\"topic\":\"sensors/7/temp\",\"qos\":1,"
                        + "\"kind\":\"error\",\"error\":\"boom\",\"attempts\":3,"
                        + "\"payloadBase64\":\"eyJjZWxzaXVzIjogOTl9\",\"payloadText\":\"{\\\"celsius\\\": 99}\","
                        + "\"properties\":{\"contentType\":\"application/json\",\"responseTopic\":\"replies/7\","
                        + "\"correlationDataBase64\":\"yv4=\",\"payloadUtf8\":true,"
                        + "\"userProperties\":[{\"name\":\"site\",\"value\":\"north\"}]}},"
                        + "{\"id\":2,\"at\":\"2025-03-01T12:00:00Z\",\"topic\":\"sensors/7/temp\",\"qos\":1,"
                        + "\"kind\":\"error\",\"error\":\"boom\",\"attempts\":3,"
                        + "\"payloadBase64\":\"/wA=\","
                        + "\"properties\":{\"contentType\":\"application/json\",\"responseTopic\":\"replies/7\","
                        + "\"correlationDataBase64\":\"yv4=\",\"payloadUtf8\":true,"
                        + "\"userProperties\":[{\"name\":\"site\",\"value\":\"north\"}]}}]}");
    }

    @Test
    void aFunctionWithNeitherLettersNorDeploymentIsNotFound() throws Exception {
        HttpError e = catchThrowableOfType(HttpError.class, () -> routes.list("ghost"));
        assertThat(e.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("function \"ghost\" is not deployed and has no dead letters");

        assertThat(body(routes.list("alerts")).get("items"))
                .as("deployed, no letters")
                .isEmpty();

        add("deleted-since", "x");
        assertThat(body(routes.list("deleted-since")).get("count").asLong())
                .as("letters outlive their function")
                .isEqualTo(1);
    }

    @Test
    void replayingOneLetterRunsItAndRemovesIt() throws Exception {
        add("alerts", "a");
        DeadLetter second = add("alerts", "b");

        JsonNode result = replay("alerts", "{\"id\": 2}");

        assertThat(result.toString())
                .isEqualTo("{\"replayed\":1,\"succeeded\":1,\"failed\":0,"
                        + "\"results\":[{\"id\":2,\"outcome\":\"succeeded\"}]}");
        assertThat(replayed).containsExactly(second);
        assertThat(store.list("alerts")).extracting(DeadLetter::id).containsExactly(1L);
    }

    @Test
    void replayingAllRunsTheLettersStoredWhenItStartsInIdOrder() throws Exception {
        for (String p : List.of("a", "b", "c")) {
            add("alerts", p);
        }
        // As the real replay path does, a failed replay records the letter again, under a new id.
        replayer = letter -> {
            replayed.add(letter);
            if (letter.id() == 2) {
                store.add(letter).join();
                return CompletableFuture.completedFuture(new ReplayOutcome(false, "still broken\nat line 2"));
            }
            return CompletableFuture.completedFuture(ReplayOutcome.SUCCEEDED);
        };

        JsonNode result = replay("alerts", "{\"all\": true}");

        assertThat(result.toString())
                .isEqualTo("{\"replayed\":3,\"succeeded\":2,\"failed\":1,\"results\":["
                        + "{\"id\":1,\"outcome\":\"succeeded\"},"
                        + "{\"id\":2,\"outcome\":\"failed\",\"error\":\"still broken\"},"
                        + "{\"id\":3,\"outcome\":\"succeeded\"}]}");
        assertThat(replayed).extracting(DeadLetter::id).containsExactly(1L, 2L, 3L);
        assertThat(store.list("alerts"))
                .as("only the new letter of the failed replay is left")
                .extracting(DeadLetter::id)
                .containsExactly(4L);
    }

    @Test
    void aReplayWithoutAnOutcomeKeepsItsLetter() throws Exception {
        add("alerts", "a");
        replayer = letter -> CompletableFuture.failedFuture(new IllegalStateException("dispatcher closed"));

        JsonNode result = replay("alerts", "{\"all\": true}");

        assertThat(result.get("failed").asInt()).isEqualTo(1);
        assertThat(result.at("/results/0/error").asText())
                .isEqualTo("not replayed, the letter is kept: java.lang.IllegalStateException: dispatcher closed");
        assertThat(store.count("alerts")).isEqualTo(1);
    }

    @Test
    void aReplayOfAFunctionNotActiveOrOfAnUnknownIdIsNotFound() throws Exception {
        add("ghost", "a");

        HttpError inactive = replayRefused("ghost", "{\"all\": true}");
        HttpError unknownId = replayRefused("alerts", "{\"id\": 9}");

        assertThat(inactive.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(inactive.getMessage()).isEqualTo("function \"ghost\" not found");
        assertThat(unknownId.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(unknownId.getMessage()).isEqualTo("function \"alerts\" has no dead letter 9");
        assertThat(replayed).isEmpty();
    }

    @Test
    void aReplayBodyMustHoldExactlyOneOfIdAndAll() {
        assertThat(replayRefused("alerts", "{\"id\": 1, \"all\": true}"))
                .hasMessage("id, all: give one of them, not both");
        assertThat(replayRefused("alerts", "{}")).hasMessage("body: give \"id\" (one letter) or \"all\": true");
        assertThat(replayRefused("alerts", "{\"ids\": [1]}")).hasMessage("unknown field \"ids\" (use id or all)");
        assertThat(replayRefused("alerts", "{\"id\": \"3\"}"))
                .hasMessage("id: \"3\" is not a dead letter id (a positive integer)");
        assertThat(replayRefused("alerts", "{\"id\": 0}"))
                .hasMessage("id: 0 is not a dead letter id (a positive integer)");
        assertThat(replayRefused("alerts", "{\"id\": 1.5}"))
                .hasMessage("id: 1.5 is not a dead letter id (a positive integer)");
        assertThat(replayRefused("alerts", "{\"all\": false}")).hasMessage("all: must be true, was false");
        assertThat(replayRefused("alerts", "[1]"))
                .hasMessage("body: expected a JSON object, {\"id\": N} or {\"all\": true}");
        assertThat(replayRefused("alerts", ""))
                .hasMessage("body: expected a JSON object, {\"id\": N} or {\"all\": true}");
        assertThat(replayRefused("alerts", "{\"id\": 1"))
                .hasMessage("body: expected a JSON object, {\"id\": N} or {\"all\": true}");
        assertThat(replayRefused("alerts", "{}").status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
    }

    @Test
    void deleteTakesOneLetterOrAll() throws Exception {
        for (String p : List.of("a", "b", "c")) {
            add("alerts", p);
        }

        assertThat(body(routes.delete("alerts", "2")).toString()).isEqualTo("{\"deleted\":1}");
        HttpError again = catchThrowableOfType(HttpError.class, () -> routes.delete("alerts", "2"));
        HttpError notAnId = catchThrowableOfType(HttpError.class, () -> routes.delete("alerts", "two"));
        assertThat(body(routes.deleteAll("alerts")).toString()).isEqualTo("{\"deleted\":2}");
        assertThat(body(routes.deleteAll("alerts")).toString()).isEqualTo("{\"deleted\":0}");
        HttpError ghost = catchThrowableOfType(HttpError.class, () -> routes.deleteAll("ghost"));

        assertThat(again.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(again.getMessage()).isEqualTo("function \"alerts\" has no dead letter 2");
        assertThat(notAnId.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(notAnId.getMessage()).isEqualTo("id: \"two\" is not a dead letter id (a positive integer)");
        assertThat(ghost.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(store.count("alerts")).isZero();
    }
}
