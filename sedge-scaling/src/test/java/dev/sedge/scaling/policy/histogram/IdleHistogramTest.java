package dev.sedge.scaling.policy.histogram;

import static dev.sedge.scaling.policy.SyntheticTraces.HOUR;
import static dev.sedge.scaling.policy.SyntheticTraces.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IdleHistogramTest {

    @Test
    void fourHoursIsOutOfBoundsAndAMillisecondLessIsTheLastBin() {
        IdleHistogram h = new IdleHistogram();
        h.add(4 * HOUR);
        h.add(4 * HOUR - 1);
        assertThat(h.outOfBounds()).isEqualTo(1);
        assertThat(h.inRange()).isEqualTo(1);
        assertThat(h.percentileBin(50)).isEqualTo(239);
    }

    @Test
    void theCoefficientOfVariationCountsEmptyBins() {
        IdleHistogram oneBin = new IdleHistogram();
        for (int i = 0; i < 7; i++) {
            oneBin.add(10 * MINUTE + i);
        }
        // All in one of 240 bins: sd / mean = sqrt(240 - 1) whatever the count.
        assertThat(oneBin.binCountCv()).isCloseTo(Math.sqrt(239), within(1e-9));

        IdleHistogram spread = new IdleHistogram();
        for (int m = 0; m < 60; m++) {
            spread.add(m * MINUTE);
        }
        // One in each of 60 bins: sqrt(240 / 60 - 1).
        assertThat(spread.binCountCv()).isCloseTo(Math.sqrt(3), within(1e-9));
        assertThat(new IdleHistogram().binCountCv()).isZero();
    }

    @Test
    void aPercentileIsTheFirstBinWhoseCumulativeCountReachesItsRank() {
        IdleHistogram h = new IdleHistogram();
        h.add(2 * MINUTE);
        for (int i = 0; i < 18; i++) {
            h.add(30 * MINUTE);
        }
        h.add(50 * MINUTE);
        // 20 idle times: the 5th percentile is the 1st, the 99th the 20th.
        assertThat(h.percentileBin(5)).isEqualTo(2);
        assertThat(h.percentileBin(50)).isEqualTo(30);
        assertThat(h.percentileBin(99)).isEqualTo(50);
    }
}
