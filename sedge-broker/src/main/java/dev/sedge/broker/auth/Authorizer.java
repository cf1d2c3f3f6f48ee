package dev.sedge.broker.auth;

/**
 * Decides what an authenticated client may publish and subscribe to. Pure and thread-safe: the answer
 * depends only on the arguments and on rules fixed at construction.
 *
 * <p>How the connection handler applies it: a PUBLISH (and a will, at CONNECT) whose topic is refused
 * is not routed; MQTT 5 clients get reason 0x87 (Not authorized) in the PUBACK or PUBREC, MQTT 3.1.1
 * clients an ordinary acknowledgement, since 3.1.1 has no way to say so. A refused subscription gets
 * 0x87 (MQTT 5) or 0x80 (3.1.1) in its SUBACK slot. Because a filter is allowed only when every topic it
 * can match is readable, messages delivered through an allowed subscription need no further check.
 */
public interface Authorizer {

    /** Allows everything: the authorizer when no ACL file is configured. */
    Authorizer ALLOW_ALL = new Authorizer() {
        @Override
        public boolean canPublish(String user, String clientId, String topic) {
            return true;
        }

        @Override
        public boolean canSubscribe(String user, String clientId, String filter) {
            return true;
        }

        @Override
        public String toString() {
            return "Authorizer.ALLOW_ALL";
        }
    };

    /**
     * May this client publish to the topic?
     *
     * @param user the effective user from {@link AuthResult.Allowed#user()}, null when anonymous
     * @param clientId the client identifier
     * @param topic a valid topic name (no wildcards)
     */
    boolean canPublish(String user, String clientId, String topic);

    /**
     * May this client subscribe to the filter? True only if every topic the filter can match may be read.
     *
     * @param user the effective user, null when anonymous
     * @param clientId the client identifier
     * @param filter a valid topic filter; a shared subscription {@code $share/GROUP/FILTER} is judged by
     *     its FILTER
     */
    boolean canSubscribe(String user, String clientId, String filter);
}
