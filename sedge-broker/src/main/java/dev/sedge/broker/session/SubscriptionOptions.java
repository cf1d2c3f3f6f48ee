package dev.sedge.broker.session;

/**
 * The options of one subscription (MQTT 5.0 section 3.8.3.1; MQTT 3.1.1 has only the QoS).
 *
 * @param qos maximum QoS, 0 to 2
 * @param noLocal do not receive one's own messages
 * @param retainAsPublished keep the RETAIN flag of routed messages
 * @param retainHandling 0: send retained messages at subscribe; 1: only for a new subscription; 2: never
 */
public record SubscriptionOptions(int qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {

    /** One byte, laid out as in the SUBSCRIBE packet's options byte. */
    public byte encode() {
        return (byte) (qos | (noLocal ? 0x04 : 0) | (retainAsPublished ? 0x08 : 0) | (retainHandling << 4));
    }

    public static SubscriptionOptions decode(byte b) {
        return new SubscriptionOptions(b & 0x03, (b & 0x04) != 0, (b & 0x08) != 0, (b >> 4) & 0x03);
    }
}
