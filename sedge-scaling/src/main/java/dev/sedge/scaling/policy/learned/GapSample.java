package dev.sedge.scaling.policy.learned;

import java.util.Arrays;

/**
 * The most recent idle gaps of one function (or of all functions together), in milliseconds: a ring of
 * fixed capacity, sorted on demand. Gaps of zero (events in the same millisecond) are not kept: the
 * instance that served the first serves the others. Not thread-safe.
 */
final class GapSample {

    private final long[] ring;
    private int size;
    private int next;
    private long[] sorted;

    GapSample(int capacity) {
        ring = new long[capacity];
    }

    void add(long gapMillis) {
        if (gapMillis <= 0) {
            return;
        }
        ring[next] = gapMillis;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
        sorted = null;
    }

    int size() {
        return size;
    }

    /**
     * At most {@code points} gaps in ascending order that stand for the whole sample: all of them when
     * there are that few, else evenly spaced order statistics (its quantiles). The caller must not
     * change the array.
     */
    long[] quantiles(int points) {
        long[] all = sorted();
        if (all.length <= points) {
            return all;
        }
        long[] q = new long[points];
        for (int k = 0; k < points; k++) {
            q[k] = all[(int) ((long) k * (all.length - 1) / (points - 1))];
        }
        return q;
    }

    /** The gaps in ascending order; the caller must not change the array. */
    long[] sorted() {
        if (sorted == null) {
            sorted = Arrays.copyOf(ring, size);
            Arrays.sort(sorted);
        }
        return sorted;
    }
}
