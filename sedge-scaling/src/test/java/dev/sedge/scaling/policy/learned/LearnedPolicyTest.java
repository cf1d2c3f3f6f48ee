package dev.sedge.scaling.policy.learned;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.scaling.policy.FixedKeepAlive;
import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.WarmPlan;
import dev.sedge.scaling.sim.PolicyResult;
import dev.sedge.scaling.sim.SimulationListener;
import dev.sedge.scaling.sim.Simulator;
import dev.sedge.scaling.sim.Trace;
import dev.sedge.scaling.sim.TraceBuilder;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LearnedPolicyTest {

    private static final long S = 1000;
    private static final long MIN = 60 * S;
    private static final PolicyContext CONTEXT = new PolicyContext(500, 128, 2048);

    @Test
    void beforeAnyEventThereIsNoPlanAndWithNoHistoryItKeepsAColdStartsWorthAndAQuarter() {
        LearnedPolicy policy = new LearnedPolicy(CONTEXT);
        assertThat(policy.plan("a", 0).warmAt(0)).isFalse();
        policy.arrived("a", 1000);
        WarmPlan plan = policy.plan("a", 1000);
        assertThat(plan.warmAt(1000)).isTrue();
        // Nothing is known of its gaps: held for 1.25 times the 60 minutes a cold start is worth.
        assertThat(plan.warmUntil()).isEqualTo(1000 + 75 * MIN);
        assertThat(plan.reason()).contains("kept after the last event");
    }

    @Test
    void aJitteryPeriodicSensorIsPreWarmedBeforeEachReportAndLetGoBetween() {
        LearnedPolicy policy = new LearnedPolicy(CONTEXT);
        Random random = new Random(3);
        long last = 0;
        for (int i = 0; i < 40; i++) {
            last += 15 * MIN + random.nextInt(-20, 21) * S;
            policy.arrived("meter", last);
        }
        // Kept for seconds after a report (a gap shorter than any seen may still come), let go, and started
        // again shortly before the next report is due; then held past it, in case it is lost.
        long now = last + 30 * S;
        WarmPlan plan = policy.plan("meter", now);
        assertThat(plan.warmAt(now)).as(plan.reason()).isFalse();
        assertThat(plan.warmFrom()).isBetween(last + 13 * MIN, last + 15 * MIN - 20 * S);
        assertThat(plan.warmUntil()).isEqualTo(last + 75 * MIN);
        assertThat(plan.reason()).contains("pre-warmed where this function's next event is due");
    }

    @Test
    void aFollowerIsWarmedWhenTheDeviceItFollowsWakes() {
        LearnedPolicy policy = new LearnedPolicy(CONTEXT, Duration.ofMinutes(60), Duration.ofMinutes(5));
        long t = 0;
        // The hall sensor wakes, and the kitchen sensor fires a minute later, every few hours.
        for (int day = 0; day < 6; day++) {
            policy.arrived("hall", t);
            policy.arrived("kitchen", t + MIN);
            t += (5 + day) * 3600 * S;
        }
        assertThat(policy.arrived("hall", t)).containsExactly("kitchen");
        WarmPlan plan = policy.plan("kitchen", t);
        assertThat(plan.warmAt(t)).isTrue();
        // For its longest lag and a quarter more, and a cold start. It is credited with the wakes of the hall
        // it followed cold: not the first (its own first event credits no one), not the one its own pre-warm
        // window, learned from the gaps of 5 to 9 hours, happened to cover, and not this one (not yet).
        assertThat(plan.warmUntil()).isEqualTo(t + MIN + 15 * S + 500);
        assertThat(plan.reason()).contains("hall woke and this function followed 4 of 7 of its wakes");
    }

    @Test
    void aDeviceThatWakesAtTheSameHourEveryWeekdayIsPreWarmedJustBeforeIt() {
        LearnedPolicy policy = new LearnedPolicy(CONTEXT);
        long monday = java.time.LocalDate.of(2026, 11, 30).toEpochDay() * 24 * 60 * MIN;
        long day = 24 * 60 * MIN;
        // The office's door at about eight each weekday morning, two events a few seconds apart.
        for (int d = 0; d < 21; d++) {
            long at = monday + d * day + 8 * 60 * MIN + (d % 3) * 4 * MIN;
            if (!DailyWakes.weekend(at)) {
                policy.arrived("door", at);
                policy.arrived("door", at + 5 * S);
            }
        }
        long mondayMorning = monday + 21 * day + 7 * 60 * MIN;
        WarmPlan plan = policy.plan("door", mondayMorning);
        assertThat(plan.warmAt(mondayMorning)).as(plan.reason()).isFalse();
        // Five minutes before the earliest wake seen, less a cold start; until five minutes after the latest.
        assertThat(plan.warmFrom()).isEqualTo(mondayMorning + 55 * MIN - 500);
        assertThat(plan.warmUntil()).isEqualTo(mondayMorning + 73 * MIN);
        assertThat(plan.reason()).contains("the time of day this function often wakes");
    }

    @Test
    void onBurstsAndPeriodicSensorsItBeatsEveryFixedKeepAliveThatWastesNoMoreMemory() {
        TraceBuilder b = new TraceBuilder();
        Random random = new Random(5);
        for (int d = 0; d < 6; d++) {
            long period = (1 + d) * 5 * MIN;
            b.every(period, "meter-" + d, d * S, (int) (3 * 24 * 60 * MIN / period));
        }
        for (int burst = 0; burst < 60; burst++) {
            long at = random.nextLong(0, 3 * 24 * 60 * MIN);
            for (int k = 0; k < 5; k++) {
                b.at(at + k * random.nextLong(5 * S, 90 * S), "motion-" + burst % 4);
            }
        }
        Trace trace = b.build();
        PolicyResult sedge = new Simulator(trace, new LearnedPolicy(CONTEXT), CONTEXT, SimulationListener.NONE).run();
        for (int minutes : new int[] {1, 5, 10, 30, 60, 240}) {
            PolicyResult fixed = new Simulator(
                            trace, new FixedKeepAlive(Duration.ofMinutes(minutes)), CONTEXT, SimulationListener.NONE)
                    .run();
            assertThat(fixed.dominates(sedge)).as("%s against %s", fixed, sedge).isFalse();
            if (fixed.wastedGibSeconds() <= sedge.wastedGibSeconds()) {
                assertThat(sedge.avoidableColdStarts())
                        .as("%s against %s", sedge, fixed)
                        .isLessThan(fixed.avoidableColdStarts());
            }
        }
    }
}
