package dev.sedge.node.cli;

import dev.sedge.node.Node;
import dev.sedge.node.config.BridgeOptions;
import dev.sedge.node.config.ConfigException;
import dev.sedge.node.config.ConfigFile;
import dev.sedge.node.config.NodeConfig;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Starts a node in the foreground until SIGINT or SIGTERM. */
@Command(
        name = "up",
        description = "Start a node: the MQTT broker, the functions and the HTTP API, with embedded defaults.")
final class UpCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "A YAML configuration file (see docs/operations.md); the options below override it.")
    Path configFile;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Where the node keeps its state (default: ./sedge-data).")
    Path dataDir;

    @Option(names = "--mqtt-port", paramLabel = "N", description = "MQTT port (default: 1883; 0 picks a free one).")
    Integer mqttPort;

    @Option(names = "--http-port", paramLabel = "N", description = "HTTP API port (default: 8080; 0 picks a free one).")
    Integer httpPort;

    @Option(
            names = "--max-queued-messages",
            paramLabel = "N",
            description = "QoS 1/2 messages kept per client session; more are dropped, counted and logged"
                    + " (default: 1000).")
    Integer maxQueued;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            description = "Address every listener binds (default: 127.0.0.1; 0.0.0.0 opens the node to the network).")
    String bind;

    @Option(
            names = "--api-token",
            paramLabel = "TOKEN",
            description = "Require this bearer token on the HTTP API (default: $SEDGE_API_TOKEN, else http.apiToken).")
    String apiToken;

    @Option(
            names = "--bridge",
            paramLabel = "URL",
            description = "Bridge to an external MQTT broker, mqtt://HOST[:PORT] or mqtts://HOST[:PORT], so that"
                    + " nodes share its load: triggers subscribe there as shared subscriptions.")
    String bridgeUrl;

    @Option(
            names = "--bridge-topic",
            paramLabel = "FILTER",
            description = "Also route in messages on this filter from the external broker, shared in the group of"
                    + " --bridge-group (repeatable).")
    List<String> bridgeTopics = new ArrayList<>();

    @Option(
            names = "--bridge-client-id",
            paramLabel = "ID",
            description = "Client id on the external broker (default: one made once and kept in the data folder).")
    String bridgeClientId;

    @Option(
            names = "--bridge-username",
            paramLabel = "NAME",
            description = "User name on the external broker (default: $SEDGE_BRIDGE_USERNAME).")
    String bridgeUsername;

    @Option(
            names = "--bridge-password",
            paramLabel = "PASSWORD",
            description = "Password on the external broker (default: $SEDGE_BRIDGE_PASSWORD).")
    String bridgePassword;

    @Option(
            names = "--bridge-ca",
            paramLabel = "FILE",
            description = "PEM certificates to trust for mqtts:// instead of the JDK's trust store.")
    Path bridgeCa;

    @Option(
            names = "--bridge-group",
            paramLabel = "NAME",
            description = "Share name for triggers without a group and for --bridge-topic (default: "
                    + BridgeOptions.GROUP_DEFAULT + ").")
    String bridgeGroup;

    @Option(
            names = "--bridge-session-expiry",
            paramLabel = "DURATION",
            description = "How long the external broker keeps this node's session and queues its messages while the"
                    + " node is away (default: 1h).")
    String bridgeSessionExpiry;

    /** The configuration: the file's, or the defaults, with what the command line says on top. */
    NodeConfig config(String tokenFromEnvironment) throws CliException {
        try {
            NodeConfig base = configFile == null ? NodeConfig.defaults() : ConfigFile.read(configFile);
            String token = apiToken != null ? apiToken : tokenFromEnvironment;
            if (token != null && token.isEmpty()) {
                token = null;
            }
            return new NodeConfig(
                    dataDir != null ? dataDir : base.dataDir(),
                    bind != null ? bind : base.bindHost(),
                    mqttPort != null ? mqttPort : base.mqttPort(),
                    httpPort != null ? httpPort : base.httpPort(),
                    token != null ? token : base.apiToken(),
                    bind != null ? bind : base.httpBindHost(),
                    base.auth(),
                    base.tls(),
                    maxQueued != null ? maxQueued : base.maxQueuedMessages(),
                    bridgeOptions(),
                    base.scale(),
                    base.keepAlive());
        } catch (ConfigException | IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        NodeConfig config = config(System.getenv("SEDGE_API_TOKEN"));
        Node node = new Node(config);
        try {
            node.start();
        } catch (Exception e) {
            if (e instanceof BindException || String.valueOf(e.getMessage()).contains("Address already in use")) {
                throw new CliException("cannot start: an address is already in use (MQTT port " + config.mqttPort()
                        + (config.tls() != null ? ", TLS port " + config.tls().port() : "")
                        + ", HTTP port " + config.httpPort()
                        + "); stop the other server or choose --mqtt-port / --http-port");
            }
            throw new CliException("cannot start: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    // Straight to stderr: the JDK's logging closes its handlers in a shutdown hook of its own.
                    PrintStream err = System.err;
                    err.println(Instant.now() + " INFO dev.sedge.node: shutting down");
                    try {
                        node.close();
                        err.println(Instant.now() + " INFO dev.sedge.node: stopped");
                    } catch (RuntimeException e) {
                        err.println(Instant.now() + " ERROR dev.sedge.node: shutdown failed: " + e);
                    }
                    err.flush();
                    stopped.countDown();
                },
                "sedge-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.getLogger("dev.sedge.node")
                .log(
                        System.Logger.Level.INFO,
                        "node up: data in {0}; stop with Ctrl-C",
                        config.dataDir().toAbsolutePath());
        stopped.await();
        return 0;
    }

    /** The bridge options, or null without {@code --bridge}; refuses bridge options given without it. */
    private BridgeOptions bridgeOptions() {
        String username = bridgeUsername != null ? bridgeUsername : emptyToNull(System.getenv("SEDGE_BRIDGE_USERNAME"));
        String password = bridgePassword != null ? bridgePassword : emptyToNull(System.getenv("SEDGE_BRIDGE_PASSWORD"));
        if (bridgeUrl == null) {
            Map<String, Object> given = new LinkedHashMap<>();
            given.put("--bridge-topic", bridgeTopics.isEmpty() ? null : bridgeTopics);
            given.put("--bridge-client-id", bridgeClientId);
            given.put("--bridge-username", bridgeUsername);
            given.put("--bridge-password", bridgePassword);
            given.put("--bridge-ca", bridgeCa);
            given.put("--bridge-group", bridgeGroup);
            given.put("--bridge-session-expiry", bridgeSessionExpiry);
            for (Map.Entry<String, Object> e : given.entrySet()) {
                if (e.getValue() != null) {
                    throw new IllegalArgumentException(e.getKey() + ": needs --bridge URL");
                }
            }
            return null;
        }
        return BridgeOptions.parse(
                bridgeUrl,
                bridgeTopics,
                bridgeClientId,
                username,
                password,
                bridgeCa,
                bridgeGroup,
                bridgeSessionExpiry);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
