package dev.sedge.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Builds the API's responses: JSON bodies, and errors as {@code {"error": "one line"}}. Thread-safe. */
final class Responses {

    private final ObjectMapper json;

    Responses(ObjectMapper json) {
        this.json = json;
    }

    FullHttpResponse json(HttpResponseStatus status, JsonNode body) {
        try {
            return text(status, json.writeValueAsString(body) + "\n", HttpHeaderValues.APPLICATION_JSON.toString());
        } catch (IOException e) {
            return text(
                    HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "{\"error\":\"cannot encode response\"}\n",
                    "application/json");
        }
    }

    ObjectNode objectNode() {
        return json.createObjectNode();
    }

    FullHttpResponse ok(JsonNode body) {
        return json(HttpResponseStatus.OK, body);
    }

    /** The error's first line only: a client prints it as one line. */
    FullHttpResponse error(HttpResponseStatus status, String message) {
        String oneLine = message == null
                ? status.reasonPhrase()
                : message.lines().findFirst().orElse("");
        return json(status, json.createObjectNode().put("error", oneLine));
    }

    static FullHttpResponse text(HttpResponseStatus status, String body, String contentType) {
        FullHttpResponse r = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return r;
    }
}
