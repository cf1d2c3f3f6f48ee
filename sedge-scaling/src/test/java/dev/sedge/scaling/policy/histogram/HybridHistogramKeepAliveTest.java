package dev.sedge.scaling.policy.histogram;

import static dev.sedge.scaling.policy.SyntheticTraces.HOUR;
import static dev.sedge.scaling.policy.SyntheticTraces.MINUTE;
import static dev.sedge.scaling.policy.SyntheticTraces.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.scaling.policy.KeepAlivePolicy;
import dev.sedge.scaling.policy.KnativeKeepAlive;
import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.WarmPlan;
import dev.sedge.scaling.policy.catalog.KeepAlivePolicies;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Events stepped by hand; each test reads the plan right after the last event. */
class HybridHistogramKeepAliveTest {

    private static final long COLD = PolicyContext.DEFAULTS.coldStartMillis();

    private final KeepAlivePolicy policy = new HybridHistogramKeepAlive(PolicyContext.DEFAULTS);
    private long last;

    /** Events separated by {@code idle}, after a first one at 0; the plan right after the last. */
    private WarmPlan after(long... idle) {
        policy.arrived("f", last);
        for (long i : idle) {
            last += i;
            policy.arrived("f", last);
        }
        return policy.plan("f", last);
    }

    private static long[] times(int count, long idle) {
        long[] idles = new long[count];
        Arrays.fill(idles, idle);
        return idles;
    }

    @Test
    void withFewerThanTenIdleTimesTheInstanceIsKeptFourHours() {
        WarmPlan plan = after(times(9, 10 * MINUTE));
        assertThat(plan.warmAt(last)).isTrue();
        assertThat(plan.warmUntil()).isEqualTo(last + 4 * HOUR);
        assertThat(plan.reason()).contains("9 idle times, fewer than 10");
    }

    @Test
    void aPeriodicFunctionIsLetGoAndPreWarmedACold_startBeforeItsNextEvent() {
        WarmPlan plan = after(times(10, 10 * MINUTE));
        // Head and tail in the 10-minute bin: ready from 10 min less 10 % = 9 min, kept to 11 min + 10 % = 13 min.
        assertThat(plan.warmAt(last)).isFalse();
        assertThat(plan.warmFrom()).isEqualTo(last + 9 * MINUTE - COLD);
        assertThat(plan.warmUntil()).isEqualTo(last + 13 * MINUTE);
        assertThat(plan.reviewAt()).isEqualTo(Long.MAX_VALUE);
        assertThat(policy.plan("f", last + 9 * MINUTE).warmAt(last + 9 * MINUTE))
                .isTrue();
        assertThat(plan.reason()).contains("pre-warmed 9 min after the event, kept until 13 min");
    }

    @Test
    void theWindowsAreTheFifthAndNinetyNinthPercentilesWithTenPercentMargins() {
        long[] idle = new long[20];
        Arrays.fill(idle, 30 * MINUTE);
        idle[0] = 2 * MINUTE + 30 * SECOND;
        WarmPlan plan = after(idle);
        // 5th percentile: the shortest, in bin 2, less 10 % is 1.8, down to 1 min; 99th: bin 30, its upper
        // edge 31 min plus 10 % is 34.1, up to 35 min.
        assertThat(plan.warmFrom()).isEqualTo(last + MINUTE - COLD);
        assertThat(plan.warmUntil()).isEqualTo(last + 35 * MINUTE);
    }

    @Test
    void idleTimesUnderAMinuteKeepTheInstanceFromTheEvent() {
        WarmPlan plan = after(times(12, 30 * SECOND));
        assertThat(plan.warmAt(last)).isTrue();
        assertThat(plan.warmUntil()).isEqualTo(last + 2 * MINUTE);
    }

    @Test
    void aPreWarmShorterThanTheColdStartKeepsTheInstanceFromTheEvent() {
        KeepAlivePolicy slowStarts = new HybridHistogramKeepAlive(new PolicyContext(2 * MINUTE, 128, 2048));
        slowStarts.arrived("f", 0);
        for (int i = 1; i <= 10; i++) {
            slowStarts.arrived("f", i * 2 * MINUTE);
        }
        // Head in bin 2, less 10 %: ready at 1 min, which a two-minute start cannot reach after the event.
        WarmPlan plan = slowStarts.plan("f", 20 * MINUTE);
        assertThat(plan.warmAt(20 * MINUTE)).isTrue();
        assertThat(plan.warmUntil()).isEqualTo(20 * MINUTE + 4 * MINUTE);
    }

    @Test
    void aSpreadHistogramIsNotRepresentativeAndKeepsFourHours() {
        long[] idle = new long[60];
        for (int m = 0; m < idle.length; m++) {
            idle[m] = (m + 1) * MINUTE + 5 * SECOND;
        }
        WarmPlan plan = after(idle);
        assertThat(plan.warmAt(last)).isTrue();
        assertThat(plan.warmUntil()).isEqualTo(last + 4 * HOUR);
        assertThat(plan.reason()).contains("CV 1.73 below 2");
    }

    @Test
    void mostlyOutOfBoundsFollowsTheForecastWithFifteenPercentMargins() {
        long[] idle = times(12, 5 * HOUR);
        idle[0] = 20 * MINUTE;
        idle[1] = 20 * MINUTE;
        WarmPlan plan = after(idle);
        // The fit on 20 min, 20 min, then ten of 5 h forecasts 5 h: started at 4.25 h, kept to 5.75 h.
        assertThat(plan.warmFrom()).isEqualTo(last + 4 * HOUR + 15 * MINUTE - COLD);
        assertThat(plan.warmUntil()).isEqualTo(last + 5 * HOUR + 45 * MINUTE);
        assertThat(plan.reason()).contains("10 of 12 idle times beyond the range; next forecast in 300 min");
    }

    @Test
    void aFunctionWithoutEventsHasNoPlanAndEachFunctionLearnsItsOwn() {
        assertThat(policy.plan("g", 0).warmAt(0)).isFalse();
        after(times(10, 10 * MINUTE));
        policy.arrived("g", last);
        assertThat(policy.plan("g", last).warmUntil()).isEqualTo(last + 4 * HOUR);
        policy.removed("f");
        assertThat(policy.plan("f", last).warmAt(last)).isFalse();
    }

    @Test
    void theRegistryCreatesItAndTheStudyRunsItBeforeKnative() {
        assertThat(KeepAlivePolicies.create(HybridHistogramKeepAlive.NAME, PolicyContext.DEFAULTS, null)
                        .name())
                .isEqualTo("hybrid-histogram");
        assertThat(KeepAlivePolicies.runsLive(HybridHistogramKeepAlive.NAME)).isTrue();
        assertThat(KeepAlivePolicies.study().indexOf(HybridHistogramKeepAlive.NAME))
                .isLessThan(KeepAlivePolicies.study().indexOf(KnativeKeepAlive.NAME));
    }
}
