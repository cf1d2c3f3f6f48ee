package dev.sedge.scaling.metrics;

import java.time.Duration;

/**
 * One function's concurrency over time: how many events it held (running or waiting for an instance),
 * integrated exactly over one-second buckets, and averaged over a window as Knative's autoscaler does.
 *
 * <p>Knative's queue-proxy reports a time-weighted average once a second and the autoscaler averages the
 * per-second values; here the dispatcher reports every change of its count as it happens, so each bucket
 * holds the exact time-weighted average of its second and nothing is sampled. Averages follow Knative's
 * linear mode: the mean of the per-second values over the window, counting only the seconds since the
 * first observation; the current second counts with what it has seen so far.
 *
 * <p>Time is passed in, in nanoseconds of a monotonic clock; nothing here reads one. Not thread-safe: the
 * dispatcher calls it under its lock.
 */
public final class ConcurrencyWindow {

    private static final long SECOND = 1_000_000_000L;

    private final int buckets;
    /** Level-nanoseconds seen in each second, at index {@code second mod buckets}. */
    private final double[] area;
    /** The second each slot of {@link #area} holds. */
    private final long[] slotSecond;

    private boolean started;
    private long firstNanos;
    private long integratedTo;
    private int level;
    private boolean everBusy;
    /** The last instant the level was above zero. */
    private long lastBusy;

    /** @param longest the longest window that will be asked for */
    public ConcurrencyWindow(Duration longest) {
        this.buckets = (int) Math.max(1, (longest.toNanos() + SECOND - 1) / SECOND);
        this.area = new double[buckets];
        this.slotSecond = new long[buckets];
        java.util.Arrays.fill(slotSecond, Long.MIN_VALUE);
    }

    /** The concurrency is {@code newLevel} from {@code nowNanos} on. */
    public void record(long nowNanos, int newLevel) {
        advance(nowNanos);
        if (level > 0 || newLevel > 0) {
            everBusy = true;
            lastBusy = nowNanos;
        }
        level = newLevel;
    }

    /**
     * The first instant at which an average over {@code window} reads zero, if the level stays at zero from
     * now on: when the last second that saw an event has left the window. {@link Long#MIN_VALUE} when the
     * level was never above zero. Meaningless while the level is above zero.
     */
    public long quietFrom(Duration window) {
        if (!everBusy) {
            return Long.MIN_VALUE;
        }
        long n = Math.min(buckets, Math.max(1, (window.toNanos() + SECOND - 1) / SECOND));
        // The second holding the last busy instant (an instant on a boundary belongs to the one before).
        long busySecond = Math.floorDiv(lastBusy - 1, SECOND);
        return (busySecond + n) * SECOND;
    }

    /** The concurrency now. */
    public int level() {
        return level;
    }

    /**
     * The time-weighted mean concurrency over the last {@code window} up to {@code nowNanos}, rounded to six
     * decimals as Knative does; 0 before the first observation.
     */
    public double average(long nowNanos, Duration window) {
        advance(nowNanos);
        if (!started) {
            return 0;
        }
        int n = (int) Math.min(buckets, Math.max(1, (window.toNanos() + SECOND - 1) / SECOND));
        long current = Math.floorDiv(nowNanos, SECOND);
        long first = Math.floorDiv(firstNanos, SECOND);
        double sum = 0;
        int count = 0;
        for (long s = current; s > current - n && s >= first; s--) {
            sum += valueOf(s, nowNanos);
            count++;
        }
        return Math.round(sum / count * 1e6) / 1e6;
    }

    /** The time-weighted mean of one second that has begun by {@code nowNanos}. */
    private double valueOf(long second, long nowNanos) {
        long from = Math.max(second * SECOND, firstNanos);
        long to = Math.min((second + 1) * SECOND, nowNanos);
        if (to <= from) {
            return level; // the current second has only its first instant: the level now is all there is
        }
        int slot = (int) Math.floorMod(second, (long) buckets);
        double a = slotSecond[slot] == second ? area[slot] : 0;
        return a / (to - from);
    }

    /** Adds the level held since the last change to the buckets, up to {@code nowNanos}. */
    private void advance(long nowNanos) {
        if (!started) {
            started = true;
            firstNanos = nowNanos;
            integratedTo = nowNanos;
            return;
        }
        if (nowNanos <= integratedTo) {
            return;
        }
        long oldest = (Math.floorDiv(nowNanos, SECOND) - buckets + 1) * SECOND;
        if (integratedTo < oldest) {
            integratedTo = oldest; // seconds before the window are never read again
        }
        while (integratedTo < nowNanos) {
            long second = Math.floorDiv(integratedTo, SECOND);
            long end = Math.min(nowNanos, (second + 1) * SECOND);
            int slot = (int) Math.floorMod(second, (long) buckets);
            if (slotSecond[slot] != second) {
                slotSecond[slot] = second;
                area[slot] = 0;
            }
            area[slot] += (double) level * (end - integratedTo);
            integratedTo = end;
        }
    }
}
