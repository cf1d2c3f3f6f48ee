package dev.sedge.node.config;

import dev.sedge.broker.tls.TlsConfig;
import java.util.Objects;

/**
 * The MQTT-over-TLS listener. Immutable. It binds the same address as the plain MQTT listener.
 *
 * @param port the TCP port, 0 for any free port
 * @param files certificate, key, CA file and client-certificate mode
 */
public record TlsListenerConfig(int port, TlsConfig files) {

    /** MQTT over TLS's registered port. */
    public static final int PORT_DEFAULT = 8883;

    public TlsListenerConfig {
        Objects.requireNonNull(files, "files");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("tls.port: " + port + " is not a port (0..65535)");
        }
    }
}
