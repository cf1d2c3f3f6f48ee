package dev.sedge.scaling.policy.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WarmWindowsTest {

    private static final long S = 1000;

    /**
     * The cost of the windows over weighted gaps: for each, the idle time before it, plus worth if it is
     * missed, times its weight.
     */
    private static double cost(long[] gaps, double[] weights, WarmWindows.Window[] windows, double worth) {
        double cost = 0;
        for (int k = 0; k < gaps.length; k++) {
            long g = gaps[k];
            boolean caught = false;
            double idle = 0;
            for (WarmWindows.Window w : windows) {
                if (g >= w.from()) {
                    idle += Math.min(g, w.until()) - w.from();
                }
                caught |= w.from() <= g && g < w.until();
            }
            cost += weights[k] * (idle + (caught ? 0 : worth));
        }
        return cost;
    }

    /**
     * Every keep-alive and pre-warm window the rules allow, and every pair of them, tried one by one over
     * the gaps seen and the prior's (weight {@code prior} spread over one gap per doubling from a second to
     * 16 times the worth): margins of 5 % or at least a second, a pre-warm starts ten cold starts after the
     * event or later and catches two gaps seen and a quarter of them or more, no edge sits within the
     * margin of a gap it does not catch, and a second window starts twice as late as the first ends.
     */
    private static double bruteForceBest(long[] seen, double worth, long coldStart, double jitter, double prior) {
        java.util.List<long[]> all = new java.util.ArrayList<>(); // {gap, 1 if seen}
        for (long g : seen) {
            all.add(new long[] {g, 1});
        }
        java.util.List<Long> priorGaps = new java.util.ArrayList<>();
        for (long g = S; prior > 0 && g <= Math.max(2 * S, (long) (16 * worth)); g *= 2) {
            priorGaps.add(g);
        }
        for (long g : priorGaps) {
            all.add(new long[] {g, 0});
        }
        all.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(y[1], x[1]));
        int n = all.size();
        long[] gaps = new long[n];
        double[] weights = new double[n];
        int[] seenUpTo = new int[n + 1];
        for (int k = 0; k < n; k++) {
            gaps[k] = all.get(k)[0];
            weights[k] = all.get(k)[1] == 1 ? 1 : prior / priorGaps.size();
            seenUpTo[k + 1] = seenUpTo[k] + (int) all.get(k)[1];
        }
        java.util.List<WarmWindows.Window> windows = new java.util.ArrayList<>();
        for (int j = 0; j < n; j++) {
            long until = gaps[j] + Math.max(1000, (long) (gaps[j] * jitter)) + 1;
            if (j + 1 < n && gaps[j + 1] < until) {
                continue;
            }
            windows.add(new WarmWindows.Window(0, until));
            for (int i = 0; i <= j; i++) {
                long from = gaps[i] - Math.max(1000, (long) (gaps[i] * jitter));
                boolean tight = i > 0 && gaps[i - 1] >= from;
                boolean evidence = seenUpTo[j + 1] - seenUpTo[i] >= Math.max(2, Math.ceil(seen.length * 0.25));
                if (from >= 10 * Math.max(1, coldStart) && !tight && evidence) {
                    windows.add(new WarmWindows.Window(from, until));
                }
            }
        }
        double best = cost(gaps, weights, new WarmWindows.Window[0], worth);
        for (WarmWindows.Window a : windows) {
            best = Math.min(best, cost(gaps, weights, new WarmWindows.Window[] {a}, worth));
            for (WarmWindows.Window b : windows) {
                if (a.until() * 2 <= b.from()) {
                    best = Math.min(best, cost(gaps, weights, new WarmWindows.Window[] {a, b}, worth));
                }
            }
        }
        return best;
    }

    /** The cost of the windows over the gaps seen and the prior's, as the brute force counts it. */
    private static double costWithPrior(long[] seen, WarmWindows.Window[] windows, double worth, double prior) {
        java.util.List<Long> priorGaps = new java.util.ArrayList<>();
        for (long g = S; prior > 0 && g <= Math.max(2 * S, (long) (16 * worth)); g *= 2) {
            priorGaps.add(g);
        }
        long[] gaps = new long[seen.length + priorGaps.size()];
        double[] weights = new double[gaps.length];
        for (int k = 0; k < gaps.length; k++) {
            gaps[k] = k < seen.length ? seen[k] : priorGaps.get(k - seen.length);
            weights[k] = k < seen.length ? 1 : prior / priorGaps.size();
        }
        return cost(gaps, weights, windows, worth);
    }

    @Test
    void thePairChosenIsAsCheapAsTheBestOfEveryPairTriedOneByOne() {
        Random random = new Random(11);
        for (int round = 0; round < 300; round++) {
            int n = 1 + random.nextInt(14);
            long[] gaps = new long[n];
            for (int k = 0; k < n; k++) {
                gaps[k] = random.nextBoolean() ? 1 + random.nextInt(120) * S : 1 + random.nextInt(48 * 3600) * S;
            }
            Arrays.sort(gaps);
            double worth = (1 + random.nextInt(120)) * 60 * S;
            long coldStart = random.nextInt(3) * 500L;
            double jitter = random.nextInt(3) * 0.05;
            double prior = random.nextInt(3);
            WarmWindows.Window[] chosen = WarmWindows.choose(gaps, worth, coldStart, jitter, prior);
            assertThat(costWithPrior(gaps, chosen, worth, prior))
                    .as("gaps %s worth %s jitter %s prior %s", Arrays.toString(gaps), worth, jitter, prior)
                    .isCloseTo(bruteForceBest(gaps, worth, coldStart, jitter, prior), within(1e-3));
        }
    }

    @Test
    void gapsNotSeenYetCloseTheHoleBetweenAShortKeepAndAPreWarm() {
        // A burst's gaps of seconds, then reports every quarter of an hour: on the sample alone the instance
        // is let go from seconds after an event until just before the next report, and a gap of a minute,
        // never seen, would be cold.
        long[] gaps = {2 * S, 3 * S, 4 * S, 895 * S, 898 * S, 900 * S, 902 * S, 905 * S};
        WarmWindows.Window[] alone = WarmWindows.choose(gaps, 3600 * S, 500, 0.05, 0);
        assertThat(covers(alone, 60 * S)).isFalse();
        // With as much weight as two gaps spread over all lengths, that minute is worth keeping.
        WarmWindows.Window[] withUnseen = WarmWindows.choose(gaps, 3600 * S, 500, 0.05, 2);
        assertThat(covers(withUnseen, 60 * S)).as(Arrays.toString(withUnseen)).isTrue();
        assertThat(covers(withUnseen, 900 * S)).isTrue();
    }

    private static boolean covers(WarmWindows.Window[] windows, long gap) {
        for (WarmWindows.Window w : windows) {
            if (w.from() <= gap && gap < w.until()) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aPeriodicSensorIsPreWarmedJustBeforeItsReportInsteadOfKeptThroughTheGap() {
        long[] gaps = {895 * S, 898 * S, 900 * S, 901 * S, 903 * S, 905 * S};
        // Five per cent wider than the reports seen: ready from 95 % of the shortest until 105 % of the
        // longest.
        WarmWindows.Window[] chosen = WarmWindows.choose(gaps, 3600 * S, 500, 0.05);
        assertThat(chosen).containsExactly(new WarmWindows.Window(850_250, 950_251));
    }

    @Test
    void aBurstIsKeptAliveAndTheLongSilencesAfterItAreNot() {
        // Seconds apart inside bursts, a day between them: keeping a day would cost more than it saves.
        long[] gaps = {2 * S, 3 * S, 5 * S, 8 * S, 20 * 3600 * S, 26 * 3600 * S};
        // Kept through the bursts, a second past the longest of their gaps (never let go for seconds: a
        // release must last ten starts), and gone long before the silences.
        WarmWindows.Window[] chosen = WarmWindows.choose(gaps, 3600 * S, 500, 0.05);
        assertThat(chosen).containsExactly(new WarmWindows.Window(0, 9001));
    }

    @Test
    void nothingIsKeptWhenNoGapIsWorthItsIdleTime() {
        long[] gaps = {5 * 3600 * S, 9 * 3600 * S, 30 * 3600 * S};
        assertThat(WarmWindows.choose(gaps, 60 * S, 500, 0.05)).isEmpty();
        assertThat(WarmWindows.choose(new long[0], 60 * S, 500, 0.05)).isEmpty();
    }
}
