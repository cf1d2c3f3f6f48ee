package dev.sedge.node.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.Serial;

/**
 * A request that cannot be answered with success: its status, and the one line the client sees as
 * {@code {"error": "..."}}. Thrown by the routes, answered by {@link ApiHandler}. Immutable.
 */
final class HttpError extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;

    HttpError(HttpResponseStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    HttpResponseStatus status() {
        return status;
    }

    static HttpError badRequest(String message) {
        return new HttpError(HttpResponseStatus.BAD_REQUEST, message);
    }

    static HttpError notFound(String message) {
        return new HttpError(HttpResponseStatus.NOT_FOUND, message);
    }

    static HttpError methodNotAllowed(String message) {
        return new HttpError(HttpResponseStatus.METHOD_NOT_ALLOWED, message);
    }
}
