package dev.sedge.scaling.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConcurrencyWindowTest {

    private static final long S = 1_000_000_000L;
    private static final Duration MINUTE = Duration.ofSeconds(60);

    @Test
    void aLevelHeldForTheWholeWindowIsItsAverage() {
        ConcurrencyWindow w = new ConcurrencyWindow(MINUTE);
        w.record(0, 3);
        assertThat(w.average(120 * S, MINUTE)).isEqualTo(3.0);
        assertThat(w.average(120 * S, Duration.ofSeconds(6))).isEqualTo(3.0);
    }

    @Test
    void theFirstObservationIsTheAverageUntilTimePasses() {
        ConcurrencyWindow w = new ConcurrencyWindow(MINUTE);
        w.record(5 * S + 123, 1);
        assertThat(w.average(5 * S + 123, MINUTE)).isEqualTo(1.0);
    }

    @Test
    void onlyTheSecondsSinceTheFirstObservationCount() {
        ConcurrencyWindow w = new ConcurrencyWindow(MINUTE);
        w.record(0, 2);
        // Ten seconds at 2, nothing known before: the mean of 10 full seconds and the current instant.
        assertThat(w.average(10 * S, MINUTE)).isEqualTo(2.0);
    }

    @Test
    void eachSecondIsTimeWeighted() {
        ConcurrencyWindow w = new ConcurrencyWindow(MINUTE);
        w.record(0, 0);
        w.record(S / 4, 4); // 0 for a quarter second, then 4 for three quarters: 3 on average
        w.record(S, 0);
        w.record(2 * S - S / 2, 5); // the next second: 0, then 5 for half of it: 2.5
        // The current second has only its first instant, so it counts at the level now (5).
        assertThat(w.average(2 * S, Duration.ofSeconds(3))).isCloseTo((5 + 2.5 + 3) / 3, within(1e-6));
        assertThat(w.average(2 * S, Duration.ofSeconds(2))).isCloseTo((5 + 2.5) / 2, within(1e-6));
    }

    @Test
    void secondsOutsideTheWindowAreForgotten() {
        ConcurrencyWindow w = new ConcurrencyWindow(MINUTE);
        w.record(0, 10);
        w.record(30 * S, 0);
        // Seconds 1..60 (the first one fell out): 29 of them at 10.
        assertThat(w.average(60 * S + S / 2, MINUTE)).isCloseTo(290.0 / 60, within(1e-6));
        assertThat(w.average(60 * S + S / 2, Duration.ofSeconds(6))).isZero();
        assertThat(w.average(91 * S, MINUTE)).isZero();
    }

    @Test
    void aLongSilenceSkipsAheadWithoutWalkingEverySecond() {
        ConcurrencyWindow w = new ConcurrencyWindow(MINUTE);
        w.record(0, 1);
        w.record(S, 0);
        // A year later: still exact, and cheap (the loop is bounded by the window's buckets).
        long later = 365L * 24 * 3600 * S;
        assertThat(w.average(later, MINUTE)).isZero();
        w.record(later, 2);
        // Six seconds: the current instant and three full seconds at 2, two seconds before at 0.
        assertThat(w.average(later + 3 * S, Duration.ofSeconds(6))).isCloseTo(8.0 / 6, within(1e-6));
    }

    @Test
    void negativeClockReadingsWork() {
        ConcurrencyWindow w = new ConcurrencyWindow(MINUTE);
        w.record(-10 * S - 7, 1);
        assertThat(w.average(-S / 2, Duration.ofSeconds(6))).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void saysWhenAQuietFunctionsWindowWillReadZero() {
        ConcurrencyWindow w = new ConcurrencyWindow(MINUTE);
        assertThat(w.quietFrom(MINUTE)).isEqualTo(Long.MIN_VALUE);
        w.record(0, 1);
        w.record(S + S / 2, 0); // busy until 1.5 s: the second [1 s, 2 s) saw it
        long quiet = w.quietFrom(Duration.ofSeconds(6));
        assertThat(quiet).isEqualTo(7 * S);
        assertThat(w.average(quiet - 1, Duration.ofSeconds(6))).isPositive();
        assertThat(w.average(quiet, Duration.ofSeconds(6))).isZero();
        assertThat(w.average(w.quietFrom(MINUTE), MINUTE)).isZero();
        assertThat(w.average(w.quietFrom(MINUTE) - 1, MINUTE)).isPositive();
    }
}
