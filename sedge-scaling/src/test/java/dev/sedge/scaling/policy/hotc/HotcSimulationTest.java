package dev.sedge.scaling.policy.hotc;

import static dev.sedge.scaling.policy.SyntheticTraces.HOUR;
import static dev.sedge.scaling.policy.SyntheticTraces.MINUTE;
import static dev.sedge.scaling.policy.SyntheticTraces.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.scaling.policy.KeepAlivePolicy;
import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.SyntheticTraces;
import dev.sedge.scaling.policy.SyntheticTraces.Counts;
import dev.sedge.scaling.policy.WarmPlan;
import dev.sedge.scaling.sim.PolicyResult;
import dev.sedge.scaling.sim.Simulator;
import dev.sedge.scaling.sim.Trace;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A day of three functions through the simulator: a steady one (an event every 20 s), one with an event in
 * every other minute, and a sparse one (an event every 3 h).
 */
class HotcSimulationTest {

    private static long[] everyOtherMinute() {
        long[] times = new long[24 * 30];
        for (int i = 1; i < times.length; i++) {
            times[i] = i * 2 * MINUTE + 30 * SECOND;
        }
        return times;
    }

    private static final Trace TRACE = SyntheticTraces.merge(
            "synthetic",
            SyntheticTraces.functions(
                    "steady", SyntheticTraces.every(0, 20 * SECOND, 24 * 180),
                    "alternating", everyOtherMinute(),
                    "sparse", SyntheticTraces.every(5 * MINUTE, 3 * HOUR, 8)));

    /** Counts the plans each function costs. */
    private static final class CountingPlans implements KeepAlivePolicy {
        final KeepAlivePolicy policy = new HotcKeepAlive();
        final Map<String, Integer> plans = new HashMap<>();

        @Override
        public String name() {
            return policy.name();
        }

        @Override
        public Set<String> arrived(String function, long atMillis) {
            return policy.arrived(function, atMillis);
        }

        @Override
        public WarmPlan plan(String function, long nowMillis) {
            plans.merge(function, 1, Integer::sum);
            return policy.plan(function, nowMillis);
        }
    }

    private final Counts counts = new Counts();
    private final CountingPlans policy = new CountingPlans();
    private final PolicyResult result = new Simulator(TRACE, policy, PolicyContext.DEFAULTS, counts).run();

    @Test
    void steadyDemandIsNeverColdAfterItsFirstEvent() {
        assertThat(counts.cold("steady")).containsExactly(0L);
        assertThat(counts.stops("steady")).hasSize(1); // at the trace's end
    }

    @Test
    void demandInEveryOtherMinuteIsLetGoAndPreWarmedOnceTheChainHasLearnt() {
        assertThat(Counts.from(counts.cold("alternating"), 20 * MINUTE)).isZero();
        assertThat(Counts.from(counts.prewarms("alternating"), 20 * MINUTE)).isGreaterThan(24 * 30 - 15);
        assertThat(Counts.from(counts.stops("alternating"), 20 * MINUTE)).isGreaterThan(24 * 30 - 15);
    }

    @Test
    void aSparseFunctionIsColdEachTimeButCostsAFewPlansAndMinutesPerEvent() {
        assertThat(counts.cold("sparse")).hasSize(8);
        // Reviewed while its forecast decays to the middle error state, then not until its next event;
        // one review a minute would be 180 per event.
        assertThat(policy.plans.get("sparse")).isLessThanOrEqualTo(8 * 6);
        assertThat(counts.prewarms("sparse")).isEmpty();
        assertThat(result.avoidableColdStarts()).isEqualTo(7 + Counts.from(counts.cold("alternating"), 1));
    }
}
