package dev.sedge.scaling.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.scaling.policy.FixedKeepAlive;
import dev.sedge.scaling.policy.KnativeKeepAlive;
import dev.sedge.scaling.policy.OracleKeepAlive;
import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.catalog.KeepAlivePolicies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorTest {

    private static final long MIN = 60_000;
    private static final PolicyContext CONTEXT = new PolicyContext(500, 1024, 4096);

    private static PolicyResult run(Trace trace, String policy) {
        return new Simulator(
                        trace,
                        KeepAlivePolicies.create(policy, CONTEXT, trace.arrivals()),
                        CONTEXT,
                        SimulationListener.NONE)
                .run();
    }

    @Test
    void aFixedKeepAliveCatchesExactlyTheGapsShorterThanIt() {
        Trace trace = new TraceBuilder()
                .at(0, "a")
                .at(9 * MIN, "a") // within 10 min: warm
                .at(19 * MIN + 1, "a") // 10 min + 1 ms after the last: cold
                .at(29 * MIN + 1, "a") // exactly 10 min: the instance went at that instant, cold
                .build();
        PolicyResult r = run(trace, "fixed-10m");
        assertThat(r.invocations()).isEqualTo(4);
        assertThat(r.coldStarts()).isEqualTo(3);
        assertThat(r.avoidableColdStarts()).isEqualTo(2);
        // Ready and unused: 0.5 s to 9 min, then 10 min after it, then 19m0.5s+1ms to 29m+1ms, in GiB-s.
        double idleSeconds = (9 * 60 - 0.5) + 10 * 60 + (10 * 60 - 0.5);
        assertThat(r.wastedGibSeconds()).isCloseTo(idleSeconds, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void eventsWaitingForOneStartShareOneColdStart() {
        Trace trace = new TraceBuilder().at(0, "a").at(0, "a").at(200, "a").build();
        PolicyResult r = run(trace, "fixed-1m");
        assertThat(r.coldStarts()).isEqualTo(1);
        assertThat(r.avoidableColdStarts()).isZero();
        // Waits of 500, 500 and 300 ms: the median and the 99th percentile over all three events.
        assertThat(r.addedLatencyP50Millis()).isEqualTo(500);
        assertThat(r.addedLatencyP99Millis()).isEqualTo(500);
    }

    @Test
    void aStartThatEventsWaitForIsNotLetGoBeforeItServesThem() {
        // A policy that wants the instance gone after every event, back a minute later.
        dev.sedge.scaling.policy.KeepAlivePolicy later = new dev.sedge.scaling.policy.KeepAlivePolicy() {
            private long last = -1;

            @Override
            public String name() {
                return "later";
            }

            @Override
            public java.util.Set<String> arrived(String function, long atMillis) {
                last = atMillis;
                return java.util.Set.of();
            }

            @Override
            public dev.sedge.scaling.policy.WarmPlan plan(String function, long nowMillis) {
                return dev.sedge.scaling.policy.WarmPlan.prewarm(last + MIN, last + 2 * MIN, () -> "later");
            }
        };
        Trace trace = new TraceBuilder().at(0, "a").at(100, "a").build();
        PolicyResult r = new Simulator(trace, later, CONTEXT, SimulationListener.NONE).run();
        // The second event waits for the start the first one began: one cold start, waits of 500 and 400.
        assertThat(r.coldStarts()).isEqualTo(1);
        assertThat(r.avoidableColdStarts()).isZero();
        assertThat(r.addedLatencyP50Millis()).isEqualTo(400);
        assertThat(r.addedLatencyP99Millis()).isEqualTo(500);
    }

    @Test
    void everyFunctionsFirstEventIsColdAndNotAvoidable() {
        Trace trace = new TraceBuilder().at(0, "a").at(10, "b").at(20, "c").build();
        PolicyResult r = run(trace, OracleKeepAlive.NAME);
        assertThat(r.coldStarts()).isEqualTo(3);
        assertThat(r.avoidableColdStarts()).isZero();
    }

    @Test
    void theOracleAvoidsEveryColdStartAndWastesNothingButGapsShorterThanAStart() {
        Trace trace = new TraceBuilder()
                .every(37 * MIN, "a", 0, 20)
                .every(5 * MIN, "b", 3 * MIN, 30)
                .at(98 * MIN + 300, "b") // 300 ms after one of b's: shorter than a start, kept
                .build();
        PolicyResult r = run(trace, OracleKeepAlive.NAME);
        assertThat(r.avoidableColdStarts()).isZero();
        assertThat(r.wastedGibSeconds()).isCloseTo(0.3, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void knativeKeepsTheStableWindow() {
        Trace trace = new TraceBuilder()
                .at(0, "a")
                .at(59_999, "a")
                .at(2 * 59_999 + 2, "a")
                .build();
        PolicyResult r = run(trace, KnativeKeepAlive.NAME);
        assertThat(r.coldStarts()).isEqualTo(2);
    }

    @Test
    void theListenerSeesStartsStopsAndEventsInTimeOrder() {
        Trace trace = new TraceBuilder().at(0, "a").at(2 * MIN, "a").build();
        List<String> seen = new ArrayList<>();
        new Simulator(trace, new FixedKeepAlive(Duration.ofMinutes(1)), CONTEXT, new SimulationListener() {
                    @Override
                    public void started(String function, long at, boolean prewarm) {
                        seen.add("start " + at + (prewarm ? " prewarm" : ""));
                    }

                    @Override
                    public void stopped(String function, long at) {
                        seen.add("stop " + at);
                    }

                    @Override
                    public void invoked(String function, long at, boolean cold, long waited) {
                        seen.add("event " + at + (cold ? " cold " + waited : ""));
                    }
                })
                .run();
        assertThat(seen)
                .containsExactly(
                        "start 0",
                        "event 0 cold 500",
                        "stop 60000",
                        "start 120000",
                        "event 120000 cold 500",
                        "stop 120000");
    }

    @Test
    void theSameTraceAndPolicyGiveTheSameResult() {
        TraceBuilder b = new TraceBuilder();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 2000; i++) {
            b.at(random.nextLong(0, 48 * 60 * MIN), "f" + random.nextInt(20));
        }
        Trace trace = b.build();
        for (String policy : KeepAlivePolicies.study()) {
            assertThat(run(trace, policy)).as(policy).isEqualTo(run(trace, policy));
        }
    }

    @Test
    void oneResultDominatesAnotherOnlyWhenNoWorseOnBothAndBetterOnOne() {
        PolicyResult a = new PolicyResult("a", 10, 5, 4, 1.0, 0, 0, 0);
        PolicyResult b = new PolicyResult("b", 10, 6, 5, 1.0, 0, 0, 0);
        PolicyResult c = new PolicyResult("c", 10, 4, 3, 2.0, 0, 0, 0);
        assertThat(a.dominates(b)).isTrue();
        assertThat(b.dominates(a)).isFalse();
        assertThat(a.dominates(c)).isFalse();
        assertThat(c.dominates(a)).isFalse();
        assertThat(a.dominates(a)).isFalse();
    }
}
