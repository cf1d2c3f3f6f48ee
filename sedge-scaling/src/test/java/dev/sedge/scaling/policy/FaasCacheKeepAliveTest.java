package dev.sedge.scaling.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sedge.scaling.policy.catalog.KeepAlivePolicies;
import dev.sedge.scaling.sim.PolicyResult;
import dev.sedge.scaling.sim.SimulationListener;
import dev.sedge.scaling.sim.Simulator;
import dev.sedge.scaling.sim.Trace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Greedy-Dual-Size-Frequency eviction under a memory budget, stepped event by event. */
class FaasCacheKeepAliveTest {

    /** Four instances of 128 MiB fit in 512 MiB; a cold start costs 512 ms, so cost / size is 4. */
    private static final PolicyContext FOUR = new PolicyContext(512, 128, 512);

    private static final double COST_PER_MIB = 4.0;

    @Test
    void keepsEveryInstanceWhileMemoryLasts() {
        FaasCacheKeepAlive policy = new FaasCacheKeepAlive(FOUR);
        for (String f : List.of("a", "b", "c", "d")) {
            assertThat(policy.arrived(f, 1_000)).isEmpty();
        }
        for (String f : List.of("a", "b", "c", "d")) {
            WarmPlan plan = policy.plan(f, 1_000_000_000L);
            assertThat(plan.warmAt(1_000_000_000L)).isTrue();
            assertThat(plan.warmUntil()).isEqualTo(Long.MAX_VALUE);
            assertThat(plan.reviewAt()).isEqualTo(Long.MAX_VALUE);
        }
        assertThat(policy.plan("never", 0).warmFrom()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void evictsTheLowestPriorityAndTheClockRisesToIt() {
        FaasCacheKeepAlive policy = new FaasCacheKeepAlive(FOUR);
        arrive(policy, "a", 3);
        arrive(policy, "b", 2);
        arrive(policy, "c", 1);
        arrive(policy, "d", 1);
        assertThat(policy.priority("a")).isEqualTo(3 * COST_PER_MIB);
        assertThat(policy.priority("c")).isEqualTo(COST_PER_MIB);

        // c and d tie at one event each; c was used less recently.
        assertThat(policy.arrived("e", 10)).containsExactly("c");
        assertThat(policy.clock()).isEqualTo(COST_PER_MIB);
        assertThat(policy.priority("e")).isEqualTo(COST_PER_MIB + COST_PER_MIB);
        assertThat(policy.plan("c", 10).warmAt(10)).isFalse();
        assertThat(policy.plan("c", 10).nextChange(10)).isEqualTo(Long.MAX_VALUE);
        assertThat(policy.plan("e", 10).warmAt(10)).isTrue();

        // The next miss takes d (priority 4), not e (8), though e came last.
        assertThat(policy.arrived("f", 11)).containsExactly("d");
        assertThat(policy.clock()).isEqualTo(COST_PER_MIB);
    }

    @Test
    void aHitMovesThePriorityUpFromTheCurrentClock() {
        FaasCacheKeepAlive policy = new FaasCacheKeepAlive(new PolicyContext(512, 128, 256)); // two fit
        arrive(policy, "a", 5); // 20
        arrive(policy, "b", 1); // 4
        policy.arrived("c", 1); // evicts b: clock 4, c = 8
        policy.arrived("b", 2); // evicts c: clock 8, b = 12
        assertThat(policy.clock()).isEqualTo(8.0);
        policy.arrived("a", 3); // a hit: 8 + 6 * 4 = 32, not 24 from a clock of 0
        assertThat(policy.priority("a")).isEqualTo(32.0);
    }

    @Test
    void anEvictedFunctionStartsItsFrequencyAgain() {
        FaasCacheKeepAlive policy = new FaasCacheKeepAlive(new PolicyContext(512, 128, 128)); // one fits
        arrive(policy, "a", 4); // 16
        assertThat(policy.arrived("b", 5)).containsExactly("a"); // clock 16, b = 20
        assertThat(policy.arrived("a", 6)).containsExactly("b"); // clock 20
        // One event since it came back, not five in all.
        assertThat(policy.priority("a")).isEqualTo(20 + COST_PER_MIB);
    }

    @Test
    void removingAFunctionFreesItsMemoryWithoutAnEviction() {
        FaasCacheKeepAlive policy = new FaasCacheKeepAlive(new PolicyContext(512, 128, 128));
        policy.arrived("a", 1);
        policy.removed("a");
        assertThat(policy.arrived("b", 2)).isEmpty();
        assertThat(policy.clock()).isZero();
        assertThat(policy.plan("a", 3).warmFrom()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theKeptInstancesNeverExceedTheBudget() {
        FaasCacheKeepAlive policy = new FaasCacheKeepAlive(FOUR);
        Set<String> kept = new HashSet<>();
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            String f = "f" + (int) Math.abs(random.nextGaussian() * 6);
            kept.removeAll(policy.arrived(f, i));
            kept.add(f);
            assertThat(kept).hasSizeLessThanOrEqualTo(4);
            for (String g : kept) {
                assertThat(policy.plan(g, i).warmAt(i)).as(g).isTrue();
            }
        }
    }

    @Test
    void theRegistryMakesIt() {
        assertThat(KeepAlivePolicies.create("faascache", FOUR, null)).isInstanceOf(FaasCacheKeepAlive.class);
        assertThat(KeepAlivePolicies.study()).contains(FaasCacheKeepAlive.NAME);
        assertThat(KeepAlivePolicies.runsLive(FaasCacheKeepAlive.NAME)).isTrue();
    }

    /**
     * Room for two instances. Each hour a busy function runs a burst of 30 events, then three rare ones
     * take turns every ten minutes. Frequency keeps the busy one through the rare ones' evictions: only its
     * first event is cold, and the rare ones, evicting each other, are cold every time. Recency alone (LRU)
     * would evict the busy one at the second rare event of every hour.
     */
    @Test
    void inTheSimulatorTheFrequentFunctionKeepsItsPlace() {
        PolicyContext two = new PolicyContext(500, 128, 256);
        List<String> names = List.of("busy", "rare1", "rare2", "rare3");
        List<long[]> events = new ArrayList<>();
        int rare = 0;
        for (long hour = 0; hour < 4; hour++) {
            long start = hour * 3_600_000;
            for (int second = 0; second < 30; second++) {
                events.add(new long[] {start + second * 1_000, 0});
            }
            for (long minute = 10; minute < 60; minute += 10) {
                events.add(new long[] {start + minute * 60_000, 1 + rare++ % 3});
            }
        }
        int[] function = events.stream().mapToInt(e -> (int) e[1]).toArray();
        long[] times = events.stream().mapToLong(e -> e[0]).toArray();
        Trace trace = new Trace("busy-and-rare", names, function, times);

        Map<String, Integer> cold = new HashMap<>();
        InstantCount up = new InstantCount();
        SimulationListener listener = new SimulationListener() {
            @Override
            public void started(String f, long atMillis, boolean prewarm) {
                up.change(atMillis, 1);
            }

            @Override
            public void stopped(String f, long atMillis) {
                up.change(atMillis, -1);
            }

            @Override
            public void invoked(String f, long atMillis, boolean wasCold, long waitedMillis) {
                cold.merge(f, wasCold ? 1 : 0, Integer::sum);
            }
        };
        PolicyResult result = new Simulator(trace, new FaasCacheKeepAlive(two), two, listener).run();

        assertThat(cold).containsEntry("busy", 1).containsEntry("rare1", 7).containsEntry("rare2", 7);
        assertThat(cold).containsEntry("rare3", 6);
        assertThat(result.avoidableColdStarts()).isEqualTo(20 - 3);
        assertThat(result.prewarms()).isZero();
        assertThat(up.most()).isEqualTo(2);
        // Events take no time: both kept instances idle from their first start to the trace's end (3 h 50
        // min), the rare one from the first rare event, less the half second of each start.
        double end = 3 * 3_600 + 50 * 60;
        double idleSeconds = (end - 0.5) + (end - 600 - 19 * 0.5);
        assertThat(result.wastedGibSeconds()).isCloseTo(0.125 * idleSeconds, within(1e-6));
    }

    /**
     * Instances up at the end of each instant: within one, the simulator starts the newcomer's instance
     * before the policy names what it evicts.
     */
    private static final class InstantCount {
        private long instant = Long.MIN_VALUE;
        private int count;
        private int most;

        void change(long atMillis, int by) {
            if (atMillis > instant) {
                most = Math.max(most, count);
                instant = atMillis;
            }
            count += by;
        }

        int most() {
            return Math.max(most, count);
        }
    }

    private static void arrive(FaasCacheKeepAlive policy, String function, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(policy.arrived(function, i)).isEmpty();
        }
    }
}
