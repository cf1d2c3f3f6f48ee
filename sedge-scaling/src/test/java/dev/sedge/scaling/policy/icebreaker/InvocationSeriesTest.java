package dev.sedge.scaling.policy.icebreaker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InvocationSeriesTest {

    @Test
    void countsEachIntervalAndGivesTheWindowOldestFirst() {
        InvocationSeries series = new InvocationSeries(4);
        series.record(10);
        series.record(10);
        series.record(12);
        double[] window = new double[4];
        series.window(13, window); // intervals 9..12
        assertThat(window).containsExactly(0, 2, 0, 1);
        assertThat(series.newest()).isEqualTo(12);
    }

    @Test
    void forgetsIntervalsThatLeftTheWindow() {
        InvocationSeries series = new InvocationSeries(4);
        series.record(-3); // any clock: intervals before 0 too
        series.record(1);
        assertThat(series.count(-3)).isZero(); // four intervals back: its slot is interval 1's now
        assertThat(series.count(1)).isEqualTo(1);
        series.record(100);
        double[] window = new double[4];
        series.window(101, window);
        assertThat(window).containsExactly(0, 0, 0, 1);
        assertThat(series.count(1)).isZero();
        assertThat(series.count(102)).isZero();
    }

    @Test
    void beforeAnyEventEveryCountIsZero() {
        InvocationSeries series = new InvocationSeries(8);
        assertThat(series.newest()).isEqualTo(Long.MIN_VALUE);
        assertThat(series.count(0)).isZero();
        assertThat(series.count(Long.MIN_VALUE)).isZero();
    }
}
