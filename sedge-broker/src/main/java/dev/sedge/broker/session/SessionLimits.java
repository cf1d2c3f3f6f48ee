package dev.sedge.broker.session;

/**
 * Bounds on what sessions may hold. Immutable.
 *
 * @param maxQueuedPerClient QoS 1 and 2 messages queued or in flight for one client; beyond it new
 *     messages for that client are dropped, counted and logged
 * @param maxSessionExpirySeconds the longest session expiry the broker grants (MQTT 3.1.1 persistent
 *     sessions get this); {@link #NEVER} for no limit
 */
public record SessionLimits(int maxQueuedPerClient, long maxSessionExpirySeconds) {

    /** The MQTT 5 session expiry interval that means "never expires". */
    public static final long NEVER = 0xFFFF_FFFFL;

    public static final int MAX_QUEUED_PER_CLIENT_DEFAULT = 1000;

    public static final SessionLimits DEFAULT = new SessionLimits(MAX_QUEUED_PER_CLIENT_DEFAULT, NEVER);

    public SessionLimits {
        if (maxQueuedPerClient < 1) {
            throw new IllegalArgumentException(
                    "max queued messages per client must be at least 1, was " + maxQueuedPerClient);
        }
        if (maxSessionExpirySeconds < 0 || maxSessionExpirySeconds > NEVER) {
            throw new IllegalArgumentException(
                    "max session expiry must be 0.." + NEVER + " seconds, was " + maxSessionExpirySeconds);
        }
    }
}
