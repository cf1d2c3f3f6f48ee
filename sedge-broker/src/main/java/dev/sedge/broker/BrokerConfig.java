package dev.sedge.broker;

import dev.sedge.broker.session.SessionLimits;

/**
 * Settings of the broker. Immutable; validated on construction, with the bad value and the allowed
 * range in the message. Defaults are the {@code *_DEFAULT} constants.
 *
 * @param host the address to bind, such as {@code 127.0.0.1}
 * @param port the TCP port, 0 for any free port
 * @param maxPacketBytes the largest packet accepted from a client (MQTT 5 Maximum Packet Size)
 * @param receiveMaximum QoS 1 and 2 PUBLISH packets one client may have unacknowledged (MQTT 5
 *     Receive Maximum); MQTT 3.1.1 clients are not read from while they have this many
 * @param topicAliasMaximum topic aliases a client may set (MQTT 5 Topic Alias Maximum)
 * @param maxKeepAliveSeconds the longest keep-alive granted, 0 for whatever the client asks
 * @param sessionLimits bounds on sessions: queued messages per client, longest session expiry
 * @param sysIntervalSeconds how often {@code $SYS/broker/...} statistics are published, 0 for never
 */
public record BrokerConfig(
        String host,
        int port,
        int maxPacketBytes,
        int receiveMaximum,
        int topicAliasMaximum,
        int maxKeepAliveSeconds,
        SessionLimits sessionLimits,
        int sysIntervalSeconds) {

    public static final String HOST_DEFAULT = "127.0.0.1";
    public static final int PORT_DEFAULT = 1883;
    public static final int MAX_PACKET_BYTES_DEFAULT = 1024 * 1024;
    public static final int RECEIVE_MAXIMUM_DEFAULT = 128;
    public static final int TOPIC_ALIAS_MAXIMUM_DEFAULT = 64;
    public static final int MAX_KEEP_ALIVE_SECONDS_DEFAULT = 0;
    public static final int SYS_INTERVAL_SECONDS_DEFAULT = 10;

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
        if (receiveMaximum < 1 || receiveMaximum > 65_535) {
            throw new IllegalArgumentException("receive maximum must be 1..65535, was " + receiveMaximum);
        }
        if (topicAliasMaximum < 0 || topicAliasMaximum > 65_535) {
            throw new IllegalArgumentException("topic alias maximum must be 0..65535, was " + topicAliasMaximum);
        }
        if (maxKeepAliveSeconds < 0 || maxKeepAliveSeconds > 65_535) {
            throw new IllegalArgumentException("max keep-alive must be 0..65535 seconds, was " + maxKeepAliveSeconds);
        }
        if (sessionLimits == null) {
            throw new IllegalArgumentException("session limits must be given");
        }
        if (sysIntervalSeconds < 0) {
            throw new IllegalArgumentException("$SYS interval must be 0 or more seconds, was " + sysIntervalSeconds);
        }
    }

    /** A listener with every other setting at its default. */
    public BrokerConfig(String host, int port, int maxPacketBytes) {
        this(
                host,
                port,
                maxPacketBytes,
                RECEIVE_MAXIMUM_DEFAULT,
                TOPIC_ALIAS_MAXIMUM_DEFAULT,
                MAX_KEEP_ALIVE_SECONDS_DEFAULT,
                SessionLimits.DEFAULT,
                SYS_INTERVAL_SECONDS_DEFAULT);
    }

    public static BrokerConfig defaults() {
        return new BrokerConfig(HOST_DEFAULT, PORT_DEFAULT, MAX_PACKET_BYTES_DEFAULT);
    }

    public BrokerConfig withPort(int newPort) {
        return new BrokerConfig(
                host,
                newPort,
                maxPacketBytes,
                receiveMaximum,
                topicAliasMaximum,
                maxKeepAliveSeconds,
                sessionLimits,
                sysIntervalSeconds);
    }

    public BrokerConfig withHost(String newHost) {
        return new BrokerConfig(
                newHost,
                port,
                maxPacketBytes,
                receiveMaximum,
                topicAliasMaximum,
                maxKeepAliveSeconds,
                sessionLimits,
                sysIntervalSeconds);
    }

    public BrokerConfig withReceiveMaximum(int n) {
        return new BrokerConfig(
                host,
                port,
                maxPacketBytes,
                n,
                topicAliasMaximum,
                maxKeepAliveSeconds,
                sessionLimits,
                sysIntervalSeconds);
    }

    public BrokerConfig withSessionLimits(SessionLimits limits) {
        return new BrokerConfig(
                host,
                port,
                maxPacketBytes,
                receiveMaximum,
                topicAliasMaximum,
                maxKeepAliveSeconds,
                limits,
                sysIntervalSeconds);
    }

    public BrokerConfig withMaxKeepAliveSeconds(int seconds) {
        return new BrokerConfig(
                host,
                port,
                maxPacketBytes,
                receiveMaximum,
                topicAliasMaximum,
                seconds,
                sessionLimits,
                sysIntervalSeconds);
    }

    public BrokerConfig withSysIntervalSeconds(int seconds) {
        return new BrokerConfig(
                host,
                port,
                maxPacketBytes,
                receiveMaximum,
                topicAliasMaximum,
                maxKeepAliveSeconds,
                sessionLimits,
                seconds);
    }
}
