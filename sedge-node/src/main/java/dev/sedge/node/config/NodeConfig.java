package dev.sedge.node.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a node starts: where it keeps its state and where it listens. Immutable; validated on
 * construction, with the bad value and the allowed range in the message.
 *
 * @param dataDir the state directory (registry, artifacts)
 * @param bindHost the address both listeners bind
 * @param mqttPort the MQTT port, 0 for any free port
 * @param httpPort the HTTP API port, 0 for any free port
 * @param apiToken a bearer token the HTTP API requires, or null for none
 * @param bridge the bridge to an external broker, or null for none
 */
public record NodeConfig(
        Path dataDir, String bindHost, int mqttPort, int httpPort, String apiToken, BridgeOptions bridge) {

    public static final Path DATA_DIR_DEFAULT = Path.of("sedge-data");
    /** Loopback by default, as Mosquitto 2 does: opening the node to the network is a choice. */
    public static final String BIND_HOST_DEFAULT = "127.0.0.1";

    public static final int MQTT_PORT_DEFAULT = 1883;
    public static final int HTTP_PORT_DEFAULT = 8080;

    public NodeConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        if (bindHost == null || bindHost.isBlank()) {
            throw new IllegalArgumentException("--bind: must not be empty");
        }
        checkPort("--mqtt-port", mqttPort);
        checkPort("--http-port", httpPort);
        if (mqttPort != 0 && mqttPort == httpPort) {
            throw new IllegalArgumentException("--mqtt-port and --http-port are both " + mqttPort);
        }
    }

    /** A node without a bridge. */
    public NodeConfig(Path dataDir, String bindHost, int mqttPort, int httpPort, String apiToken) {
        this(dataDir, bindHost, mqttPort, httpPort, apiToken, null);
    }

    /** The same node, bridged as given. */
    public NodeConfig withBridge(BridgeOptions newBridge) {
        return new NodeConfig(dataDir, bindHost, mqttPort, httpPort, apiToken, newBridge);
    }

    private static void checkPort(String option, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(option + ": " + port + " is not a port (0..65535)");
        }
    }

    public static NodeConfig defaults() {
        return new NodeConfig(DATA_DIR_DEFAULT, BIND_HOST_DEFAULT, MQTT_PORT_DEFAULT, HTTP_PORT_DEFAULT, null);
    }
}
