package dev.sedge.scaling.policy.icebreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.scaling.policy.KeepAlivePolicy;
import dev.sedge.scaling.policy.KnativeKeepAlive;
import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.sim.PolicyResult;
import dev.sedge.scaling.sim.SimulationListener;
import dev.sedge.scaling.sim.Simulator;
import dev.sedge.scaling.sim.Trace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Twelve hours of a device that reports every quarter hour, beside a motion sensor that fires at random.
 * Once the four-hour window holds the heartbeat, every beat is pre-warmed: only beats of the first window
 * are cold (not all of them: a window half full of beats already forecasts the next ones). Knative's
 * keep-alive, a minute and a half, is cold at every beat.
 */
class IceBreakerSimulationTest {

    private static final long MIN = 60_000;

    @Test
    void afterOneWindowEveryHeartbeatFindsItsInstanceReady() {
        Trace trace = heartbeatAndMotion();
        Run icebreaker = run(trace, new IceBreakerKeepAlive(PolicyContext.DEFAULTS));
        Run knative = run(trace, new KnativeKeepAlive());

        assertThat(icebreaker.events.get("heartbeat")).isEqualTo(48);
        assertThat(icebreaker.coldHeartbeats).isNotEmpty().allMatch(at -> at < 4 * 60 * MIN);
        int warm = 48 - icebreaker.coldHeartbeats.size();
        assertThat(warm).isGreaterThanOrEqualTo(48 - 16);
        assertThat(icebreaker.prewarms.get("heartbeat")).isGreaterThanOrEqualTo(warm);
        assertThat(knative.coldHeartbeats).hasSize(48);
        // Each pre-warm holds its instance a minute and a cold start at most: little memory for it.
        assertThat(icebreaker.result.wastedGibSeconds())
                .isLessThan(knative.result.wastedGibSeconds() + 32 * 60.5 * 0.125);
        assertThat(icebreaker.result.coldStarts()).isLessThan(knative.result.coldStarts() - 30);
    }

    private static Trace heartbeatAndMotion() {
        List<long[]> events = new ArrayList<>();
        for (long beat = 0; beat < 48; beat++) {
            events.add(new long[] {beat * 15 * MIN + 17_000 + beat % 3 * 1_000, 0}); // a second or two of jitter
        }
        Random random = new Random(5);
        for (int burst = 0; burst < 20; burst++) {
            long at = (long) (random.nextDouble() * 12 * 60 * MIN);
            for (int i = 0; i < 1 + random.nextInt(6); i++) {
                events.add(new long[] {at + i * 4_000L, 1});
            }
        }
        events.sort((a, b) -> Long.compare(a[0], b[0]));
        int[] function = events.stream().mapToInt(e -> (int) e[1]).toArray();
        long[] times = events.stream().mapToLong(e -> e[0]).toArray();
        return new Trace("heartbeat-and-motion", List.of("heartbeat", "motion"), function, times);
    }

    private record Run(
            PolicyResult result,
            Map<String, Integer> events,
            List<Long> coldHeartbeats,
            Map<String, Integer> prewarms) {}

    private static Run run(Trace trace, KeepAlivePolicy policy) {
        Map<String, Integer> events = new HashMap<>();
        List<Long> coldHeartbeats = new ArrayList<>();
        Map<String, Integer> prewarms = new HashMap<>();
        SimulationListener listener = new SimulationListener() {
            @Override
            public void started(String function, long atMillis, boolean prewarm) {
                prewarms.merge(function, prewarm ? 1 : 0, Integer::sum);
            }

            @Override
            public void invoked(String function, long atMillis, boolean wasCold, long waitedMillis) {
                events.merge(function, 1, Integer::sum);
                if (wasCold && function.equals("heartbeat")) {
                    coldHeartbeats.add(atMillis);
                }
            }
        };
        PolicyResult result = new Simulator(trace, policy, PolicyContext.DEFAULTS, listener).run();
        return new Run(result, events, coldHeartbeats, prewarms);
    }
}
