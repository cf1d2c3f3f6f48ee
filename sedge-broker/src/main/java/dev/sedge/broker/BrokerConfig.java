package dev.sedge.broker;

/**
 * Settings of one MQTT listener. Immutable; validated on construction.
 *
 * @param host the address to bind, such as {@code 127.0.0.1}
 * @param port the TCP port, 0 for any free port
 * @param maxPacketBytes the largest packet accepted from a client
 */
public record BrokerConfig(String host, int port, int maxPacketBytes) {

    public static final String HOST_DEFAULT = "127.0.0.1";
    public static final int PORT_DEFAULT = 1883;
    public static final int MAX_PACKET_BYTES_DEFAULT = 1024 * 1024;

    public BrokerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("broker host must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("mqtt port must be 0..65535, was " + port);
        }
        if (maxPacketBytes < 64 || maxPacketBytes > 268_435_455) {
            throw new IllegalArgumentException("max packet size must be 64..268435455 bytes, was " + maxPacketBytes);
        }
    }

    public static BrokerConfig defaults() {
        return new BrokerConfig(HOST_DEFAULT, PORT_DEFAULT, MAX_PACKET_BYTES_DEFAULT);
    }

    public BrokerConfig withPort(int newPort) {
        return new BrokerConfig(host, newPort, maxPacketBytes);
    }

    public BrokerConfig withHost(String newHost) {
        return new BrokerConfig(newHost, port, maxPacketBytes);
    }
}
