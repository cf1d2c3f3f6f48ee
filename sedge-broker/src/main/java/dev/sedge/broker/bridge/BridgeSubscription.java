package dev.sedge.broker.bridge;

/**
 * One holder's interest in a shared subscription on the external broker, as returned by {@link
 * MqttBridge#subscribe}. Several holders of the same shared filter share one subscription there, at the
 * highest QoS any of them asked for; it is unsubscribed when the last one is given back.
 *
 * <p>Immutable; compared by identity, so that two holders of the same filter stay apart.
 */
public final class BridgeSubscription {

    private final String sharedFilter;
    private final int qos;

    BridgeSubscription(String sharedFilter, int qos) {
        this.sharedFilter = sharedFilter;
        this.qos = qos;
    }

    /** The filter subscribed on the external broker, {@code $share/GROUP/FILTER}. */
    public String sharedFilter() {
        return sharedFilter;
    }

    public int qos() {
        return qos;
    }

    @Override
    public String toString() {
        return sharedFilter + " (QoS " + qos + ")";
    }
}
