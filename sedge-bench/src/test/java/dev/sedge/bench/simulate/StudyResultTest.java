package dev.sedge.bench.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.sim.PolicyResult;
import dev.sedge.scaling.sim.Trace;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StudyResultTest {

    private static final Trace TRACE = new Trace("t.csv", List.of("a"), new int[] {0}, new long[] {0});

    private static PolicyResult row(String policy, long avoidable, double waste) {
        return new PolicyResult(policy, 100, avoidable + 1, avoidable, waste, 0, 0, 500);
    }

    private static StudyResult study(PolicyResult... rows) {
        return new StudyResult(TRACE, "device_id", PolicyContext.DEFAULTS, List.of(rows));
    }

    @Test
    void theOracleIsLeftOutOfEveryComparison() {
        StudyResult s = study(row("oracle", 0, 0.1), row("knative", 40, 2), row("fixed-10m", 30, 5));

        assertThat(s.fewestAvoidableColdStarts())
                .extracting(PolicyResult::policy)
                .containsExactly("fixed-10m");
        assertThat(s.leastWaste()).extracting(PolicyResult::policy).containsExactly("knative");
        assertThat(s.undominated()).extracting(PolicyResult::policy).containsExactly("knative", "fixed-10m");
    }

    @Test
    void aDominatedPolicyIsNotListedAndTiesAreAllNamed() {
        StudyResult s =
                study(row("knative", 40, 2), row("fixed-1m", 40, 3), row("fixed-60m", 10, 9), row("sedge", 10, 2));

        assertThat(s.undominated()).extracting(PolicyResult::policy).containsExactly("sedge");
        assertThat(s.fewestAvoidableColdStarts())
                .extracting(PolicyResult::policy)
                .containsExactly("fixed-60m", "sedge");
        assertThat(s.leastWaste()).extracting(PolicyResult::policy).containsExactly("knative", "sedge");
    }

    @Test
    void theFixedKeepAlivesAreOrderedByLengthAndTheBestIsNearestTheOrigin() {
        StudyResult s = study(
                row("fixed-240m", 0, 100), row("fixed-1m", 100, 1), row("fixed-30m", 20, 20), row("knative", 50, 2));

        assertThat(s.fixedKeepAlives())
                .extracting(PolicyResult::policy)
                .containsExactly("fixed-1m", "fixed-30m", "fixed-240m");
        // Scaled by 100 cold starts and 100 GiB-s: 1.01, 0.40 and 1.00.
        assertThat(s.bestFixed().policy()).isEqualTo("fixed-30m");
        assertThat(study(row("knative", 1, 1)).bestFixed()).isNull();
    }

    @Test
    void theTableVerdictNamesTheBestAndTheUndominated() {
        StudyResult s = study(row("oracle", 0, 0.1), row("knative", 40, 2.5), row("fixed-10m", 30, 5));

        assertThat(StudyTable.verdict(s))
                .isEqualTo("Fewest avoidable cold starts: fixed-10m (30); least waste: knative (2.50 GiB-s);"
                        + " dominated by no other: knative, fixed-10m (the oracle left out).");
        assertThat(StudyTable.verdict(study(row("oracle", 0, 0)))).contains("Only the oracle ran");
    }

    @Test
    void jsonNumbersArePlainAndRounded() {
        assertThat(StudyJson.plain(0, 4)).hasToString("0.0");
        assertThat(StudyJson.plain(12_345_678.9, 4)).hasToString("12345678.9");
        assertThat(StudyJson.plain(0.000_012_34, 6)).hasToString("0.000012");
        assertThat(StudyJson.plain(500, 3)).hasToString("500.0");
    }
}
