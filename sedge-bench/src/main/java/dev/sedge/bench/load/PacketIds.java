package dev.sedge.bench.load;

/**
 * The QoS 1 packet identifiers one publishing connection has in flight: each taken identifier is free
 * again once its PUBACK comes. Identifiers are handed out in turn, skipping those still in flight. Not
 * thread-safe: confined to the connection's event loop.
 */
public final class PacketIds {

    /** The highest packet identifier MQTT allows, and so the most that can be in flight. */
    public static final int MAX = 65_535;

    private final boolean[] inFlight = new boolean[MAX + 1];
    private int count;
    private int next = 1;

    /** A free identifier, now in flight; only while {@link #count()} is below {@link #MAX}. */
    public int take() {
        while (true) {
            int id = next;
            next = id == MAX ? 1 : id + 1;
            if (!inFlight[id]) {
                inFlight[id] = true;
                count++;
                return id;
            }
        }
    }

    /** Frees {@code id}; false, changing nothing, when it was not in flight. */
    public boolean release(int id) {
        if (id < 1 || id > MAX || !inFlight[id]) {
            return false;
        }
        inFlight[id] = false;
        count--;
        return true;
    }

    /** How many are in flight. */
    public int count() {
        return count;
    }
}
