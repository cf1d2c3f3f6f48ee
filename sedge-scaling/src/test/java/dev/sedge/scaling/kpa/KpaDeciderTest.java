package dev.sedge.scaling.kpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.scaling.Decision;
import dev.sedge.scaling.ScaleSettings;
import dev.sedge.scaling.metrics.ConcurrencyWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scripted load against a fake clock, decided every 2 s as the dispatcher does; instances are taken to be
 * ready by the next decision (they start in microseconds to milliseconds here), so the ready count
 * follows the desired count one tick behind.
 */
class KpaDeciderTest {

    private static final long S = 1_000_000_000L;
    private static final long TICK = ScaleSettings.TICK.toNanos();

    /** A function's window and decider driven by a script of concurrency levels. */
    private static final class Script {
        final ConcurrencyWindow window;
        final KpaDecider decider;
        final List<Decision> decisions = new ArrayList<>();
        long now;
        int ready;

        Script(ScaleSettings settings, int concurrency, int ready) {
            this.window = new ConcurrencyWindow(settings.window());
            this.decider = new KpaDecider(settings, concurrency, 0);
            this.ready = ready;
            window.record(0, 0);
        }

        /** Holds {@code level} events for {@code seconds}, deciding every tick; the last decision. */
        Decision hold(int level, long seconds) {
            window.record(now, level);
            long end = now + seconds * S;
            Decision last = null;
            while (now + TICK <= end) {
                now += TICK;
                last = decideNow();
            }
            now = end;
            return last;
        }

        /** An out-of-tick decision now, as the dispatcher's poke makes one. */
        Decision decideNow() {
            Decision d = decider.decide(window, ready, now);
            decisions.add(d);
            ready = d.desired();
            return d;
        }

        int peak() {
            return decisions.stream().mapToInt(Decision::desired).max().orElse(0);
        }
    }

    private static ScaleSettings settings(int min, int max, int initial, double target, Duration retention) {
        ScaleSettings d = ScaleSettings.DEFAULTS;
        return new ScaleSettings(
                min,
                max,
                initial,
                target,
                d.utilizationPercentage(),
                d.window(),
                d.panicWindowPercentage(),
                d.panicThresholdPercentage(),
                d.maxScaleUpRate(),
                d.maxScaleDownRate(),
                retention,
                d.scaleToZeroGracePeriod(),
                d.scaleDownDelay());
    }

    @Test
    void steadyLoadKeepsTheCountItNeeds() {
        // Concurrency 1 per instance at 70 %: 3 events at once want ceil(3 / 0.7) = 5 instances.
        Script s = new Script(settings(0, 10, 1, 0, Duration.ZERO), 1, 5);
        for (int minute = 0; minute < 3; minute++) {
            Decision d = s.hold(3, 60);
            assertThat(d.desired()).isEqualTo(5);
            assertThat(d.panic()).isFalse();
            assertThat(d.reason())
                    .contains("3 events on average over the last 60s")
                    .contains("want 5");
        }
        assertThat(s.decisions).allSatisfy(d -> assertThat(d.desired()).isEqualTo(5));
    }

    @Test
    void aBurstEntersPanicNeverScalesDownInItAndLeavesAWindowAfterTheLastOverThresholdDecision() {
        // Target 10 per instance at 70 %: 7. Steady 5 needs 1 instance; a burst of 30 needs 5.
        Script s = new Script(settings(0, 10, 1, 10, Duration.ZERO), 10, 1);
        assertThat(s.hold(5, 60).desired()).isEqualTo(1);

        Decision first = s.hold(30, 2);
        assertThat(first.panic()).isTrue();
        // After 2 s the panic window (6 s) averages (3 x 30 + 3 x 5) / 6 = 17.5: 3 instances, 3x the one ready.
        assertThat(first.desired()).isEqualTo(3);
        assertThat(first.reason()).startsWith("panic:");
        long lastOver = s.now;
        s.hold(30, 8);

        int during = s.decisions.size();
        s.hold(5, 40);
        List<Decision> panicking = s.decisions.subList(during - 1, s.decisions.size());
        assertThat(panicking).allSatisfy(d -> {
            assertThat(d.panic()).isTrue();
            assertThat(d.desired()).isGreaterThanOrEqualTo(5);
        });
        // Leaves panic on the first decision a full stable window after the last one over the threshold.
        s.hold(5, 40);
        Decision left = s.decisions.stream()
                .filter(d -> d.atNanos() > lastOver && !d.panic())
                .findFirst()
                .orElseThrow();
        assertThat(left.atNanos()).isGreaterThan(lastOver + 60 * S).isLessThanOrEqualTo(lastOver + 60 * S + TICK);
        // Then down, at most halving each decision (max scale-down rate 2), to the one steady 5 needs.
        List<Decision> after = s.decisions.subList(s.decisions.indexOf(left) - 1, s.decisions.size());
        for (int i = 1; i < after.size(); i++) {
            assertThat(after.get(i).desired())
                    .isGreaterThanOrEqualTo(after.get(i - 1).desired() / 2);
        }
        assertThat(s.hold(5, 120).desired()).isEqualTo(1);
        assertThat(s.peak()).isEqualTo(5);
    }

