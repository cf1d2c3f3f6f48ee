package dev.sedge.scaling.policy.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WarmWindowsTest {

    private static final long S = 1000;

    /** The cost of the windows over the sample: idle time before each gap, plus worth per gap missed. */
    private static double cost(long[] gaps, WarmWindows.Window[] windows, double worth, long coldStart) {
        double cost = 0;
        for (long g : gaps) {
            boolean caught = false;
            for (WarmWindows.Window w : windows) {
                if (g >= w.from()) {
                    cost += Math.min(g, w.until()) - w.from();
                }
                caught |= w.from() <= g && g < w.until();
            }
            cost += caught ? 0 : worth;
        }
        return cost;
    }

    /**
     * Every keep-alive and pre-warm window the rules allow, and every pair of them, tried one by one:
     * margins of 5 % or at least a second, a pre-warm starts ten cold starts after the event or later and
     * catches two gaps and a quarter of them or more, no edge sits within the margin of a gap it does not
     * catch, and a second window starts twice as late as the first ends.
     */
    private static double bruteForceBest(long[] sorted, double worth, long coldStart, double jitter) {
        int n = sorted.length;
        java.util.List<WarmWindows.Window> all = new java.util.ArrayList<>();
        for (int j = 0; j < n; j++) {
            long until = sorted[j] + Math.max(1000, (long) (sorted[j] * jitter)) + 1;
            if (j + 1 < n && sorted[j + 1] < until) {
                continue;
            }
            all.add(new WarmWindows.Window(0, until));
            for (int i = 0; i <= j; i++) {
                long from = sorted[i] - Math.max(1000, (long) (sorted[i] * jitter));
                boolean tight = i > 0 && sorted[i - 1] >= from;
                boolean evidence = j - i + 1 >= Math.max(2, Math.ceil(n * 0.25));
                if (from >= 10 * Math.max(1, coldStart) && !tight && evidence) {
                    all.add(new WarmWindows.Window(from, until));
                }
            }
        }
        double best = cost(sorted, new WarmWindows.Window[0], worth, coldStart);
        for (WarmWindows.Window a : all) {
            best = Math.min(best, cost(sorted, new WarmWindows.Window[] {a}, worth, coldStart));
            for (WarmWindows.Window b : all) {
                if (a.until() * 2 <= b.from()) {
                    best = Math.min(best, cost(sorted, new WarmWindows.Window[] {a, b}, worth, coldStart));
                }
            }
        }
        return best;
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
            WarmWindows.Window[] chosen = WarmWindows.choose(gaps, worth, coldStart, jitter);
            assertThat(cost(gaps, chosen, worth, coldStart))
                    .as("gaps %s worth %s jitter %s", Arrays.toString(gaps), worth, jitter)
                    .isCloseTo(bruteForceBest(gaps, worth, coldStart, jitter), within(1e-6));
        }
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
