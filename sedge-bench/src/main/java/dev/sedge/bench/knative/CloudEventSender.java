package dev.sedge.bench.knative;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * POSTs one MQTT message as a binary-mode CloudEvent (HTTP protocol binding of CloudEvents 1.0: the
 * attributes as {@code ce-*} headers, the payload as the body) over HTTP/1.1 keep-alive connections,
 * and completes only on a 2xx answer. Any other answer, or an I/O error, is tried again after a
 * growing pause, up to {@link #MAX_ATTEMPTS}; then the future fails. This is how a Knative source
 * delivers to its sink: the message is acknowledged upstream only once the sink took it.
 *
 * <p>Thread-safe. Lifecycle: construct, {@link #send} from any thread, {@link #close()}.
 */
public final class CloudEventSender implements AutoCloseable {

    public static final List<String> REQUIRED_HEADERS = List.of("ce-specversion", "ce-id", "ce-source", "ce-type");
    public static final String TYPE = "dev.sedge.bench.mqtt.message";
    public static final int MAX_ATTEMPTS = 20;

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final long FIRST_RETRY_MILLIS = 5;
    private static final long MAX_RETRY_MILLIS = 1_000;

    private final URI sink;
    private final String source;
    private final HttpClient http;

    /**
     * @param sink where to POST
     * @param source the {@code ce-source} of every event, such as {@code mqtt://127.0.0.1:1883}
     */
    public CloudEventSender(URI sink, String source) {
        this.sink = sink;
        this.source = source;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REQUEST_TIMEOUT)
                .build();
    }

    /** Sends one event; completes when the sink answered 2xx, fails after the last attempt. */
    public CompletableFuture<Void> send(String id, String topic, byte[] payload) {
        HttpRequest request = HttpRequest.newBuilder(sink)
                .timeout(REQUEST_TIMEOUT)
                .header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-source", source)
                .header("ce-type", TYPE)
                .header("ce-subject", topic)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
        CompletableFuture<Void> done = new CompletableFuture<>();
        attempt(request, 1, done);
        return done;
    }

    private void attempt(HttpRequest request, int attempt, CompletableFuture<Void> done) {
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error == null && response.statusCode() / 100 == 2) {
                done.complete(null);
                return;
            }
            String why = error != null ? error.toString() : "HTTP " + response.statusCode();
            if (attempt >= MAX_ATTEMPTS) {
                done.completeExceptionally(new java.io.IOException("the sink refused event "
                        + request.headers().firstValue("ce-id").orElse("?") + " " + attempt + " times; last: " + why));
                return;
            }
            long pause = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(attempt - 1, 20));
            Executor later = CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS);
            later.execute(() -> attempt(request, attempt + 1, done));
        });
    }

    @Override
    public void close() {
        http.close();
    }
}
