package dev.sedge.broker.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    @Test
    void eachStepDoublesUpToTheMaximum() {
        assertThat(backoff.delay(1, 0.999_999)).isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
        assertThat(backoff.delay(2, 0.999_999)).isBetween(Duration.ofMillis(1999), Duration.ofSeconds(2));
        assertThat(backoff.delay(3, 0.999_999)).isBetween(Duration.ofMillis(3999), Duration.ofSeconds(4));
        assertThat(backoff.delay(7, 0.999_999)).isBetween(Duration.ofMillis(59_999), Duration.ofSeconds(60));
        assertThat(backoff.delay(1_000, 0.999_999)).isBetween(Duration.ofMillis(59_999), Duration.ofSeconds(60));
    }

    @Test
    void theDelayIsDrawnFromTheUpperHalfOfItsStep() {
        assertThat(backoff.delay(1, 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(3, 0.5)).isEqualTo(Duration.ofSeconds(3));
        assertThat(backoff.delay(100, 0.0)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aZeroMinimumWouldBeABusyLoopAndIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessage("bridge backoff minimum must be positive, was PT0S");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("bridge backoff maximum PT1S is below the minimum PT2S");
    }
}
