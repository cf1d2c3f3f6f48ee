package dev.sedge.scaling.policy.hotc;

import static dev.sedge.scaling.policy.SyntheticTraces.HOUR;
import static dev.sedge.scaling.policy.SyntheticTraces.MINUTE;
import static dev.sedge.scaling.policy.SyntheticTraces.SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sedge.scaling.policy.KeepAlivePolicy;
import dev.sedge.scaling.policy.KnativeKeepAlive;
import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.WarmPlan;
import dev.sedge.scaling.policy.catalog.KeepAlivePolicies;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Events and interval boundaries stepped by hand, on one-minute intervals counted from the first event. */
class HotcKeepAliveTest {

    private final KeepAlivePolicy policy = new HotcKeepAlive();

    private WarmPlan planAt(long now) {
        return policy.plan("f", now);
    }

    @Test
    void anEventKeepsTheInstanceToTheEndOfItsInterval() {
        policy.arrived("f", 0);
        policy.arrived("f", 30 * SECOND);
        WarmPlan plan = planAt(30 * SECOND);
        assertThat(plan.warmAt(30 * SECOND)).isTrue();
        assertThat(plan.warmUntil()).isEqualTo(MINUTE);
        assertThat(plan.reviewAt()).isEqualTo(MINUTE);
        assertThat(plan.reason()).isEqualTo("2 events so far in this interval");
    }

    @Test
    void oneEventWarmsTheNextIntervalThenTheFunctionGoesQuietForGood() {
        policy.arrived("f", 10 * SECOND);
        // Smoothed: 0.5 events in the next interval, which rounds to one.
        WarmPlan next = planAt(10 * SECOND + MINUTE);
        assertThat(next.warmAt(10 * SECOND + MINUTE)).isTrue();
        assertThat(next.warmUntil()).isEqualTo(10 * SECOND + 2 * MINUTE);
        // 0.25, then 0.125 less the 0.4 the chain now expects: cold, but reviewed while the forecast is falling.
        for (int m = 2; m <= 3; m++) {
            WarmPlan cold = planAt(10 * SECOND + m * MINUTE);
            assertThat(cold.warmAt(10 * SECOND + m * MINUTE)).isFalse();
            assertThat(cold.reviewAt()).isEqualTo(10 * SECOND + (m + 1) * MINUTE);
        }
        // 0.0625, in the middle error state: no silent interval can be warm again, so no review.
        WarmPlan quiet = planAt(10 * SECOND + 4 * MINUTE);
        assertThat(quiet.warmAt(10 * SECOND + 4 * MINUTE)).isFalse();
        assertThat(quiet.reviewAt()).isEqualTo(Long.MAX_VALUE);
        assertThat(quiet.reason()).startsWith("quiet: expects 0.06 events");
    }

    @Test
    void steadyDemandIsKeptWarmAtEveryBoundary() {
        for (int m = 0; m < 30; m++) {
            if (m > 0) {
                assertThat(planAt(m * MINUTE).warmAt(m * MINUTE))
                        .as("minute %d", m)
                        .isTrue();
            }
            for (int s = 0; s < 60; s += 20) {
                policy.arrived("f", m * MINUTE + s * SECOND);
            }
        }
    }

    @Test
    void theChainLearnsThatDemandAlternatesAndCorrectsTheSmoothingBothWays() {
        // One event at the start of every other interval (intervals count from the first event). Smoothing
        // alone would expect 1/3 event in the intervals with one (cold) and 2/3 in the others (warm); the
        // chain has seen each error followed by its opposite.
        long first = 30 * SECOND;
        for (int m = 0; m < 40; m++) {
            long boundary = first + m * MINUTE;
            if (m >= 10) {
                WarmPlan plan = planAt(boundary);
                assertThat(plan.warmAt(boundary)).as("interval %d", m).isEqualTo(m % 2 == 0);
                assertThat(plan.reviewAt()).isEqualTo(boundary + MINUTE);
            }
            if (m % 2 == 0) {
                policy.arrived("f", boundary);
            }
        }
    }

    @Test
    void aLongSilenceIsCaughtUpAsIfEveryIntervalHadBeenReviewed() {
        KeepAlivePolicy reviewed = new HotcKeepAlive();
        KeepAlivePolicy caughtUp = new HotcKeepAlive();
        long[] burst = {0, 5 * SECOND, 70 * SECOND, 80 * SECOND, 90 * SECOND, 130 * SECOND, 250 * SECOND};
        for (long t : burst) {
            reviewed.arrived("f", t);
            caughtUp.arrived("f", t);
        }
        for (long m = 5; m < 24 * 60; m++) {
            reviewed.plan("f", m * MINUTE);
        }
        long later = 24 * HOUR + 10 * SECOND;
        for (long t = later; t < later + 10 * MINUTE; t += MINUTE) {
            reviewed.arrived("f", t);
            caughtUp.arrived("f", t);
            for (long at : new long[] {t, t + 55 * SECOND}) {
                assertThat(caughtUp.plan("f", at))
                        .usingRecursiveComparison()
                        .ignoringFields("why")
                        .isEqualTo(reviewed.plan("f", at));
                assertThat(caughtUp.plan("f", at).reason())
                        .isEqualTo(reviewed.plan("f", at).reason());
            }
        }
        long quiet = later + 20 * MINUTE;
        assertThat(caughtUp.plan("f", quiet).reason())
                .isEqualTo(reviewed.plan("f", quiet).reason());
    }

    @Test
    void badSettingsAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> new HotcKeepAlive(Duration.ZERO, 0.5)).hasMessage("hotc interval PT0S is below 1 ms");
        assertThatThrownBy(() -> new HotcKeepAlive(Duration.ofMinutes(1), 0))
                .hasMessage("hotc smoothing 0.0 is not in (0, 1]");
        assertThatThrownBy(() -> new HotcKeepAlive(Duration.ofMinutes(1), Double.NaN))
                .hasMessage("hotc smoothing NaN is not in (0, 1]");
        assertThatThrownBy(() -> new HotcKeepAlive(Duration.ofMinutes(1), 1.5))
                .hasMessage("hotc smoothing 1.5 is not in (0, 1]");
    }

    @Test
    void theRegistryCreatesItAndTheStudyRunsItBeforeKnative() {
        assertThat(KeepAlivePolicies.create(HotcKeepAlive.NAME, PolicyContext.DEFAULTS, null)
                        .name())
                .isEqualTo("hotc");
        assertThat(KeepAlivePolicies.runsLive(HotcKeepAlive.NAME)).isTrue();
        assertThat(KeepAlivePolicies.study().indexOf(HotcKeepAlive.NAME))
                .isLessThan(KeepAlivePolicies.study().indexOf(KnativeKeepAlive.NAME));
    }
}
