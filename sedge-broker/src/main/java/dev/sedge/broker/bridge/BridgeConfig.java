package dev.sedge.broker.bridge;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a bridge connects to its external broker. Immutable; validated on construction, with the bad
 * value and the allowed range in the message. Start from {@link #of} and change fields with the
 * {@code with*} methods.
 *
 * @param endpoint the external broker
 * @param clientId the MQTT client identifier; stable across restarts, so that the session is resumed
 * @param username the user name, or null
 * @param password the password, or null
 * @param caFile PEM certificates to trust for {@code mqtts} instead of the JDK's trust store, or null
 * @param sessionExpiry how long the external broker keeps the session (subscriptions and queued
 *     messages) while the bridge is away
 * @param keepAlive the MQTT keep alive: a PINGREQ after this long without sending
 * @param receiveMaximum QoS 1 and 2 messages the external broker may have unacknowledged at once
 * @param maxPacketBytes the largest packet accepted from the external broker
 * @param backoff the delays between connection attempts
 * @param outboxLimit messages to forward that are kept while the external broker is unreachable; the
 *     oldest is dropped when full
 */
public record BridgeConfig(
        BridgeEndpoint endpoint,
        String clientId,
        String username,
        String password,
        Path caFile,
        Duration sessionExpiry,
        Duration keepAlive,
        int receiveMaximum,
        int maxPacketBytes,
        Backoff backoff,
        int outboxLimit) {

    public static final Duration SESSION_EXPIRY_DEFAULT = Duration.ofHours(1);
    /** MQTT 5 session expiry is a four-byte count of seconds; 0xFFFFFFFF means never. */
    public static final long SESSION_EXPIRY_MAX_SECONDS = 0xFFFF_FFFFL;

    public static final Duration KEEP_ALIVE_DEFAULT = Duration.ofSeconds(30);
    /** Enough to keep a node's dispatchers busy without taking more than its share of a group's backlog. */
    public static final int RECEIVE_MAXIMUM_DEFAULT = 64;

    public static final int MAX_PACKET_BYTES_DEFAULT = 1024 * 1024;
    public static final int OUTBOX_LIMIT_DEFAULT = 10_000;

    public BridgeConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(backoff, "backoff");
        if (clientId == null || clientId.isEmpty()) {
            throw new IllegalArgumentException("bridge client id must not be empty");
        }
        if (clientId.indexOf('\u0000') >= 0 || clientId.getBytes(StandardCharsets.UTF_8).length > 65_535) {
            throw new IllegalArgumentException("bridge client id \"" + clientId + "\" is not a valid MQTT string");
        }
        if (username != null && username.isEmpty()) {
            throw new IllegalArgumentException("bridge user name must not be empty when given");
        }
        if (caFile != null && !endpoint.tls()) {
            throw new IllegalArgumentException("a CA file is only used with mqtts://, not with " + endpoint.url());
        }
        long expiry = sessionExpiry.toSeconds();
        if (expiry < 1 || expiry > SESSION_EXPIRY_MAX_SECONDS) {
            // 0 would end the session at each disconnect and lose what is published meanwhile.
            throw new IllegalArgumentException(
                    "bridge session expiry must be 1s.." + SESSION_EXPIRY_MAX_SECONDS + "s, was " + sessionExpiry);
        }
        long keep = keepAlive.toSeconds();
        if (keep < 1 || keep > 65_535) {
            throw new IllegalArgumentException("bridge keep alive must be 1s..65535s, was " + keepAlive);
        }
        if (receiveMaximum < 1 || receiveMaximum > 65_535) {
            throw new IllegalArgumentException("bridge receive maximum must be 1..65535, was " + receiveMaximum);
        }
        if (maxPacketBytes < 64 || maxPacketBytes > 268_435_455) {
            throw new IllegalArgumentException(
                    "bridge max packet size must be 64..268435455 bytes, was " + maxPacketBytes);
        }
        if (outboxLimit < 1) {
            throw new IllegalArgumentException("bridge outbox limit must be at least 1, was " + outboxLimit);
        }
    }

    /** A configuration with every default: anonymous, the JDK's trust store, {@link Backoff#DEFAULT}. */
    public static BridgeConfig of(BridgeEndpoint endpoint, String clientId) {
        return new BridgeConfig(
                endpoint,
                clientId,
                null,
                null,
                null,
                SESSION_EXPIRY_DEFAULT,
                KEEP_ALIVE_DEFAULT,
                RECEIVE_MAXIMUM_DEFAULT,
                MAX_PACKET_BYTES_DEFAULT,
                Backoff.DEFAULT,
                OUTBOX_LIMIT_DEFAULT);
    }

    public BridgeConfig withCredentials(String newUsername, String newPassword) {
        return new BridgeConfig(
                endpoint,
                clientId,
                newUsername,
                newPassword,
                caFile,
                sessionExpiry,
                keepAlive,
                receiveMaximum,
                maxPacketBytes,
                backoff,
                outboxLimit);
    }

    public BridgeConfig withCaFile(Path newCaFile) {
        return new BridgeConfig(
                endpoint,
                clientId,
                username,
                password,
                newCaFile,
                sessionExpiry,
                keepAlive,
                receiveMaximum,
                maxPacketBytes,
                backoff,
                outboxLimit);
    }

    public BridgeConfig withSessionExpiry(Duration newSessionExpiry) {
        return new BridgeConfig(
                endpoint,
                clientId,
                username,
                password,
                caFile,
                newSessionExpiry,
                keepAlive,
                receiveMaximum,
                maxPacketBytes,
                backoff,
                outboxLimit);
    }

    public BridgeConfig withBackoff(Backoff newBackoff) {
        return new BridgeConfig(
                endpoint,
                clientId,
                username,
                password,
                caFile,
                sessionExpiry,
                keepAlive,
                receiveMaximum,
                maxPacketBytes,
                newBackoff,
                outboxLimit);
    }

    /** Says whether a password is set, never what it is: configurations end up in logs. */
    @Override
    public String toString() {
        return "BridgeConfig[endpoint=" + endpoint + ", clientId=" + clientId + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", caFile=" + caFile + ", sessionExpiry="
                + sessionExpiry + ", keepAlive=" + keepAlive + ", receiveMaximum=" + receiveMaximum
                + ", maxPacketBytes=" + maxPacketBytes + ", backoff=" + backoff + ", outboxLimit=" + outboxLimit
                + "]";
    }
}
