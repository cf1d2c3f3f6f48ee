package dev.sedge.dataplane;

import static dev.sedge.dataplane.Harness.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sedge.api.Result;
import dev.sedge.dataplane.time.ManualTimers;
import dev.sedge.dataplane.warm.WarmPlanner;
import dev.sedge.scaling.ScaleSettings;
import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.catalog.KeepAlivePolicies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A keep-alive policy owning the step between zero and one instance, on the fake clock: pre-warms at the
 * plan's start with no event, lets the instance go at its end, leaves everything above one to the
 * autoscaler, re-plans the functions a policy names, and holds no timer when nothing is planned.
 */
@Timeout(120)
class DispatcherKeepAliveTest {

    private static final long T0 = 1_000_000_000_000L;

    private static DispatcherConfig config(String name, String policy) {
        return DispatcherConfig.of(name, 1, Duration.ofMinutes(10))
                .withScale(ScaleSettings.DEFAULTS.withBounds(0, 10, 0))
                .withKeepAlive(policy);
    }

    private static WarmPlanner registry() {
        return new WarmPlanner(name -> KeepAlivePolicies.create(name, PolicyContext.DEFAULTS, null));
    }

    /** A function deployed a while ago: its window holds more than the instant of its first event. */
    private static final Duration DEPLOYED = Duration.ofSeconds(30);

    private static Outcome run(Harness h, String data) throws Exception {
        return h.dispatcher.dispatch(event(data)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPlanPrewarmsAnInstanceAtItsStartWithNoEventAndTheNextEventFindsItWarm() throws Exception {
        ScriptedPolicy policy = new ScriptedPolicy(Duration.ofMinutes(5), Duration.ofMinutes(1), Map.of());
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> Result.empty());
        try (Harness h = new Harness(
                sandbox, config("f", ScriptedPolicy.NAME), new ManualTimers(T0), new WarmPlanner(n -> policy))) {
            h.advance(DEPLOYED);
            assertThat(run(h, "first").info().coldStart()).isTrue();
            h.settle();
            // The plan lets the instance go at once and starts one five minutes after the event.
            DispatcherStatus s = h.status();
            assertThat(s.desired()).isZero();
            assertThat(s.ready()).isZero();
            assertThat(s.policy()).isEqualTo(ScriptedPolicy.NAME);
            assertThat(s.nextPrewarm()).isNotNull();
            assertThat(s.keptUntil()).isNull();
            assertThat(s.decision()).startsWith("next pre-warm at ").endsWith(" (in 5m): the next event is due then");
            // One timer: the tick the event brought, whose decision then sets it at the plan's change; and the
            // deadlines' one, armed by the event until a timeout after it.
            assertThat(h.dispatcher.deadlines.timers()).isEqualTo(1);
            assertThat(h.timers.pending()).isEqualTo(2);

            h.advance(Duration.ofMinutes(5).minusMillis(1));
            h.settle();
            assertThat(h.status().ready()).isZero();
            assertThat(sandbox.starts).hasValue(1);

            h.advance(Duration.ofMillis(1));
            h.settle();
            s = h.status();
            assertThat(s.desired()).isEqualTo(1);
            assertThat(s.ready()).isEqualTo(1);
            assertThat(sandbox.starts).hasValue(2);
            assertThat(h.prewarms).hasValue(1);
            assertThat(s.keptUntil()).isNotNull();
            assertThat(s.nextPrewarm()).isNull();
            assertThat(s.decision()).startsWith("kept until ").endsWith(" (in 1m): the next event is due then");

            assertThat(run(h, "second").info().coldStart()).as("pre-warmed").isFalse();
        }
    }

    @Test
    void aFixedKeepAliveLetsTheInstanceGoAtItsEndAndAFunctionAtZeroWithNoPlanHoldsNoTimer() throws Exception {
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> Result.empty());
        try (Harness h = new Harness(sandbox, config("f", "fixed-1m"), new ManualTimers(T0), registry())) {
            assertThat(h.timers.pending()).isZero();
            h.advance(DEPLOYED);
            assertThat(run(h, "first").info().coldStart()).isTrue();
            h.settle();
            DispatcherStatus s = h.status();
            assertThat(s.ready()).isEqualTo(1);
            assertThat(s.decision()).startsWith("kept until ").endsWith(" (in 1m): kept 1 min after the last event");
            assertThat(h.timers.pending() - h.dispatcher.deadlines.timers())
                    .as("one timer for the function, beside its deadlines'")
                    .isEqualTo(1);

            h.advance(Duration.ofSeconds(30));
            assertThat(run(h, "second").info().coldStart()).isFalse();
            h.advance(Duration.ofSeconds(60).minusMillis(1));
            assertThat(h.status().ready()).isEqualTo(1);
            h.advance(Duration.ofMillis(1)); // a minute after the second event
            s = h.status();
            assertThat(s.desired()).isZero();
            assertThat(s.ready()).isZero();
            assertThat(s.keptUntil()).isNull();
            assertThat(s.decision()).isEqualTo("no instance until the next event: kept 1 min after the last event");
            await().atMost(Harness.SETTLE).until(() -> sandbox.alive.get() == 0);
            assertThat(h.timers.pending() - h.dispatcher.deadlines.timers())
                    .as("at zero with nothing planned")
                    .isZero();
            h.advance(Duration.ofMinutes(10)); // the timeout, when the deadlines' timer fires and is not armed again
            assertThat(h.timers.pending()).isZero();
            assertThat(h.prewarms).hasValue(0);

            assertThat(run(h, "third").info().coldStart()).isTrue();
        }
    }

