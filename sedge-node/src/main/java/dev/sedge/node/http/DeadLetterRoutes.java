package dev.sedge.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.broker.Message.UserProperty;
import dev.sedge.node.deadletter.DeadLetter;
import dev.sedge.node.deadletter.DeadLetterReplayer;
import dev.sedge.node.deadletter.DeadLetterReplayer.ReplayOutcome;
import dev.sedge.node.deadletter.DeadLetterStore;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The dead letters of a function: list, replay and delete.
 *
 * <pre>
 * GET    /v1/functions/{name}/deadletters          the letters, oldest first
 * POST   /v1/functions/{name}/deadletters/replay   body {"id": N} or {"all": true}
 * DELETE /v1/functions/{name}/deadletters          all of them
 * DELETE /v1/functions/{name}/deadletters/{id}     one
 * </pre>
 *
 * <p>Thread-safe; called on a request's virtual thread, which waits for each replay. Replays of one
 * function run one request at a time, so that two requests never run the same letter twice.
 */
final class DeadLetterRoutes {

    /** What the routes need to know of a function. Thread-safe. */
    interface Functions {

        /** Whether the function is deployed. */
        boolean deployed(String name);

        /** How long one replay may take before it is given up, or null when the function is not active. */
        Duration replayBound(String name);
    }

    /** A replay request: one letter by id, or all of them (id null). */
    record ReplayRequest(Long id) {
        static final ReplayRequest ALL = new ReplayRequest(null);
    }

    private final DeadLetterStore store;
    private final DeadLetterReplayer replayer;
    private final Functions functions;
    private final ObjectMapper json;
    private final Responses responses;
    private final Map<String, ReentrantLock> replaying = new ConcurrentHashMap<>();

    DeadLetterRoutes(
            DeadLetterStore store,
            DeadLetterReplayer replayer,
            Functions functions,
            ObjectMapper json,
            Responses responses) {
        this.store = store;
        this.replayer = replayer;
        this.functions = functions;
        this.json = json;
        this.responses = responses;
    }

    /** {@code GET .../deadletters}. */
    FullHttpResponse list(String name) throws HttpError {
        requireLettersOrDeployment(name);
        ObjectNode out = json.createObjectNode();
        out.put("function", name);
        out.put("count", store.count(name));
        out.put("dropped", store.dropped(name));
        ArrayNode items = out.putArray("items");
        for (DeadLetter letter : store.list(name)) {
            items.add(item(letter));
        }
        return responses.ok(out);
    }

    /** {@code DELETE .../deadletters}. */
    FullHttpResponse deleteAll(String name) throws HttpError {
        requireLettersOrDeployment(name);
        return deleted(store.removeAll(name));
    }

    /** {@code DELETE .../deadletters/{id}}. */
    FullHttpResponse delete(String name, String idText) throws HttpError {
        long id = parseId(idText);
        if (!store.remove(name, id)) {
            throw noSuchLetter(name, id);
        }
        return deleted(1);
    }

    /**
     * {@code POST .../deadletters/replay}: runs the letters through the function again, one at a time in
     * id order, and removes each one whose replay has an outcome (a failed replay is recorded again, as a
     * new letter, by the replay itself). {@code all} means the letters stored when the replay starts: the
     * new letters of failed replays wait for the next request. A replay without an outcome (the replayer
     * failed, or gave none within the bound) counts as failed and leaves its letter in place.
     */
    FullHttpResponse replay(String name, FullHttpRequest request) throws HttpError {
        ReplayRequest wanted = parseReplay(request);
        Duration bound = functions.replayBound(name);
        if (bound == null) {
            throw HttpError.notFound("function \"" + name + "\" not found");
        }
        ReentrantLock lock = replaying.computeIfAbsent(name, n -> new ReentrantLock());
        lock.lock();
        try {
            List<Long> ids;
            if (wanted.id() != null) {
                if (store.get(name, wanted.id()).isEmpty()) {
                    throw noSuchLetter(name, wanted.id());
                }
                ids = List.of(wanted.id());
            } else {
                ids = store.list(name).stream().map(DeadLetter::id).toList();
            }
            ObjectNode out = json.createObjectNode();
            ArrayNode results = json.createArrayNode();
            int succeeded = 0;
            int failed = 0;
            for (long id : ids) {
                // Read again: a letter deleted while earlier ones ran is not replayed.
                Optional<DeadLetter> letter = store.get(name, id);
                if (letter.isEmpty()) {
                    continue;
                }
                ObjectNode result = results.addObject().put("id", id);
                String error = replayOne(name, letter.get(), bound);
                if (error == null) {
                    succeeded++;
                    result.put("outcome", "succeeded");
                } else {
                    failed++;
                    result.put("outcome", "failed").put("error", error);
                }
            }
            out.put("replayed", succeeded + failed);
            out.put("succeeded", succeeded);
            out.put("failed", failed);
            out.set("results", results);
            return responses.ok(out);
        } finally {
            lock.unlock();
        }
    }

