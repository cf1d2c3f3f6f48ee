package dev.sedge.node.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.dataplane.time.Timers;
import dev.sedge.node.Node;
import dev.sedge.node.cli.SedgeCli;
import dev.sedge.node.config.KeepAliveConfig;
import dev.sedge.node.config.NodeConfig;
import dev.sedge.scaling.policy.KnativeKeepAlive;
import dev.sedge.scaling.policy.PolicyContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** A real node on free loopback ports with its own data directory, for end-to-end tests. */
final class RunningNode implements AutoCloseable {

    static final Path EXAMPLE = Path.of("..", "examples", "temperature-alert", "function.yaml")
            .toAbsolutePath()
            .normalize();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    final Path dataDir;
    final Node node;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RunningNode(Path dataDir) throws IOException, InterruptedException {
        this(new NodeConfig(dataDir, "127.0.0.1", 0, 0, null));
    }

    /** A node with this configuration; its ports should be 0. */
    RunningNode(NodeConfig config) throws IOException, InterruptedException {
        this(config, null);
    }

    /** A node whose dispatchers run on these timers (a fake clock the test steps), or the system's when null. */
    RunningNode(NodeConfig config, Timers timers) throws IOException, InterruptedException {
        this.dataDir = config.dataDir();
        this.node = new Node(config, timers);
        node.start();
    }

    /** A node on free loopback ports whose dispatchers run on a fake clock that the test steps. */
    static RunningNode onFakeClock(Path dataDir, Timers timers) throws IOException, InterruptedException {
        return new RunningNode(new NodeConfig(dataDir, "127.0.0.1", 0, 0, null), timers);
    }

    /**
     * A node whose functions scale to zero as Knative's autoscaler takes them there, with no keep-alive
     * policy, unless their descriptors name one: for tests that count instances after events.
     */
    static NodeConfig knative(NodeConfig config) {
        return config.withKeepAlive(new KeepAliveConfig(KnativeKeepAlive.NAME, PolicyContext.DEFAULTS));
    }

    /** The function's view from the API ({@code GET /v1/functions/NAME}), parsed. */
    JsonNode function(String name) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/v1/functions/" + name);
        if (r.statusCode() != 200) {
            throw new IOException("GET /v1/functions/" + name + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** A Prometheus sample's value from {@code /metrics}, or NaN when the series is not there. */
    double metric(String series) throws IOException, InterruptedException {
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    String url() {
        return "http://127.0.0.1:" + node.httpPort();
    }

    int mqttPort() {
        return node.mqttPort();
    }

    /** The outcome of one CLI run. */
    record Cli(int exit, String out, String err) {}

    /** Runs the real CLI in this JVM against this node. */
    Cli cli(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--node";
        all[args.length + 1] = url();
        return cliWithoutNode(all);
    }

    static Cli cliWithoutNode(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SedgeCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(exit, out.toString(), err.toString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url() + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String contentType, String body) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url() + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        node.close();
    }
}
