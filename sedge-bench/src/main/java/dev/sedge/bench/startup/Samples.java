package dev.sedge.bench.startup;

import java.util.Arrays;

/** Durations in nanoseconds, collected then summarised by percentile. Not thread-safe. */
final class Samples {

    private long[] values = new long[64];
    private int size;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    int size() {
        return size;
    }

    /** The q-quantile (0..1) by the nearest-rank method, in microseconds; NaN when empty. */
    double percentileMicros(double q) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * size);
        return sorted[Math.clamp(rank - 1, 0, size - 1)] / 1000.0;
    }
}
