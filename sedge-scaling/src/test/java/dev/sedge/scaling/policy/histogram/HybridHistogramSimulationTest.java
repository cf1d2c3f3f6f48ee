package dev.sedge.scaling.policy.histogram;

import static dev.sedge.scaling.policy.SyntheticTraces.HOUR;
import static dev.sedge.scaling.policy.SyntheticTraces.MINUTE;
import static dev.sedge.scaling.policy.SyntheticTraces.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.scaling.policy.FixedKeepAlive;
import dev.sedge.scaling.policy.KeepAlivePolicy;
import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.SyntheticTraces;
import dev.sedge.scaling.policy.SyntheticTraces.Counts;
import dev.sedge.scaling.sim.PolicyResult;
import dev.sedge.scaling.sim.SimulationListener;
import dev.sedge.scaling.sim.Simulator;
import dev.sedge.scaling.sim.Trace;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Five days of three functions through the simulator: a heartbeat every 10 minutes, an irregular function
 * whose idle times cycle through 1 to 60 minutes, and a six-hourly report with a few minutes of jitter.
 */
class HybridHistogramSimulationTest {

    private static final int DAYS = 5;

    private static long[] irregular() {
        long[] times = new long[(int) (DAYS * 24 * HOUR / (31 * MINUTE))];
        for (int i = 1; i < times.length; i++) {
            times[i] = times[i - 1] + (1 + (i * 7L) % 60) * MINUTE + 20 * SECOND;
        }
        return times;
    }

    private static long[] sixHourly() {
        long[] times = new long[DAYS * 4];
        for (int i = 0; i < times.length; i++) {
            times[i] = i * 6 * HOUR + (i % 3 - 1) * 4 * MINUTE + 7 * MINUTE;
        }
        return times;
    }

    private static final long[] IRREGULAR = irregular();

    private static final Trace TRACE = SyntheticTraces.merge(
            "synthetic",
            SyntheticTraces.functions(
                    "heartbeat",
                    SyntheticTraces.every(0, 10 * MINUTE, DAYS * 144),
                    "irregular",
                    IRREGULAR,
                    "six-hourly",
                    sixHourly()));

    private final Counts counts = new Counts();
    private final PolicyResult result = new Simulator(
                    TRACE, new HybridHistogramKeepAlive(PolicyContext.DEFAULTS), PolicyContext.DEFAULTS, counts)
            .run();

    @Test
    void theHeartbeatIsLetGoBetweenBeatsAndPreWarmedForEach() {
        // Kept four hours while it learns, so never cold after its first event; then each beat is pre-warmed.
        assertThat(counts.cold("heartbeat")).containsExactly(0L);
        assertThat(counts.prewarms("heartbeat")).hasSizeGreaterThan(DAYS * 144 - 12);
        assertThat(counts.stops("heartbeat")).hasSizeGreaterThan(DAYS * 144 - 12);
    }

    @Test
    void theIrregularFunctionFallsBackToFourHoursOnceItsHistogramIsSpread() {
        // One idle time in each of 60 bins, cycled: the bin counts' CV falls below 2 after 49 idle times.
        long spread = IRREGULAR[50];
        assertThat(Counts.from(counts.cold("irregular"), spread)).isZero();
        assertThat(Counts.from(counts.prewarms("irregular"), spread)).isZero();
        // Before that it is a histogram like any other, let go and pre-warmed; after it, kept to the end.
        assertThat(counts.stops("irregular")).hasSizeGreaterThan(1);
        assertThat(Counts.from(counts.stops("irregular"), spread)).isEqualTo(1);
        assertThat(counts.stops("irregular")).endsWith(TRACE.times()[TRACE.events() - 1]);
    }

    @Test
    void theSixHourlyReportIsColdOnlyWhileLearningThenForecast() {
        // Its first ten idle times outlast the four hours kept while it learns, so events 0 to 10 are cold;
        // from the tenth idle time on, the forecast pre-warms each.
        assertThat(counts.cold("six-hourly")).hasSize(11);
        assertThat(Counts.from(counts.cold("six-hourly"), 11 * 6 * HOUR - 30 * MINUTE))
                .isZero();
        // One for each of events 11 to 19, and one for an event that the trace ends before.
        assertThat(counts.prewarms("six-hourly")).hasSize(DAYS * 4 - 11 + 1);
    }

    @Test
    void itWastesLessThanKeepingFourHoursAndIsColdLessOftenThanKeepingTen_minutes() {
        PolicyResult fourHours = run(new FixedKeepAlive(Duration.ofHours(4)));
        PolicyResult tenMinutes = run(new FixedKeepAlive(Duration.ofMinutes(10)));
        assertThat(result.wastedGibSeconds()).isLessThan(fourHours.wastedGibSeconds());
        assertThat(result.avoidableColdStarts()).isLessThan(tenMinutes.avoidableColdStarts());
    }

    private static PolicyResult run(KeepAlivePolicy policy) {
        return new Simulator(TRACE, policy, PolicyContext.DEFAULTS, SimulationListener.NONE).run();
    }
}
