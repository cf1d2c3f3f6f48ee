package dev.sedge.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** Talks to a node's HTTP API for the CLI. Not thread-safe; one per command run. */
final class NodeClient {

    /** A response: status, headers and body. */
    record Response(int status, HttpResponse<byte[]> raw) {
        byte[] body() {
            return raw.body();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private final URI base;
    private final String token;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    NodeClient(String baseUrl, String token, ObjectMapper json) throws CliException {
        try {
            URI uri = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
            if (uri.getScheme() == null
                    || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            this.base = uri;
        } catch (IllegalArgumentException e) {
            throw new CliException("--node: invalid URL \"" + baseUrl + "\" (use http://host:port)");
        }
        this.token = token;
        this.json = json;
    }

    URI base() {
        return base;
    }

    Response get(String path) throws CliException {
        return send(request(path).GET());
    }

    Response delete(String path) throws CliException {
        return send(request(path).DELETE());
    }

    Response post(String path, byte[] body, Map<String, String> headers) throws CliException {
        HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b);
    }

    /** POSTs multipart/form-data with a text part and a file part. */
    Response postMultipart(String path, String textName, String text, String fileName, String fileField, byte[] file)
            throws CliException {
        String boundary = "sedge-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream(file.length + text.length() + 512);
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"" + textName + "\"\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        String fileHead = "\r\n--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"" + fileField + "\"; filename=\"" + fileName.replace("\"", "")
                + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        out.writeBytes(fileHead.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(file);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return post(path, out.toByteArray(), Map.of("Content-Type", "multipart/form-data; boundary=" + boundary));
    }

    /** The JSON body of a successful response; an error response becomes a {@link CliException}. */
    JsonNode ok(Response r) throws CliException {
        if (r.status() >= 400) {
            throw new CliException(errorMessage(r));
        }
        try {
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new CliException("the node sent a response that is not JSON (status " + r.status() + ")");
        }
    }

    /** The one-line error of an error response. */
    String errorMessage(Response r) {
        try {
            JsonNode body = json.readTree(r.body());
            if (body != null && body.hasNonNull("error")) {
                return body.get("error").asText();
            }
        } catch (IOException e) {
            // Not JSON: fall through to the status line.
        }
        return "the node answered HTTP " + r.status();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(10));
        if (token != null && !token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Response send(HttpRequest.Builder b) throws CliException {
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r);
        } catch (ConnectException e) {
            throw new CliException("cannot reach the node at " + base
                    + ": connection refused (is `sedge up` running? set --node or SEDGE_NODE)");
        } catch (IOException e) {
            throw new CliException("cannot reach the node at " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