    @Test
    void scalesToZeroAfterTheWindowAndTheRetention() {
        Script s = new Script(settings(0, 10, 1, 0, Duration.ofSeconds(30)), 1, 1);
        s.hold(0, 61);
        s.hold(1, 10); // one event at a time for 10 s: 2 instances (1 / 0.7)
        long quiet = s.now;
        s.hold(0, 200);
        Decision firstZero = s.decisions.stream()
                .filter(d -> d.desired() == 0 && d.atNanos() > quiet)
                .findFirst()
                .orElseThrow();
        // The stable window empties 60 s after the last event, then the last instance stays 30 s more.
        assertThat(firstZero.atNanos() - quiet).isBetween(90 * S, 90 * S + 2 * TICK);
        assertThat(firstZero.reason()).isEqualTo("no events for 60s: scale to zero");
        Decision held = s.decisions.get(s.decisions.indexOf(firstZero) - 1);
        assertThat(held.desired()).isEqualTo(1);
        assertThat(held.reason()).contains("the last instance stays").contains("retention 30s");
        assertThat(s.decisions.subList(s.decisions.indexOf(firstZero), s.decisions.size()))
                .allSatisfy(d -> assertThat(d.desired()).isZero());
    }

    @Test
    void theFirstEventAfterZeroWantsOneInstanceAtOnceWithoutPanic() {
        Script s = new Script(settings(0, 10, 0, 0, Duration.ZERO), 1, 0);
        assertThat(s.hold(0, 600).desired()).isZero();
        s.window.record(s.now, 1); // an event waits: the dispatcher pokes the decider
        Decision d = s.decideNow();
        assertThat(d.desired()).isEqualTo(1);
        assertThat(d.panic()).isFalse();
    }

    @Test
    void anIdleFunctionKeepsItsFirstInstanceForAWindowAfterItStarted() {
        // Initial scale 1: the instance is started at activation, and with no traffic stays for a stable
        // window (Knative holds a revision that has been active for less than that), then goes.
        Script s = new Script(settings(0, 10, 1, 0, Duration.ZERO), 1, 0);
        Decision first = s.decideNow();
        assertThat(first.desired()).isEqualTo(1);
        assertThat(first.reason()).contains("raised to the initial 1 until ready");
        assertThat(s.decideNow().reason()).contains("up for less than that");
        s.hold(0, 58);
        assertThat(s.decisions.getLast().desired()).isEqualTo(1);
        s.hold(0, 4);
        assertThat(s.decisions.getLast().desired()).isZero();
    }

    @Test
    void zeroFromIsTheFirstInstantADecisionOfAQuietFunctionAtOneCanWantZero() {
        ConcurrencyWindow w = new ConcurrencyWindow(Duration.ofSeconds(60));
        KpaDecider d = new KpaDecider(settings(0, 10, 0, 0, Duration.ofSeconds(5)), 1, 0);
        w.record(0, 0);
        long t = 100 * S + 300_000_000L; // an event at 100.3 s that finds no instance, and takes no time
        w.record(t, 1);
        assertThat(d.decide(w, 0, t).desired()).isEqualTo(1);
        d.becameReady(t); // its instance is ready at once: its first window counts from here, not the next tick
        w.record(t, 0);
        assertThat(d.decide(w, 1, t + TICK).desired()).isEqualTo(1);
        // The window reads zero from 160 s (the second of the event has left it), the instance has been up a
        // window at 160.3 s: that is the first instant.
        long zero = d.zeroFrom(w);
        assertThat(zero).isEqualTo(t + 60 * S);
        assertThat(d.decide(w, 1, zero - 1).desired()).isEqualTo(1);
        // Idle from then, the retention holds it 5 s more.
        assertThat(d.decide(w, 1, zero).desired()).isEqualTo(1);
        assertThat(d.zeroFrom(w)).isEqualTo(zero + 5 * S);
        assertThat(d.decide(w, 1, zero + 5 * S - 1).desired()).isEqualTo(1);
        assertThat(d.decide(w, 1, zero + 5 * S).desired()).isZero();
    }

