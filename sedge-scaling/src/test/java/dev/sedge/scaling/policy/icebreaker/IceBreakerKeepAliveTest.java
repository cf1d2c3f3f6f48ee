package dev.sedge.scaling.policy.icebreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.WarmPlan;
import dev.sedge.scaling.policy.catalog.KeepAlivePolicies;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The plans read off the forecast, with times stepped by hand in minutes of the default settings. */
class IceBreakerKeepAliveTest {

    private static final long MIN = 60_000;
    private static final PolicyContext CONTEXT = new PolicyContext(500, 128, 2048);

    private final IceBreakerKeepAlive policy = new IceBreakerKeepAlive(CONTEXT);

    @Test
    void beforeTheFirstEventThereIsNoPlan() {
        WarmPlan plan = policy.plan("f", 5 * MIN);
        assertThat(plan.warmFrom()).isEqualTo(Long.MAX_VALUE);
        assertThat(plan.reviewAt()).isEqualTo(Long.MAX_VALUE);
        assertThat(policy.forecasts()).isZero();
    }

    @Test
    void anEventKeepsItsInstanceToTheEndOfItsMinuteAndTheForecastIsReviewedAfterTheHorizon() {
        long at = 10 * MIN + 20_000;
        policy.arrived("f", at);
        WarmPlan plan = policy.plan("f", at);
        assertThat(plan.warmAt(at)).isTrue();
        assertThat(plan.warmUntil()).isEqualTo(11 * MIN);
        assertThat(plan.reviewAt()).isEqualTo(40 * MIN);

        // Nothing before the event to forecast from: no instance until the review, and no new forecast.
        WarmPlan after = policy.plan("f", 11 * MIN);
        assertThat(after.warmAt(11 * MIN)).isFalse();
        assertThat(after.nextChange(11 * MIN)).isEqualTo(40 * MIN);
        assertThat(policy.forecasts()).isEqualTo(1);
    }

    /** Five hours of a quarter-hour heartbeat: the next beat is pre-warmed a cold start ahead, for its minute. */
    @Test
    void aHeartbeatIsPrewarmedForItsNextBeat() {
        for (long beat = 0; beat <= 20; beat++) {
            long at = beat * 15 * MIN + 17_000;
            policy.arrived("f", at);
            assertThat(policy.plan("f", at).warmUntil()).isEqualTo((beat * 15 + 1) * MIN);
        }
        long afterLast = 301 * MIN; // the last beat came at 300 min 17 s
        WarmPlan plan = policy.plan("f", afterLast);
        assertThat(plan.warmAt(afterLast)).isFalse();
        assertThat(plan.warmFrom()).isEqualTo(315 * MIN - CONTEXT.coldStartMillis());
        assertThat(plan.warmUntil()).isEqualTo(316 * MIN);
        assertThat(plan.reason()).startsWith("forecast 0.").endsWith(" invocations in interval 315");
    }

    /** A steady three events a minute: forecast above the threshold all the horizon long, kept throughout. */
    @Test
    void aSteadyStreamIsKeptThroughTheHorizon() {
        for (long second = 0; second < 2 * 3_600; second += 20) {
            policy.arrived("f", second * 1_000);
            policy.plan("f", second * 1_000);
        }
        long now = 2 * 60 * MIN + 5_000; // a renewal: the last forecast began at 90 min
        policy.arrived("f", now);
        WarmPlan plan = policy.plan("f", now);
        assertThat(plan.warmAt(now)).isTrue();
        assertThat(plan.reviewAt()).isEqualTo(150 * MIN);
        assertThat(plan.warmUntil()).isGreaterThan(plan.reviewAt());
    }

    @Test
    void aFunctionSilentForAWholeWindowCostsNoMoreReviews() {
        policy.arrived("f", 0);
        long now = 0;
        int plans = 0;
        WarmPlan plan;
        do {
            plan = policy.plan("f", now);
            plans++;
            now = plan.nextChange(now);
        } while (now != Long.MAX_VALUE && plans < 1_000);
        // At the event and at the end of its minute; then a review every 30 minutes while the 240-minute
        // window holds the event (at 30 .. 240), and the one at 270 that finds it gone.
        assertThat(plans).isEqualTo(2 + 240 / 30 + 1);
        assertThat(plan.reason()).isEqualTo("no event in the window: nothing to forecast until the next event");
        assertThat(policy.forecasts()).isEqualTo(1 + 240 / 30);
    }

    @Test
    void badSettingsAreRefusedNamingTheValue() {
        Duration minute = Duration.ofMinutes(1);
        assertThatThrownBy(() -> new IceBreakerKeepAlive.Settings(Duration.ZERO, 240, 20, 30, 0.5))
                .hasMessage("interval PT0S is below 1 ms");
        assertThatThrownBy(() -> new IceBreakerKeepAlive.Settings(minute, 22, 10, 5, 0.5))
                .hasMessage("window 22 intervals is outside 8..10080 or has a prime factor above 7");
        assertThatThrownBy(() -> new IceBreakerKeepAlive.Settings(minute, 240, 121, 30, 0.5))
                .hasMessage("harmonics 121 is outside 1..120 (half the window)");
        assertThatThrownBy(() -> new IceBreakerKeepAlive.Settings(minute, 240, 20, 241, 0.5))
                .hasMessage("horizon 241 intervals is outside 1..240 (the window)");
        assertThatThrownBy(() -> new IceBreakerKeepAlive.Settings(minute, 240, 20, 30, Double.NaN))
                .hasMessage("threshold NaN is not a positive number");
    }

    @Test
    void theRegistryMakesItWithTheDefaults() {
        assertThat(KeepAlivePolicies.create("icebreaker", CONTEXT, null)).isInstanceOf(IceBreakerKeepAlive.class);
        assertThat(KeepAlivePolicies.study()).contains(IceBreakerKeepAlive.NAME);
        assertThat(KeepAlivePolicies.runsLive(IceBreakerKeepAlive.NAME)).isTrue();
        assertThat(IceBreakerKeepAlive.Settings.DEFAULTS)
                .isEqualTo(new IceBreakerKeepAlive.Settings(Duration.ofMinutes(1), 240, 20, 30, 0.5));
    }
}
