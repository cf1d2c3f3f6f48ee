package dev.sedge.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.Event;
import dev.sedge.api.Result;
import dev.sedge.dataplane.Outcome;
import dev.sedge.node.runtime.FunctionHost;
import dev.sedge.node.runtime.LiveFunction;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /v1/functions/{name}/invoke}: the body becomes one event's data, and the function's
 * outcome the response. Thread-safe; called on a request's virtual thread, which waits for the outcome.
 */
final class InvokeRoute {

    private final FunctionHost host;
    private final Clock clock;
    private final ObjectMapper json;
    private final Responses responses;
    private final AtomicLong invokeSeq = new AtomicLong();

    InvokeRoute(FunctionHost host, Clock clock, ObjectMapper json, Responses responses) {
        this.host = host;
        this.clock = clock;
        this.json = json;
        this.responses = responses;
    }

    /**
     * How long to wait for one event's outcome. The dispatcher ends every attempt at the function's
     * timeout; this bound only guards against a bug.
     */
    static Duration outcomeBound(LiveFunction live) {
        // Each attempt may also wait its retry backoff (at most maxBackoff), and every trigger's retries count.
        int retries = Math.max(
                live.descriptor().retry().maxRetries(),
                live.descriptor().triggers().stream()
                        .mapToInt(t -> t.maxRetries())
                        .max()
                        .orElse(0));
        long perAttempt = live.descriptor().timeout().toMillis()
                + live.descriptor().retry().maxBackoff().toMillis();
        return Duration.ofMillis(perAttempt * (1 + retries) + 60_000);
    }

    FullHttpResponse invoke(String name, FullHttpRequest request) throws HttpError {
        LiveFunction live = host.get(name);
        if (live == null) {
            throw HttpError.notFound("function \"" + name + "\" not found");
        }
        var h = request.headers();
        Event event = Event.builder()
                .id(h.get("ce-id", "http-" + invokeSeq.incrementAndGet()))
                .source(h.get("ce-source", "/sedge/http"))
                .type(h.get("ce-type", "dev.sedge.http.invoke"))
                .subject(h.get("ce-subject"))
                .time(clock.instant())
                .dataContentType(h.get(HttpHeaderNames.CONTENT_TYPE))
                .data(ByteBufUtil.getBytes(request.content()))
                .build();
        Outcome outcome;
        try {
            outcome = live.dispatcher().dispatch(event).get(outcomeBound(live).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "interrupted");
        } catch (TimeoutException | ExecutionException e) {
            throw new HttpError(HttpResponseStatus.GATEWAY_TIMEOUT, "no outcome: " + e);
        }
        FullHttpResponse response = switch (outcome) {
            case Outcome.Success s -> success(s.result());
            case Outcome.Failure f -> {
                HttpResponseStatus status = switch (f.kind()) {
                    case ERROR -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
                    case TIMEOUT -> HttpResponseStatus.GATEWAY_TIMEOUT;
                    case START_FAILED, REJECTED, EXPIRED -> HttpResponseStatus.SERVICE_UNAVAILABLE;
                };
                ObjectNode body = json.createObjectNode()
                        .put("error", f.message())
                        .put("kind", f.kind().label());
                yield responses.json(status, body);
            }
        };
        Outcome.Info info = outcome.info();
        response.headers()
                .set("Sedge-Invocation-Id", info.invocationId())
                .set("Sedge-Cold-Start", String.valueOf(info.coldStart()))
                .set("Sedge-Attempts", String.valueOf(info.attempts()))
                .set("Sedge-Duration-Us", String.valueOf(info.durationNanos() / 1000));
        if (!info.coldStartPhases().isEmpty()) {
            response.headers().set("Sedge-Cold-Start-Phases", phasesHeader(info.coldStartPhases()));
        }
        return response;
    }

    /** {@code fetch=12.3, compile=450.0, ...}: each phase in microseconds, in phase order. */
    private static String phasesHeader(Map<String, Duration> phases) {
        StringBuilder b = new StringBuilder();
        phases.forEach((phase, took) -> {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(phase).append('=').append(String.format(Locale.ROOT, "%.1f", took.toNanos() / 1000.0));
        });
        return b.toString();
    }

    private static FullHttpResponse success(Result result) {
        if (result.isEmpty()) {
            return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(result.data()));
        if (result.contentType() != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, result.contentType());
        }
        return r;
    }
}
