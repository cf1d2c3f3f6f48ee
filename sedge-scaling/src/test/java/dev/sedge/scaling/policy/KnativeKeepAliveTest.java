package dev.sedge.scaling.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Knative's scale to zero as the autoscaler carries it out, to the millisecond (see the class's Javadoc). */
class KnativeKeepAliveTest {

    private static long until(KnativeKeepAlive policy, long now) {
        return policy.plan("f", now).warmUntil();
    }

    @Test
    void anInstanceAnEventStartedStaysAWindowAfterItIsReadyAndAWarmEventKeepsItUntilItsSecondLeavesTheWindow() {
        KnativeKeepAlive knative = new KnativeKeepAlive(PolicyContext.DEFAULTS); // 60 s, no retention, 500 ms start
        knative.arrived("f", 12_345); // cold: ready at 12.845 s
        assertThat(until(knative, 12_345)).isEqualTo(72_845);
        knative.arrived("f", 30_500); // warm: the window holds second 30 until 90 s
        assertThat(until(knative, 30_500)).isEqualTo(90_000);
        knative.arrived("f", 40_000); // on a boundary: the instant belongs to second 39
        assertThat(until(knative, 40_000)).isEqualTo(99_000);
        knative.arrived("f", 99_000); // as it goes: cold again
        assertThat(until(knative, 99_000)).isEqualTo(159_500);
    }

    @Test
    void theRetentionComesAfterTheWindow() {
        KnativeKeepAlive knative =
                new KnativeKeepAlive(java.time.Duration.ofSeconds(6), java.time.Duration.ofSeconds(10), 0);
        knative.arrived("f", 1_000);
        assertThat(until(knative, 1_000)).isEqualTo(17_000);
        assertThat(knative.plan("f", 16_999).warmAt(16_999)).isTrue();
        assertThat(knative.plan("f", 17_000).warmAt(17_000)).isFalse();
    }
}
