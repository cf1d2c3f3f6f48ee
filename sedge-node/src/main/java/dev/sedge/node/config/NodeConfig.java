package dev.sedge.node.config;

import dev.sedge.broker.session.SessionLimits;
import dev.sedge.broker.tls.ClientAuthMode;
import dev.sedge.scaling.ScaleSettings;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a node starts: where it keeps its state, where it listens, and who may use its MQTT listeners.
 * Immutable; validated on construction, with the bad value and the allowed range in the message.
 *
 * @param dataDir the state directory (registry, artifacts)
 * @param bindHost the address the MQTT listeners (plain and TLS) bind
 * @param mqttPort the MQTT port, 0 for any free port
 * @param httpPort the HTTP API port, 0 for any free port
 * @param apiToken a bearer token the HTTP API requires, or null for none
 * @param httpBindHost the address the HTTP API binds
 * @param auth users, ACLs and anonymous access of the MQTT listeners
 * @param tls the MQTT-over-TLS listener, or null for none
 * @param maxQueuedMessages QoS 1 and 2 messages the broker keeps per client session; more are dropped,
 *     counted and logged
 * @param bridge the bridge to an external broker, or null for none
 * @param scale the scaling settings of every function, under what its own {@code spec.scale} says
 * @param keepAlive the keep-alive policy of every function whose descriptor names none, and what the
 *     policies are told about the node
 */
public record NodeConfig(
        Path dataDir,
        String bindHost,
        int mqttPort,
        int httpPort,
        String apiToken,
        String httpBindHost,
        AuthConfig auth,
        TlsListenerConfig tls,
        int maxQueuedMessages,
        BridgeOptions bridge,
        ScaleSettings scale,
        KeepAliveConfig keepAlive) {

    public static final Path DATA_DIR_DEFAULT = Path.of("sedge-data");
    /** Loopback by default, as Mosquitto 2 does: opening the node to the network is a choice. */
    public static final String BIND_HOST_DEFAULT = "127.0.0.1";

    public static final int MQTT_PORT_DEFAULT = 1883;
    public static final int HTTP_PORT_DEFAULT = 8080;
    public static final int MAX_QUEUED_MESSAGES_DEFAULT = SessionLimits.MAX_QUEUED_PER_CLIENT_DEFAULT;

    public NodeConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        if (maxQueuedMessages < 1 || maxQueuedMessages > 10_000_000) {
            throw new IllegalArgumentException("--max-queued-messages / mqtt.maxQueuedMessages: " + maxQueuedMessages
                    + " is out of range 1..10000000");
        }
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(scale, "scale");
        Objects.requireNonNull(keepAlive, "keepAlive");
        if (bindHost == null || bindHost.isBlank()) {
            throw new IllegalArgumentException("--bind / mqtt.bind: must not be empty");
        }
        if (httpBindHost == null || httpBindHost.isBlank()) {
            throw new IllegalArgumentException("--bind / http.bind: must not be empty");
        }
        checkPort("--mqtt-port", mqttPort);
        checkPort("--http-port", httpPort);
        if (mqttPort != 0 && mqttPort == httpPort) {
            throw new IllegalArgumentException("the MQTT port (--mqtt-port, mqtt.port) and the HTTP port (--http-port,"
                    + " http.port) are both " + mqttPort);
        }
        if (tls != null && tls.port() != 0 && (tls.port() == mqttPort || tls.port() == httpPort)) {
            throw new IllegalArgumentException("tls.port: " + tls.port() + " is already the "
                    + (tls.port() == mqttPort
                            ? "MQTT port (--mqtt-port, mqtt.port)"
                            : "HTTP port (--http-port, http.port)"));
        }
        boolean certificates = tls != null && tls.files().clientAuth() != ClientAuthMode.NONE;
        if (!auth.allowAnonymous() && auth.usersFile() == null && !(certificates && auth.certificateIdentity())) {
            throw new IllegalArgumentException("auth.allowAnonymous: false, but there is no auth.usersFile and no"
                    + " client-certificate identity (tls.clientAuth with auth.certificateIdentity), so no client"
                    + " could connect");
        }
    }

    /** A node on one address: anyone may connect, no TLS, no bridge, default limits. */
    public NodeConfig(Path dataDir, String bindHost, int mqttPort, int httpPort, String apiToken) {
        this(
                dataDir,
                bindHost,
                mqttPort,
                httpPort,
                apiToken,
                bindHost,
                AuthConfig.NONE,
                null,
                MAX_QUEUED_MESSAGES_DEFAULT,
                null,
                ScaleSettings.DEFAULTS,
                KeepAliveConfig.DEFAULTS);
    }

    /** The same node, bridged as given. */
    public NodeConfig withBridge(BridgeOptions newBridge) {
        return new NodeConfig(
                dataDir,
                bindHost,
                mqttPort,
                httpPort,
                apiToken,
                httpBindHost,
                auth,
                tls,
                maxQueuedMessages,
                newBridge,
                scale,
                keepAlive);
    }

    /** The same node with other scaling defaults. */
    public NodeConfig withScale(ScaleSettings newScale) {
        return new NodeConfig(
                dataDir,
                bindHost,
                mqttPort,
                httpPort,
                apiToken,
                httpBindHost,
                auth,
                tls,
                maxQueuedMessages,
                bridge,
                newScale,
                keepAlive);
    }

    /** The same node with other keep-alive settings. */
    public NodeConfig withKeepAlive(KeepAliveConfig newKeepAlive) {
        return new NodeConfig(
                dataDir,
                bindHost,
                mqttPort,
                httpPort,
                apiToken,
                httpBindHost,
                auth,
                tls,
                maxQueuedMessages,
                bridge,
                scale,
                newKeepAlive);
    }

    private static void checkPort(String option, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(option + ": " + port + " is not a port (0..65535)");
        }
    }

    public static NodeConfig defaults() {
        return new NodeConfig(DATA_DIR_DEFAULT, BIND_HOST_DEFAULT, MQTT_PORT_DEFAULT, HTTP_PORT_DEFAULT, null);
    }

    public NodeConfig withAuth(AuthConfig newAuth) {
        return new NodeConfig(
                dataDir,
                bindHost,
                mqttPort,
                httpPort,
                apiToken,
                httpBindHost,
                newAuth,
                tls,
                maxQueuedMessages,
                bridge,
                scale,
                keepAlive);
    }

    public NodeConfig withTls(TlsListenerConfig newTls) {
        return new NodeConfig(
                dataDir,
                bindHost,
                mqttPort,
                httpPort,
                apiToken,
                httpBindHost,
                auth,
                newTls,
                maxQueuedMessages,
                bridge,
                scale,
                keepAlive);
    }
}
