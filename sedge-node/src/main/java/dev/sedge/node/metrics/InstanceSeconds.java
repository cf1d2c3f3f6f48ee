package dev.sedge.node.metrics;

import java.util.function.LongSupplier;

/**
 * One function's ready instances integrated over time: instance-seconds, which times the memory of an
 * instance is the memory-time the function held. Exact between changes, as each change closes the
 * interval before it; a reading adds the interval still open. Several dispatchers of one name (a
 * function replaced while the old one drains) add up, since each reports its own changes.
 *
 * <p>Thread-safe: every method is synchronized. Lives as long as the node's metrics.
 */
final class InstanceSeconds {

    private final LongSupplier nanoTime;
    private int ready;
    private long since;
    private double closedSeconds;

    InstanceSeconds(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.since = nanoTime.getAsLong();
    }

    /** The ready instances changed by {@code delta} now. */
    synchronized void changed(int delta) {
        long now = nanoTime.getAsLong();
        closedSeconds += ready * (now - since) / 1e9;
        since = now;
        ready = Math.max(0, ready + delta);
    }

    /** Instance-seconds until now. */
    synchronized double seconds() {
        return closedSeconds + ready * (nanoTime.getAsLong() - since) / 1e9;
    }
}
