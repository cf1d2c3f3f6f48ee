package dev.sedge.dataplane;

import static dev.sedge.dataplane.Harness.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.api.Result;
import dev.sedge.dataplane.Outcome.Success;
import dev.sedge.scaling.Decision;
import dev.sedge.scaling.ScaleSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pool following its decider: scripted load against the fake clock, checking the desired and the
 * actual instance counts step by step (a step is one 2 s decision; instances start on real threads, so
 * each step waits until none is starting).
 */
@Timeout(120)
class DispatcherScalingTest {

    private static final Duration TICK = ScaleSettings.TICK;

    /** Steps one decision at a time for {@code seconds}; returns the (desired, ready) pairs seen. */
    private static List<int[]> step(Harness h, int seconds) {
        List<int[]> seen = new ArrayList<>();
        for (int t = 0; t < seconds; t += 2) {
            h.advance(TICK);
            h.settle();
            DispatcherStatus s = h.status();
            seen.add(new int[] {s.desired(), s.ready()});
        }
        return seen;
    }

    @Test
    void steadyLoadHoldsTheInstancesItNeedsAndIdleGoesToZeroAfterTheWindowAndRetention() throws Exception {
        // A function that holds each event until the test lets it go: the load is the number held.
        Semaphore done = new Semaphore(0);
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            done.acquire();
            return Result.empty();
        });
        DispatcherConfig c = DispatcherConfig.of("f", 1, Duration.ofMinutes(10))
                .withScale(ScaleSettings.DEFAULTS
                        .withBounds(0, 10, 0)
                        .withWindow(Duration.ofSeconds(60), Duration.ofSeconds(20)));
        try (Harness h = new Harness(sandbox, c)) {
            assertThat(h.status().desired()).isZero();
            h.advance(Duration.ofSeconds(30)); // deployed a while ago, idle since
            // The first event: no instance, so the decider is asked at once, not at the next tick.
            List<CompletableFuture<Outcome>> held = new ArrayList<>();
            int decided = h.decisions.size();
            held.add(h.dispatcher.dispatch(event("0")));
            h.settle();
            assertThat(h.status().desired()).isEqualTo(1);
            assertThat(h.status().ready()).isEqualTo(1);
            assertThat(h.decisions).hasSize(decided + 1);
            // Three at once from now on: ceil(3 / 0.7) = 5 instances once the stable window has seen it.
            held.add(h.dispatcher.dispatch(event("1")));
            held.add(h.dispatcher.dispatch(event("2")));
            step(h, 120);
            assertThat(h.status().desired()).isEqualTo(5);
            assertThat(h.status().ready()).isEqualTo(5);
            assertThat(h.status().running()).isEqualTo(3);
            List<int[]> steady = step(h, 60);
            assertThat(steady).allSatisfy(s -> assertThat(s).containsExactly(5, 5));
            // Idle: everything ends; the count steps down by at most half per decision, then to zero once
            // the stable window is empty and the retention has passed.
            done.release(3);
            CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            List<int[]> down = step(h, 100);
            for (int i = 1; i < down.size(); i++) {
                assertThat(down.get(i)[0]).isGreaterThanOrEqualTo(down.get(i - 1)[0] / 2);
            }
            int firstZero = 0;
            while (down.get(firstZero)[0] != 0) {
                firstZero++;
            }
            // Decision k comes (k + 1) * 2 s after the load ended: zero after 60 s of window and 20 s retention.
            assertThat((firstZero + 1) * 2).isBetween(80, 84);
            assertThat(down.getLast()).containsExactly(0, 0);
            assertThat(sandbox.alive).hasValue(0);
            assertThat(h.decisions.getLast().reason()).isEqualTo("no events for 60s: scale to zero");
            // At zero with nothing to do, nothing is scheduled but the deadlines' timer, which fires once a
            // timeout after the load began and is not armed again: no tick polls an idle function.
            assertThat(h.timers.pending()).isEqualTo(h.dispatcher.deadlines.timers());
            h.advance(Duration.ofMinutes(10));
            assertThat(h.timers.pending()).isZero();

            // The next event starts an instance again at once, and is answered.
            Outcome cold = null;
            CompletableFuture<Outcome> next = h.dispatcher.dispatch(event("again"));
            done.release();
            cold = next.get(10, TimeUnit.SECONDS);
            assertThat(cold).isInstanceOf(Success.class);
            assertThat(cold.info().coldStart()).isTrue();
        }
    }

    @Test
    void aBurstAgainstMaxFourNeverHasMoreThanFourInstancesThenGoesBackToOneAndZero() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            if (e.dataAsString().startsWith("burst")) {
                release.await();
            }
            return Result.empty();
        });
        DispatcherConfig c = DispatcherConfig.of("f", 1, Duration.ofMinutes(10))
                .withScale(ScaleSettings.DEFAULTS.withBounds(0, 4, 1));
        try (Harness h = new Harness(sandbox, c)) {
            h.settle();
            List<CompletableFuture<Outcome>> burst = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                burst.add(h.dispatcher.dispatch(event("burst-" + i)));
            }
            List<int[]> during = step(h, 10);
            assertThat(h.decisions.getLast().panic()).isTrue();
            assertThat(during.getLast()).containsExactly(4, 4);
            assertThat(h.status().running()).isEqualTo(4);
            release.countDown();
            CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            // A trickle keeps one instance busy enough for one: one event every 2 s.
            List<Integer> desired = new ArrayList<>();
            for (int t = 0; t < 120; t += 2) {
                h.dispatcher.dispatch(event("t" + t)).get(10, TimeUnit.SECONDS);
                h.advance(TICK);
                h.settle();
                desired.add(h.status().desired());
            }
            assertThat(desired.getLast()).isEqualTo(1);
            step(h, 200);
            assertThat(h.status().desired()).isZero();
            assertThat(h.status().ready()).isZero();
            assertThat(h.status().peak()).isEqualTo(4);
            assertThat(sandbox.mostAlive).hasValue(4);
            assertThat(sandbox.starts.get()).isEqualTo(sandbox.closes.get());
            List<Decision> panics = h.decisions.stream().filter(Decision::panic).toList();
            assertThat(panics).isNotEmpty();
            assertThat(panics.getFirst().reason()).startsWith("panic:");
            // The listener heard every change of the ready instances, each from where the last one left.
            assertThat(h.readyChanges.getFirst()[0]).isZero();
            for (int i = 1; i < h.readyChanges.size(); i++) {
                assertThat(h.readyChanges.get(i)[0]).isEqualTo(h.readyChanges.get(i - 1)[1]);
            }
            assertThat(h.readyChanges.stream().mapToInt(r -> r[1]).max()).hasValue(4);
            assertThat(h.readyChanges.getLast()[1]).isZero();
        }
    }

    @Test
    void theListenerHearsInstancesBecomeReadyAndLeaveAtScaleToZeroAndAtClose() throws Exception {
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> Result.empty());
        DispatcherConfig c = DispatcherConfig.of("f", 1, Duration.ofSeconds(5))
                .withScale(ScaleSettings.DEFAULTS.withBounds(0, 4, 0).withWindow(Duration.ofSeconds(6), Duration.ZERO));
        Harness h = new Harness(sandbox, c);
        int atZero;
        try (h) {
            assertThat(h.readyChanges).isEmpty(); // none at the start: nothing to report
            h.dispatcher.dispatch(event("one")).get(10, TimeUnit.SECONDS);
            h.settle();
            assertThat(h.readyChanges.getFirst()).containsExactly(0, 1);
            step(h, 40); // the window empties: back to zero
            assertThat(h.status().ready()).isZero();
            atZero = h.readyChanges.size();
            assertThat(h.readyChanges.getLast()[1]).isZero();
            h.dispatcher.dispatch(event("two")).get(10, TimeUnit.SECONDS);
            h.settle();
            assertThat(h.readyChanges.get(atZero)).containsExactly(0, 1);
        }
        // Closing the function retires what was ready: the last change goes to zero.
        assertThat(h.readyChanges.size()).isGreaterThan(atZero + 1);
        assertThat(h.readyChanges.getLast()[1]).isZero();
        for (int i = 1; i < h.readyChanges.size(); i++) {
            assertThat(h.readyChanges.get(i)[0]).isEqualTo(h.readyChanges.get(i - 1)[1]);
        }
    }

    @Test
    void aFunctionNeverAskedForAnythingSchedulesNothing() {
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> Result.empty());
        DispatcherConfig c = DispatcherConfig.of("f", 1, Duration.ofSeconds(5))
                .withScale(ScaleSettings.DEFAULTS.withBounds(0, 4, 0));
        try (Harness h = new Harness(sandbox, c)) {
            assertThat(h.timers.pending()).isZero();
            assertThat(h.status().desired()).isZero();
            h.advance(Duration.ofMinutes(10));
            assertThat(sandbox.starts).hasValue(0);
            assertThat(h.decisions).hasSize(1); // the initial one, at activation
        }
    }

    @Test
    void aWarmFunctionNobodyCallsIsDecidedOnceAWindowAndAnEventBringsTheTicksBack() throws Exception {
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> Result.empty());
        DispatcherConfig c = DispatcherConfig.of("f", 1, Duration.ofSeconds(5))
                .withScale(ScaleSettings.DEFAULTS.withBounds(0, 4, 1));
        try (Harness h = new Harness(sandbox, c)) {
            h.settle();
            h.dispatcher.dispatch(event("one")).get(10, TimeUnit.SECONDS);
            step(h, 2);
            int before = h.decisions.size();
            // 50 s with no event and one instance: every decision would say "one", so none is made.
            step(h, 50);
            assertThat(h.decisions).hasSize(before);
            assertThat(h.status().ready()).isEqualTo(1);
            // An event brings the 2 s ticks back.
            h.dispatcher.dispatch(event("two")).get(10, TimeUnit.SECONDS);
            step(h, 2);
            assertThat(h.decisions.size()).isGreaterThan(before);
            // And without more, it still goes to zero a window after its last event.
            step(h, 70);
            assertThat(h.status().ready()).isZero();
            assertThat(h.decisions.getLast().reason()).isEqualTo("no events for 60s: scale to zero");
        }
    }
}
