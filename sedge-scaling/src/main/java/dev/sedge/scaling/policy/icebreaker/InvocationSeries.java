package dev.sedge.scaling.policy.icebreaker;

/**
 * One function's event counts per interval over the last {@code n} intervals, in a ring: recording an
 * event is {@code O(1)} amortised (the slots of silent intervals are cleared once as the ring passes
 * them), and older intervals are forgotten. Intervals are numbered on the caller's clock. Not
 * thread-safe.
 */
final class InvocationSeries {

    private final int[] counts;
    /** The latest interval recorded; every slot of an interval after it, or n or more before it, reads 0. */
    private long newest = Long.MIN_VALUE;

    /** @param n how many intervals are remembered */
    InvocationSeries(int n) {
        counts = new int[n];
    }

    /** One event in {@code interval}, which is never before the latest one recorded. */
    void record(long interval) {
        int n = counts.length;
        if (interval != newest) {
            long clear = newest == Long.MIN_VALUE ? n : Math.min(n, interval - newest);
            for (long i = interval - clear + 1; i <= interval; i++) {
                counts[Math.floorMod(i, n)] = 0;
            }
            newest = interval;
        }
        counts[Math.floorMod(interval, n)]++;
    }

    /** The events counted in {@code interval}, 0 once it has left the window. */
    int count(long interval) {
        int n = counts.length;
        return interval > newest || interval <= newest - n ? 0 : counts[Math.floorMod(interval, n)];
    }

    /** Fills {@code out} with the counts of the {@code out.length} intervals before {@code end}, oldest first. */
    void window(long end, double[] out) {
        long first = end - out.length;
        for (int i = 0; i < out.length; i++) {
            out[i] = count(first + i);
        }
    }

    /** The latest interval with an event, or {@link Long#MIN_VALUE} before the first. */
    long newest() {
        return newest;
    }
}
