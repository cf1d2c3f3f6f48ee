package dev.sedge.bench.load;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Replies counted by the second they arrived in, counted from an origin, with their latencies: what a
 * scenario whose load changes over time plots (completions a second, the p99 of each second).
 *
 * <p>Thread-safe: the reply subscriber records on its event loop while the scenario reads.
 */
public final class Timeline {

    /** Longest latency tracked: a minute, far past any phase's bound. */
    private static final long MAX_NANOS = 60_000_000_000L;
    /** Two digits are enough for a per-second p99 on a chart, and keep each second's histogram small. */
    private static final int DIGITS = 2;

    private final long originNanos;
    private final List<Histogram> seconds = new ArrayList<>();

    /** @param originNanos second 0 starts here, in {@link System#nanoTime()} */
    public Timeline(long originNanos) {
        this.originNanos = originNanos;
    }

    public long originNanos() {
        return originNanos;
    }

    /** One reply that arrived at {@code nowNanos}, {@code latencyNanos} after its intended send time. */
    synchronized void record(long nowNanos, long latencyNanos) {
        int second = (int) Math.max(0, (nowNanos - originNanos) / 1_000_000_000L);
        while (seconds.size() <= second) {
            seconds.add(new Histogram(MAX_NANOS, DIGITS));
        }
        seconds.get(second).recordValue(Math.min(Math.max(0, latencyNanos), MAX_NANOS));
    }

    /** Replies that arrived in second {@code s}; 0 for a second with none. */
    public synchronized long count(int s) {
        return s >= 0 && s < seconds.size() ? seconds.get(s).getTotalCount() : 0;
    }

    /** Replies that arrived in seconds {@code from} (inclusive) to {@code to} (exclusive). */
    public synchronized long count(int from, int to) {
        long n = 0;
        for (int s = Math.max(0, from); s < Math.min(to, seconds.size()); s++) {
            n += seconds.get(s).getTotalCount();
        }
        return n;
    }

    /** The 99th percentile latency of second {@code s}'s replies in microseconds, or -1 when it had none. */
    public synchronized long p99Micros(int s) {
        return count(s) == 0 ? -1 : seconds.get(s).getValueAtPercentile(99) / 1000;
    }

    /**
     * The 99th percentile latency of the replies that arrived in seconds {@code from} (inclusive) to
     * {@code to} (exclusive), in microseconds, or -1 when none did.
     */
    public synchronized long p99Micros(int from, int to) {
        Histogram all = new Histogram(MAX_NANOS, DIGITS);
        for (int s = Math.max(0, from); s < Math.min(to, seconds.size()); s++) {
            all.add(seconds.get(s));
        }
        return all.getTotalCount() == 0 ? -1 : all.getValueAtPercentile(99) / 1000;
    }

    /** Every reply recorded so far. */
    public synchronized long total() {
        return count(0, seconds.size());
    }
}