    /** Replays one letter; null when it succeeded, else the one-line error. */
    private String replayOne(String name, DeadLetter letter, Duration bound) throws HttpError {
        ReplayOutcome outcome;
        try {
            outcome = replayer.replay(letter).get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "interrupted");
        } catch (ExecutionException e) {
            return "not replayed, the letter is kept: " + e.getCause();
        } catch (TimeoutException e) {
            return "no outcome within " + bound.toSeconds() + " s, the letter is kept";
        } catch (RuntimeException e) {
            return "not replayed, the letter is kept: " + e;
        }
        if (outcome == null) {
            return "not replayed, the letter is kept: the replay gave no outcome";
        }
        store.remove(name, letter.id());
        if (outcome.succeeded()) {
            return null;
        }
        String error = outcome.error() == null
                ? ""
                : outcome.error().lines().findFirst().orElse("");
        return error.isEmpty() ? "failed" : error;
    }

    private ObjectNode item(DeadLetter letter) {
        ObjectNode o = json.createObjectNode();
        o.put("id", letter.id());
        o.put("at", letter.at().toString());
        o.put("topic", letter.topic());
        o.put("qos", letter.qos());
        o.put("kind", letter.kind());
        o.put("error", letter.error());
        o.put("attempts", letter.attempts());
        byte[] payload = letter.payload();
        o.put("payloadBase64", Base64.getEncoder().encodeToString(payload));
        utf8(payload).ifPresent(text -> o.put("payloadText", text));
        ObjectNode p = o.putObject("properties");
        if (letter.contentType() != null) {
            p.put("contentType", letter.contentType());
        }
        if (letter.responseTopic() != null) {
            p.put("responseTopic", letter.responseTopic());
        }
        if (letter.correlationData() != null) {
            p.put("correlationDataBase64", Base64.getEncoder().encodeToString(letter.correlationData()));
        }
        if (letter.payloadUtf8() != null) {
            p.put("payloadUtf8", letter.payloadUtf8());
        }
        ArrayNode users = p.putArray("userProperties");
        for (UserProperty u : letter.userProperties()) {
            users.addObject().put("name", u.name()).put("value", u.value());
        }
        return o;
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            // A fresh decoder reports malformed input instead of replacing it.
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private void requireLettersOrDeployment(String name) throws HttpError {
        if (store.count(name) == 0 && !functions.deployed(name)) {
            throw HttpError.notFound("function \"" + name + "\" is not deployed and has no dead letters");
        }
    }

    private FullHttpResponse deleted(int n) {
        return responses.ok(json.createObjectNode().put("deleted", n));
    }

    private static HttpError noSuchLetter(String name, long id) {
        return HttpError.notFound("function \"" + name + "\" has no dead letter " + id);
    }

    private static long parseId(String text) throws HttpError {
        try {
            long id = Long.parseLong(text);
            if (id >= 1) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw HttpError.badRequest("id: \"" + text + "\" is not a dead letter id (a positive integer)");
    }

    /** Exactly one of {@code "id": N} and {@code "all": true}; anything else is refused naming the field. */
    ReplayRequest parseReplay(FullHttpRequest request) throws HttpError {
        JsonNode body;
        try {
            body = json.readTree(request.content().toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            throw HttpError.badRequest("body: expected a JSON object, {\"id\": N} or {\"all\": true}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!field.equals("id") && !field.equals("all")) {
                throw HttpError.badRequest("unknown field \"" + field + "\" (use id or all)");
            }
        }
        JsonNode id = body.get("id");
        JsonNode all = body.get("all");
        if (id != null && all != null) {
            throw HttpError.badRequest("id, all: give one of them, not both");
        }
        if (id == null && all == null) {
            throw HttpError.badRequest("body: give \"id\" (one letter) or \"all\": true");
        }
        if (all != null) {
            if (!all.isBoolean() || !all.booleanValue()) {
                throw HttpError.badRequest("all: must be true, was " + all);
            }
            return ReplayRequest.ALL;
        }
        if (!id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() < 1) {
            throw HttpError.badRequest("id: " + id + " is not a dead letter id (a positive integer)");
        }
        return new ReplayRequest(id.longValue());
    }
}
