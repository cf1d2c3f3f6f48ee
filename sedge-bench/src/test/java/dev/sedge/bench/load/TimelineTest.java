package dev.sedge.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TimelineTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long ORIGIN = 5 * SECOND;

    @Test
    void countsRepliesByTheSecondTheyArrivedInWithTheirLatencies() {
        Timeline t = new Timeline(ORIGIN);
        t.record(ORIGIN + 100_000_000, 1_000_000); // second 0, 1 ms
        t.record(ORIGIN + 900_000_000, 3_000_000); // second 0, 3 ms
        t.record(ORIGIN + 2 * SECOND, 50_000_000); // second 2, 50 ms

        assertThat(t.count(0)).isEqualTo(2);
        assertThat(t.count(1)).isZero();
        assertThat(t.count(2)).isEqualTo(1);
        assertThat(t.count(7)).isZero();
        assertThat(t.count(0, 3)).isEqualTo(3);
        assertThat(t.total()).isEqualTo(3);
        assertThat(t.p99Micros(1)).isEqualTo(-1);
        // two significant digits: 3 ms within 1 %
        assertThat(t.p99Micros(0)).isBetween(2_970L, 3_030L);
        assertThat(t.p99Micros(1, 3)).isBetween(49_500L, 50_500L);
        assertThat(t.p99Micros(3, 9)).isEqualTo(-1);
    }

    @Test
    void aReplyBeforeTheOriginCountsInSecondZero() {
        Timeline t = new Timeline(ORIGIN);
        t.record(ORIGIN - SECOND, 1_000);
        assertThat(t.count(0)).isEqualTo(1);
    }
}
