package dev.sedge.bench.targets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * A node's HTTP API, as far as the benchmarks use it: deploying functions (the artifact as a path on the
 * node, or uploaded), removing them, reading a function's status and the Prometheus metrics. This is how
 * the harness sets a node up and watches it from outside; it is never on the path of the messages being
 * measured.
 *
 * <p>Thread-safe (the JDK's {@link HttpClient} is). Lifecycle: construct, use, {@link #close()}.
 */
public final class NodeApi implements AutoCloseable {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

    NodeApi(URI base) {
        this(base, null);
    }

    private NodeApi(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /**
     * The API of a node that runs already.
     *
     * @param base such as {@code http://127.0.0.1:8080}
     * @param token the bearer token the node asks for, or null
     */
    public static NodeApi at(URI base, String token) {
        return new NodeApi(base, token == null || token.isEmpty() ? null : token);
    }

    /** Where the API is, such as {@code http://127.0.0.1:8080}. */
    public URI base() {
        return base;
    }

    /** {@code POST /v1/functions} with a JSON descriptor; created or replaced. */
    public void deploy(String descriptor) throws IOException, InterruptedException {
        deployed(http.send(
                request("/v1/functions")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(descriptor))
                        .build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    /**
     * {@code POST /v1/functions} as {@code multipart/form-data}: the descriptor and its artifact uploaded,
     * so that the node need not share a file system with the harness.
     */
    public void deploy(String descriptor, String artifactName, byte[] artifact)
            throws IOException, InterruptedException {
        String boundary = "sedge-bench-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream(artifact.length + descriptor.length() + 512);
        body.writeBytes(("--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"descriptor\"\r\n"
                        + "Content-Type: application/json\r\n\r\n"
                        + descriptor
                        + "\r\n--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"artifact\"; filename=\"" + artifactName + "\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(artifact);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        deployed(http.send(
                request("/v1/functions")
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private static void deployed(HttpResponse<String> r) throws IOException {
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new IOException("deploying a benchmark function failed: HTTP " + r.statusCode() + " " + r.body());
        }
    }

    /** {@code DELETE /v1/functions/NAME}; false when the node has no such function. */
    public boolean delete(String name) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                request("/v1/functions/" + URLEncoder.encode(name, StandardCharsets.UTF_8))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return false;
        }
        if (r.statusCode() != 200) {
            throw new IOException("removing function " + name + " failed: HTTP " + r.statusCode() + " " + r.body());
        }
        return true;
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
        HttpResponse<String> r = http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(HTTP_TIMEOUT);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    @Override
    public void close() {
        http.close();
    }
}
