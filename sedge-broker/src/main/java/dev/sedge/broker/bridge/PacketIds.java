package dev.sedge.broker.bridge;

import java.util.BitSet;

/**
 * The packet identifiers of the bridge's session that are in use for flows it started (PUBLISH at QoS 1
 * and 2, SUBSCRIBE, UNSUBSCRIBE): an identifier is not reused until its flow has ended (MQTT-2.2.1-3).
 * Not thread-safe: used on the bridge's thread only.
 */
final class PacketIds {

    private static final int MAX = 65_535;

    private final BitSet used = new BitSet(MAX + 1);
    private int next = 1;

    /** A free identifier, marked as used; 0 when all 65535 are in use. */
    int allocate() {
        for (int tries = 0; tries < MAX; tries++) {
            int id = next;
            next = id == MAX ? 1 : id + 1;
            if (!used.get(id)) {
                used.set(id);
                return id;
            }
        }
        return 0;
    }

    void release(int id) {
        used.clear(id);
    }
}
