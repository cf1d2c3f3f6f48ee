package dev.sedge.scaling.policy.learned;

/**
 * Chooses when, after an event, a function's instance should be ready: at most two windows of time
 * after the event, picked so that the expected cost of the next gap is least, where a cold start costs
 * as much as an instance kept idle for {@code coldStartWorth} and every millisecond an instance is
 * ready before the next event costs one. The expectation is over a sample of past gaps, each equally
 * likely to come next.
 *
 * <p>A window that starts at the event is a keep-alive; one that starts later is a pre-warm, possible
 * only when it starts at least a cold start after the event. For the sorted sample g[0..n-1], a window
 * ready from g[i] to g[j] catches gaps i..j and wastes, for every gap at or past g[i], the time from
 * g[i] to that gap or to g[j], whichever is first; so its value is
 * {@code worth * (j - i + 1) - (sum of g[i..j] - (j - i + 1) * g[i]) - (n - 1 - j) * (g[j] - g[i])},
 * computed in O(1) from prefix sums, and the best pair of disjoint windows in O(n^2).
 *
 * <p>Stateless; {@link #choose} returns a new result each time.
 */
final class WarmWindows {

    /** A window {@code [from, until)} in milliseconds after the event. */
    record Window(long from, long until) {}

    private WarmWindows() {}

    /**
     * @param sorted past gaps in ascending order, all positive
     * @param worth what a cold start is worth, in milliseconds of one idle instance
     * @param coldStart how long a start takes: a pre-warm must begin that long before its window
     * @return the windows, in order, none when keeping nothing is cheapest
     */
    static Window[] choose(long[] sorted, double worth, long coldStart) {
        int n = sorted.length;
        if (n == 0) {
            return new Window[0];
        }
        double[] prefix = new double[n + 1];
        for (int k = 0; k < n; k++) {
            prefix[k + 1] = prefix[k] + sorted[k];
        }
        // bestEnding[j]: the best single window ending at or before j, as (value, i, j).
        double[] bestValue = new double[n];
        int[] bestFrom = new int[n];
        int[] bestTo = new int[n];
        double top = 0;
        int topFrom1 = -1, topTo1 = -1, topFrom2 = -1, topTo2 = -1;
        for (int j = 0; j < n; j++) {
            double carried = j > 0 ? bestValue[j - 1] : 0;
            int carriedFrom = j > 0 ? bestFrom[j - 1] : -1;
            int carriedTo = j > 0 ? bestTo[j - 1] : -1;
            bestValue[j] = carried;
            bestFrom[j] = carriedFrom;
            bestTo[j] = carriedTo;
            for (int i = -1; i <= j; i++) {
                // i == -1: a keep-alive from the event, catching gaps 0..j.
                double v = value(sorted, prefix, n, i, j, worth, coldStart);
                if (Double.isNaN(v)) {
                    continue;
                }
                if (v > bestValue[j]) {
                    bestValue[j] = v;
                    bestFrom[j] = i;
                    bestTo[j] = j;
                }
                int firstOf = i < 0 ? 0 : i;
                double before = firstOf > 0 ? bestValue[firstOf - 1] : 0;
                if (v + before > top) {
                    top = v + before;
                    topFrom2 = i;
                    topTo2 = j;
                    if (firstOf > 0 && bestValue[firstOf - 1] > 0) {
                        topFrom1 = bestFrom[firstOf - 1];
                        topTo1 = bestTo[firstOf - 1];
                    } else {
                        topFrom1 = -2;
                        topTo1 = -2;
                    }
                }
            }
        }
        if (top <= 0) {
            return new Window[0];
        }
        Window second = window(sorted, topFrom2, topTo2);
        if (topFrom1 == -2) {
            return new Window[] {second};
        }
        Window first = window(sorted, topFrom1, topTo1);
        if (first.until() >= second.from()) {
            return new Window[] {new Window(first.from(), Math.max(first.until(), second.until()))};
        }
        return new Window[] {first, second};
    }

    /** The window's value, or NaN when it cannot be had (a pre-warm closer to the event than a start). */
    private static double value(long[] g, double[] prefix, int n, int i, int j, double worth, long coldStart) {
        double from;
        int first;
        if (i < 0) {
            from = 0;
            first = 0;
        } else {
            if (g[i] < coldStart) {
                return Double.NaN;
            }
            from = g[i];
            first = i;
        }
        int caught = j - first + 1;
        double waste = (prefix[j + 1] - prefix[first]) - caught * from + (n - 1 - j) * (g[j] - from);
        return worth * caught - waste;
    }

    /** The window ready from gap i (the event itself for -1) until just after gap j. */
    private static Window window(long[] g, int i, int j) {
        return new Window(i < 0 ? 0 : g[i], g[j] + 1);
    }
}