    @Test
    void theGracePeriodHoldsTheLastInstanceOnlyRightAfterActivation() {
        ScaleSettings d = ScaleSettings.DEFAULTS;
        ScaleSettings shortWindow = new ScaleSettings(
                0,
                10,
                1,
                0,
                70,
                Duration.ofSeconds(6),
                10,
                200,
                1000,
                2,
                Duration.ZERO,
                Duration.ofSeconds(30),
                d.scaleDownDelay());
        Script s = new Script(shortWindow, 1, 1);
        s.hold(1, 2);
        s.hold(0, 10);
        // At 12 s the window has been empty, but the dispatcher has been in the path for less than the grace.
        assertThat(s.decisions.getLast().desired()).isEqualTo(1);
        s.hold(0, 20);
        assertThat(s.decisions.getLast().desired()).isZero();
        assertThat(s.decisions.stream()
                        .filter(x -> x.desired() == 0)
                        .findFirst()
                        .orElseThrow()
                        .atNanos())
                .isBetween(30 * S, 30 * S + TICK);
    }

    @Test
    void boundsApplyAfterTheAutoscaler() {
        Script capped = new Script(settings(0, 4, 1, 0, Duration.ZERO), 1, 1);
        Decision d = capped.hold(40, 20);
        assertThat(d.desired()).isEqualTo(4);
        assertThat(d.reason()).contains("capped at max 4");
        assertThat(capped.peak()).isEqualTo(4);

        Script floored = new Script(settings(2, 4, 1, 0, Duration.ZERO), 1, 2);
        assertThat(floored.hold(0, 300).desired()).isEqualTo(2);
        assertThat(floored.decisions.getLast().reason()).contains("raised to min 2");
    }

    @Test
    void theScaleDownDelayKeepsTheHighestRecentCount() {
        ScaleSettings d = ScaleSettings.DEFAULTS;
        ScaleSettings delayed = new ScaleSettings(
                0,
                10,
                1,
                0,
                70,
                Duration.ofSeconds(6),
                10,
                200,
                1000,
                2,
                Duration.ZERO,
                Duration.ZERO,
                Duration.ofSeconds(20));
        Script s = new Script(delayed, 1, 5);
        assertThat(s.hold(3, 20).desired()).isEqualTo(5);
        long drop = s.now;
        s.hold(0, 40);
        Decision firstLower = s.decisions.stream()
                .filter(x -> x.atNanos() > drop && x.desired() < 5)
                .findFirst()
                .orElseThrow();
        // The window empties after 6 s; the delay keeps 5 for 20 s after the last decision that wanted it.
        assertThat(firstLower.atNanos() - drop).isGreaterThan(20 * S);
        assertThat(s.decisions.stream().filter(x -> x.atNanos() > drop && x.atNanos() < drop + 20 * S))
                .allSatisfy(x -> assertThat(x.desired()).isEqualTo(5));
        assertThat(d.scaleDownDelay()).isZero();
    }

    @Test
    void anEventTooShortForTheRoundedAverageStillKeepsTheInstanceAndRetentionHoldsAfterEachIdlePeriod() {
        Script s = new Script(settings(0, 10, 1, 0, Duration.ofSeconds(20)), 1, 1);
        for (int round = 0; round < 2; round++) {
            // One event of 2 us: 2e-6 / 60 rounds to 0, but the window saw it.
            s.window.record(s.now, 1);
            s.window.record(s.now + 2_000, 0);
            long event = s.now;
            s.hold(0, 100);
            Decision zero = s.decisions.stream()
                    .filter(d -> d.atNanos() > event && d.desired() == 0)
                    .findFirst()
                    .orElseThrow();
            // Not before the window emptied (60 s) and the retention passed (20 s more).
            assertThat(zero.atNanos() - event).as("round %d", round).isBetween(80 * S, 80 * S + 2 * TICK);
            s.ready = 1; // the next round starts warm again
            s.decideNow();
        }
    }
}
