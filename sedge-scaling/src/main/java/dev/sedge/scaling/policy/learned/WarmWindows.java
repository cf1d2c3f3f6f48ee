package dev.sedge.scaling.policy.learned;

/**
 * Chooses when, after an event, a function's instance should be ready: at most two windows of time
 * after the event, picked so that the expected cost of the next gap is least, where a cold start costs
 * as much as an instance kept idle for {@code worth} and every millisecond an instance is ready before
 * the next event costs one. The expectation is over a sample of past gaps, each equally likely to come
 * next, and optionally a prior: gaps of the weight given spread over one length per doubling, from a
 * second to {@link #PRIOR_UNTIL_WORTHS} times the worth, which stand for the gaps the sample has not
 * shown (a hole between its gaps is not a law).
 *
 * <p>A window that starts at the event is a keep-alive; one that starts later is a pre-warm, possible
 * only {@link #MIN_RELEASE_STARTS} cold starts after the event or later, and only where the sample
 * has {@link #MIN_PREWARM_CATCH} gaps seen. Each candidate spans gaps g[i] to g[j], widened by
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

    /** Where the prior's gaps begin. */
    static final long PRIOR_FROM_MILLIS = 1000;
    /** Where they end, in cold starts' worth. */
    static final double PRIOR_UNTIL_WORTHS = 16;

    private WarmWindows() {}

    /**
     * @param sorted past gaps in ascending order, all positive
     * @param worth what a cold start is worth, in milliseconds of one idle instance
     * @param coldStart how long a start takes: a pre-warm must begin that long before its window
     * @param jitter how much wider than the gaps it spans a window is made, as a share of each edge
     * @return the windows, in order, none when keeping nothing is cheapest
     */
    static Window[] choose(long[] sorted, double worth, long coldStart, double jitter) {
        return choose(sorted, worth, coldStart, jitter, 0);
    }

    /**
     * As {@link #choose(long[], double, long, double)}, with {@code prior} gaps of weight spread evenly
     * over a logarithmic scale from {@link #PRIOR_FROM_MILLIS} to {@link #PRIOR_UNTIL_WORTHS} times
     * {@code worth}: the next gap may be one the sample has not shown yet.
     */
    static Window[] choose(long[] sorted, double worth, long coldStart, double jitter, double prior) {
        int real = sorted.length;
        if (real == 0) {
            return new Window[0];
        }
        if (real > MAX_GAPS) {
            throw new IllegalArgumentException(real + " gaps: at most " + MAX_GAPS + " (thin the sample first)");
        }
        // The sample merged with the prior's gaps, in ascending order; equal gaps stay apart.
        int priorCount = prior > 0 ? priorCount(worth) : 0;
        int n = real + priorCount;
        long[] points = new long[n];
        double[] weight = new double[n];
        boolean[] seenGap = new boolean[n];
        long p = PRIOR_FROM_MILLIS;
        for (int k = 0, r = 0, q = 0; k < n; k++) {
            if (q == priorCount || r < real && sorted[r] <= p) {
                points[k] = sorted[r++];
                weight[k] = 1;
                seenGap[k] = true;
            } else {
                points[k] = p;
                weight[k] = prior / priorCount;
                p *= 2;
                q++;
            }
        }
        long earliestPrewarm = Math.max(1, coldStart) * MIN_RELEASE_STARTS;
        int minPrewarmCatch = Math.max(MIN_PREWARM_CATCH, (int) Math.ceil(real * MIN_PREWARM_SHARE));
        double[] prefix = new double[n + 1]; // weighted sum of gaps
        double[] mass = new double[n + 1]; // sum of weights
        int[] seen = new int[n + 1]; // real gaps
        for (int k = 0; k < n; k++) {
            prefix[k + 1] = prefix[k] + points[k] * weight[k];
            mass[k + 1] = mass[k] + weight[k];
            seen[k + 1] = seen[k] + (seenGap[k] ? 1 : 0);
        }
        double total = mass[n];
        // Candidate edges: a window from gap i (widened down) until gap j (widened up).
        long[] starts = new long[n];
        long[] ends = new long[n];
        int[] firstCaught = new int[n]; // the first gap at or past starts[i]
        int[] firstAfter = new int[n]; // the first gap at or past ends[j]
        int[] lastEndingBy = new int[n]; // the last j that ends RELEASE_FACTOR times before starts[i], or -1
        for (int k = 0; k < n; k++) {
            long margin = Math.max(MIN_MARGIN_MILLIS, (long) (points[k] * jitter));
            starts[k] = points[k] - margin;
            ends[k] = points[k] + margin + 1;
        }
        for (int k = 0, lo = 0, hi = 0, by = -1; k < n; k++) { // every edge grows with k: one pass each
            while (lo < n && points[lo] < starts[k]) {
                lo++;
            }
            while (hi < n && points[hi] < ends[k]) {
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
                if (i >= 0
                        && (starts[i] < earliestPrewarm
                                || firstCaught[i] != i
                                || seen[j + 1] - seen[i] < minPrewarmCatch)) {
                    continue; // too close to the event, too tight around a shorter gap, or too little evidence
                }
                long a = i < 0 ? 0 : starts[i];
                int lo = i < 0 ? 0 : firstCaught[i];
                int hi = firstAfter[j];
                double caught = mass[hi] - mass[lo];
                double waste = (prefix[hi] - prefix[lo]) - caught * a + (total - mass[hi]) * (ends[j] - a);
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

    /** How many gaps the prior spreads its weight over: one per doubling up to its end. */
    static int priorCount(double worth) {
        long until = (long) Math.max(2 * PRIOR_FROM_MILLIS, worth * PRIOR_UNTIL_WORTHS);
        int k = 0;
        for (long p = PRIOR_FROM_MILLIS; p <= until; p *= 2) {
            k++;
        }
        return k;
    }

    /** The window packed as {@code (i + 1) << 32 | j}: from gap i (the event itself for -1) until gap j. */
    private static Window window(long packed, long[] starts, long[] ends) {
        int i = (int) (packed >>> 32) - 1;
        int j = (int) packed;
        return new Window(i < 0 ? 0 : starts[i], ends[j]);
    }
}
