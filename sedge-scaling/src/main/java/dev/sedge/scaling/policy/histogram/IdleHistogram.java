package dev.sedge.scaling.policy.histogram;

/**
 * One function's idle times in one-minute bins over {@code [0, 4 h)}, and a count of those beyond, the
 * out-of-bounds ones. Holds the sum of the squared bin counts as it goes, so that the coefficient of
 * variation costs O(1) and a percentile one pass over the 240 bins. Not thread-safe.
 */
final class IdleHistogram {

    static final long BIN_MILLIS = HybridHistogramKeepAlive.BIN.toMillis();
    static final int BINS = (int) (HybridHistogramKeepAlive.RANGE.toMillis() / BIN_MILLIS);

    private final int[] counts = new int[BINS];
    private long inRange;
    private long outOfBounds;
    private long sumOfSquares;

    void add(long idleMillis) {
        long bin = idleMillis / BIN_MILLIS;
        if (bin >= BINS) {
            outOfBounds++;
            return;
        }
        int before = counts[(int) bin]++;
        sumOfSquares += 2L * before + 1; // (c + 1)^2 - c^2
        inRange++;
    }

    long inRange() {
        return inRange;
    }

    long outOfBounds() {
        return outOfBounds;
    }

    long total() {
        return inRange + outOfBounds;
    }

    /** The coefficient of variation of the bin counts, empty bins included; 0 while no idle time is in range. */
    double binCountCv() {
        if (inRange == 0) {
            return 0;
        }
        double mean = (double) inRange / BINS;
        double variance = (double) sumOfSquares / BINS - mean * mean;
        return Math.sqrt(Math.max(0, variance)) / mean;
    }

    /**
     * The bin that holds the {@code percent}-th percentile of the in-range idle times: the first whose
     * cumulative count reaches {@code ceil(percent * n / 100)}. Needs at least one idle time in range.
     */
    int percentileBin(int percent) {
        long rank = Math.max(1, (percent * inRange + 99) / 100);
        long cumulative = 0;
        for (int bin = 0; bin < BINS; bin++) {
            cumulative += counts[bin];
            if (cumulative >= rank) {
                return bin;
            }
        }
        throw new IllegalStateException("no idle time in range");
    }
}
