package dev.sedge.bench.targets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A node's HTTP API, as far as the benchmarks use it: deploying functions, reading a function's status
 * and the Prometheus metrics. This is how the harness sets a node up and watches it from outside; it is
 * never on the path of the messages being measured.
 *
 * <p>Thread-safe (the JDK's {@link HttpClient} is). Lifecycle: construct, use, {@link #close()}.
 */
public final class NodeApi implements AutoCloseable {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

    NodeApi(URI base) {
        this.base = base;
    }

    /** {@code POST /v1/functions} with a JSON descriptor; created or replaced. */
    public void deploy(String descriptor) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(base.resolve("/v1/functions"))
                        .timeout(HTTP_TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(descriptor))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new IOException("deploying a benchmark function failed: HTTP " + r.statusCode() + " " + r.body());
        }
    }

    /** {@code GET /v1/functions/NAME}: the function's view, whose {@code status} has its instances. */
    public JsonNode function(String name) throws IOException, InterruptedException {
        return JSON.readTree(get("/v1/functions/" + URLEncoder.encode(name, StandardCharsets.UTF_8)));
    }

    /** {@code GET /v1/functions}: every function's view. */
    public JsonNode functions() throws IOException, InterruptedException {
        return JSON.readTree(get("/v1/functions"));
    }

    /** {@code GET /metrics}: the Prometheus text exposition. */
    public String metrics() throws IOException, InterruptedException {
        return get("/metrics");
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(base.resolve(path)).timeout(HTTP_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    @Override
    public void close() {
        http.close();
    }
}
