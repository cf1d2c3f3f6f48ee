package dev.sedge.broker.session;

import dev.sedge.broker.Message;

/**
 * What a session needs of the network connection it is attached to. Implemented by the connection
 * handler; every method may be called from any thread and must not block.
 */
public interface ClientLink {

    /**
     * Writes a PUBLISH.
     *
     * @param message the message, with the QoS and RETAIN flag of this delivery
     * @param packetId the packet identifier, 0 for QoS 0
     * @param dup whether this is a resend (DUP flag)
     */
    void publish(Message message, int packetId, boolean dup);

    /** Writes a PUBREL. */
    void pubrel(int packetId);

    /** Whether the client accepts a PUBLISH of this message (its MQTT 5 Maximum Packet Size). */
    boolean fits(Message message);

    /** Closes the connection because another one took the session over (MQTT-3.1.4-3). */
    void takenOver();
}
