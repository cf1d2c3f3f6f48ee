package dev.sedge.bench.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.scaling.sim.Trace;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    // Epoch milliseconds: only the differences from the first event count.
    private static final Trace TRACE = new Trace("t", List.of("a", "b", "c"), new int[] {0, 1, 0, 2}, new long[] {
        1_540_000_000_000L, 1_540_000_000_300L, 1_540_000_900_000L, 1_540_003_600_000L
    });

    @Test
    void eachEventIsDueAtItsTraceTimeSinceTheFirstDividedByTheSpeedup() {
        Schedule s = Schedule.of(TRACE, 300, 0);
        assertThat(s.events()).isEqualTo(4);
        assertThat(s.dueNanos(0)).isZero();
        assertThat(s.dueNanos(1)).isEqualTo(1_000_000); // 300 ms / 300
        assertThat(s.dueNanos(2)).isEqualTo(3_000_000_000L); // 15 min / 300
        assertThat(s.spanNanos()).isEqualTo(12_000_000_000L); // 1 h / 300
        assertThat(s.function(3)).isEqualTo(2);
        assertThat(s.functions()).isEqualTo(3);
    }

    @Test
    void aWarmUpIsOneFunctionAtAnEvenPace() {
        Schedule s = Schedule.uniform(3, 1_000_000);
        assertThat(s.events()).isEqualTo(3);
        assertThat(s.functions()).isEqualTo(1);
        assertThat(s.dueNanos(2)).isEqualTo(2_000_000);
        assertThat(s.spanNanos()).isEqualTo(2_000_000);
    }

    @Test
    void aLimitKeepsTheFirstEventsAndOnlyTheFunctionsTheyUse() {
        Schedule s = Schedule.of(TRACE, 0.5, 3);
        assertThat(s.events()).isEqualTo(3);
        assertThat(s.functions()).isEqualTo(2);
        assertThat(s.dueNanos(2)).isEqualTo(1_800_000_000_000L); // 15 min at half speed
    }
}