    @Test
    void theAutoscalerStillScalesAboveOneUnderLoadAndThePlanTakesOverOnceItWantsAtMostOne() throws Exception {
        Semaphore done = new Semaphore(0);
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            done.acquire();
            return Result.empty();
        });
        try (Harness h = new Harness(sandbox, config("f", "fixed-1m"), new ManualTimers(T0), registry())) {
            h.advance(DEPLOYED);
            List<CompletableFuture<Outcome>> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add(h.dispatcher.dispatch(event("held-" + i)));
            }
            for (int t = 0; t < 120; t += 2) {
                h.advance(ScaleSettings.TICK);
                h.settle();
            }
            // ceil(3 / 0.7) = 5 once the stable window has seen three at once: the autoscaler's count.
            assertThat(h.status().desired()).isEqualTo(5);
            assertThat(h.status().ready()).isEqualTo(5);
            assertThat(h.status().policy()).isEqualTo("fixed-1m");
            assertThat(h.status().keptUntil()).isNull();

            done.release(3);
            CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            List<Integer> desired = new ArrayList<>();
            for (int t = 0; t < 100; t += 2) {
                h.advance(ScaleSettings.TICK);
                h.settle();
                desired.add(h.status().desired());
            }
            // Down by at most half a decision while the autoscaler wants more than one; then, once it wants
            // one, the plan, whose minute after the events has long passed, lets the last ones go at once.
            assertThat(desired.getFirst()).isGreaterThan(1);
            int firstZero = desired.indexOf(0);
            assertThat(firstZero).isPositive();
            for (int i = 1; i < firstZero; i++) {
                assertThat(desired.get(i)).isGreaterThanOrEqualTo(desired.get(i - 1) / 2);
            }
            // Halving it would have wanted one: the step the plan owns.
            assertThat(desired.get(firstZero - 1) / 2).isEqualTo(1);
            assertThat(desired.subList(firstZero, desired.size())).containsOnly(0);
            assertThat(h.status().decision()).startsWith("no instance until the next event");
            assertThat(h.timers.pending()).isEqualTo(h.dispatcher.deadlines.timers());
            h.advance(Duration.ofMinutes(10)); // the timeout: the deadlines' timer fires once, and is not armed again
            assertThat(h.timers.pending()).isZero();
        }
    }

    @Test
    void aFunctionThePolicyNamesAfterAnotherOnesEventIsReplannedAndPrewarmed() throws Exception {
        ScriptedPolicy policy =
                new ScriptedPolicy(Duration.ofHours(1), Duration.ofMinutes(1), Map.of("a", Set.of("b")));
        WarmPlanner planner = new WarmPlanner(n -> policy);
        ManualTimers timers = new ManualTimers(T0);
        ScriptedSandbox sandboxA = new ScriptedSandbox((e, c) -> Result.empty());
        ScriptedSandbox sandboxB = new ScriptedSandbox((e, c) -> Result.empty());
        try (Harness a = new Harness(sandboxA, config("a", ScriptedPolicy.NAME), timers, planner);
                Harness b = new Harness(sandboxB, config("b", ScriptedPolicy.NAME), timers, planner)) {
            timers.advance(DEPLOYED);
            assertThat(run(b, "b-first").info().coldStart()).isTrue();
            b.settle();
            assertThat(b.status().ready()).isZero(); // its own plan: nothing for an hour

            timers.advance(Duration.ofSeconds(10));
            run(a, "a-first");
            // b is decided on again once the timers run, never on a's thread.
            assertThat(b.status().desired()).isZero();
            timers.runDue();
            b.settle();
            assertThat(b.status().ready()).isEqualTo(1);
            assertThat(b.prewarms).hasValue(1);
            assertThat(sandboxB.starts).hasValue(2);
            assertThat(b.status().decision()).startsWith("kept until ").endsWith(" (in 1m): a neighbour's event");

            timers.advance(Duration.ofMinutes(1));
            assertThat(b.status().ready()).isZero();
        }
        assertThat(policy.removed).containsExactlyInAnyOrder("a", "b");
        assertThat(planner.seated()).isZero();
    }
}
