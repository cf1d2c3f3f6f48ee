package dev.sedge.scaling.policy.learned;

/**
 * Chooses when, after an event, a function's instance should be ready: at most two windows of time
 * after the event, picked so that the expected cost of the next gap is least, where a cold start costs
 * as much as an instance kept idle for {@code worth} and every millisecond an instance is ready before
 * the next event costs one. The expectation is over a sample of past gaps, each equally likely to come
 * next.
 *
 * <p>A window that starts at the event is a keep-alive; one that starts later is a pre-warm, possible
 * only {@link #MIN_RELEASE_STARTS} cold starts after the event or later, and only where the sample
 * has {@link #MIN_PREWARM_CATCH} gaps. Each candidate spans sample gaps g[i] to g[j], widened by
 * {@code jitter} of its edges (a sample is a guess at the next gap, not the next gap: a window that only
 * fits the gaps seen would catch nothing new). So that every caught gap keeps its margin, a window never
 * starts or ends within the margin of a gap it does not catch at its edge. A window {@code [a, b)} catches the gaps inside it and,
 * for every gap at or past {@code a}, wastes the time from {@code a} to that gap or to {@code b},
 * whichever is first; its value, what it catches times {@code worth} less what it wastes, takes O(1)
 * from prefix sums, and the best pair of disjoint windows one pass over the n^2 candidates.
 *
 * <p>Stateless.
 */
final class WarmWindows {

    /** A window {@code [from, until)} in milliseconds after the event. */
    record Window(long from, long until) {}

    /** The most gaps one choice looks at: candidates grow with its square. */
    static final int MAX_GAPS = 64;

    /**
     * The shortest time an instance is let go for, in cold starts: releasing one to start it again
     * moments later saves little idle time and costs a start.
     */
    static final int MIN_RELEASE_STARTS = 10;
    /**
     * How much later than the first window ends the second must start: a hole in a small sample that is
     * narrower than that is more likely chance than a pattern (a burst's gaps are spread, not grouped).
     */
    static final int RELEASE_FACTOR = 2;
    /** The least margin around a gap: below a second, timing is the network's, not the device's. */
    static final long MIN_MARGIN_MILLIS = 1000;
    /** Gaps a pre-warm window must have caught in the sample: one gap is a coincidence, not a pattern. */
    static final int MIN_PREWARM_CATCH = 2;
    /**
     * The share of the sample a pre-warm window must have caught: a regular report, not a bet on one
     * of a burst's many spread gaps, which a keep-alive serves better.
     */
    static final double MIN_PREWARM_SHARE = 0.25;

    private WarmWindows() {}

    /**
     * @param sorted past gaps in ascending order, all positive
     * @param worth what a cold start is worth, in milliseconds of one idle instance
     * @param coldStart how long a start takes: a pre-warm must begin that long before its window
     * @param jitter how much wider than the gaps it spans a window is made, as a share of each edge
     * @return the windows, in order, none when keeping nothing is cheapest
     */
    static Window[] choose(long[] sorted, double worth, long coldStart, double jitter) {
        int n = sorted.length;
        if (n == 0) {
            return new Window[0];
        }
        if (n > MAX_GAPS) {
            throw new IllegalArgumentException(n + " gaps: at most " + MAX_GAPS + " (thin the sample first)");
        }
        long earliestPrewarm = Math.max(1, coldStart) * MIN_RELEASE_STARTS;
        int minPrewarmCatch = Math.max(MIN_PREWARM_CATCH, (int) Math.ceil(n * MIN_PREWARM_SHARE));
        double[] prefix = new double[n + 1];
        for (int k = 0; k < n; k++) {
            prefix[k + 1] = prefix[k] + sorted[k];
        }
        // Candidate edges: a window from gap i (widened down) until gap j (widened up).
        long[] starts = new long[n];
        long[] ends = new long[n];
        int[] firstCaught = new int[n]; // the first gap at or past starts[i]
        int[] firstAfter = new int[n]; // the first gap at or past ends[j]
        int[] lastEndingBy = new int[n]; // the last j that ends RELEASE_FACTOR times before starts[i], or -1
        for (int k = 0; k < n; k++) {
            long margin = Math.max(MIN_MARGIN_MILLIS, (long) (sorted[k] * jitter));
            starts[k] = sorted[k] - margin;
            ends[k] = sorted[k] + margin + 1;
        }
        for (int k = 0, lo = 0, hi = 0, by = -1; k < n; k++) { // every edge grows with k: one pass each
            while (lo < n && sorted[lo] < starts[k]) {
                lo++;
            }
            while (hi < n && sorted[hi] < ends[k]) {
                hi++;
            }
            while (by + 1 < n && ends[by + 1] * RELEASE_FACTOR <= starts[k]) {
                by++;
            }
            firstCaught[k] = lo;
            firstAfter[k] = hi;
            lastEndingBy[k] = by;
        }
        // One pass over the ends in order: the best single window ending by each, and the best pair
        // whose second window ends there (its first ends before the second starts, so is already known).
        double[] bestBy = new double[n];
        long[] bestWindowBy = new long[n]; // (i + 1) << 32 | j of the best single window ending by j
        double top = 0;
        long topFirst = -1;
        long topSecond = -1;
        for (int j = 0; j < n; j++) {
            bestBy[j] = j > 0 ? bestBy[j - 1] : 0;
            bestWindowBy[j] = j > 0 ? bestWindowBy[j - 1] : -1;
            if (firstAfter[j] != j + 1) {
                continue; // a longer gap falls in the margin: a window that ends there is too tight
            }
            for (int i = -1; i <= j; i++) {
                if (i >= 0 && (starts[i] < earliestPrewarm || firstCaught[i] != i || j - i + 1 < minPrewarmCatch)) {
                    continue; // too close to the event, too tight around a shorter gap, or too little evidence
                }
                long a = i < 0 ? 0 : starts[i];
                int lo = i < 0 ? 0 : firstCaught[i];
                int hi = firstAfter[j];
                int caught = hi - lo;
                double waste = (prefix[hi] - prefix[lo]) - (double) caught * a + (double) (n - hi) * (ends[j] - a);
                double v = worth * caught - waste;
                if (v <= 0) {
                    continue;
                }
                long window = (long) (i + 1) << 32 | j;
                if (v > bestBy[j]) {
                    bestBy[j] = v;
                    bestWindowBy[j] = window;
                }
                int before = i < 0 ? -1 : lastEndingBy[i];
                double withFirst = before >= 0 ? bestBy[before] : 0;
                if (v + withFirst > top) {
                    top = v + withFirst;
                    topSecond = window;
                    topFirst = withFirst > 0 ? bestWindowBy[before] : -1;
                }
            }
        }
        if (topSecond < 0) {
            return new Window[0];
        }
        Window second = window(topSecond, starts, ends);
        return topFirst < 0 ? new Window[] {second} : new Window[] {window(topFirst, starts, ends), second};
    }

    /** The window packed as {@code (i + 1) << 32 | j}: from gap i (the event itself for -1) until gap j. */
    private static Window window(long packed, long[] starts, long[] ends) {
        int i = (int) (packed >>> 32) - 1;
        int j = (int) packed;
        return new Window(i < 0 ? 0 : starts[i], ends[j]);
    }
}
