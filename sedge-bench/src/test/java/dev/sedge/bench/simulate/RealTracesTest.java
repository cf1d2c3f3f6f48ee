package dev.sedge.bench.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sedge.scaling.policy.OracleKeepAlive;
import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.catalog.KeepAlivePolicies;
import dev.sedge.scaling.sim.PolicyResult;
import dev.sedge.scaling.sim.Trace;
import dev.sedge.scaling.sim.TraceReader;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The study on the two real traces, read from {@code ../shared/data} beside the project when it is there
 * (they may not be copied into the project): the counts their README gives, the oracle's bound, and the
 * fixed keep-alives' frontier. Skipped, saying so, when the folder is absent.
 */
@Timeout(60)
class RealTracesTest {

    @ParameterizedTest
    @CsvSource({"casas_mavlab_2003.arrivals.csv, 59, 4207", "iot23_philips_hue.arrivals.csv, 1, 452"})
    void theStudyOfARealTraceHoldsTheBoundAndTheFrontier(String name, int functions, int events) throws Exception {
        Path file = RealTraces.folder().resolve(name);
        assumeTrue(Files.isRegularFile(file), file + " is absent: the real traces are not beside the project");
        Trace trace;
        try (Reader in = Files.newBufferedReader(file)) {
            trace = TraceReader.read(name, in, TraceReader.KEY_DEFAULT);
        }

        StudyResult study =
                PolicyStudy.run(trace, TraceReader.KEY_DEFAULT, KeepAlivePolicies.study(), PolicyContext.DEFAULTS);

        assertThat(trace.functions()).hasSize(functions);
        assertThat(trace.events()).isEqualTo(events);
        assertThat(study.row(OracleKeepAlive.NAME).avoidableColdStarts()).isZero();
        for (PolicyResult row : study.rows()) {
            assertThat(row.invocations()).isEqualTo(events);
            assertThat(row.avoidableColdStarts()).isEqualTo(row.coldStarts() - functions);
        }
        // A longer keep-alive keeps every instance a shorter one keeps: never more cold starts, never less waste.
        List<PolicyResult> fixed = study.fixedKeepAlives();
        assertThat(fixed).hasSize(KeepAlivePolicies.STUDY_FIXED_MINUTES.size());
        for (int i = 1; i < fixed.size(); i++) {
            assertThat(fixed.get(i).avoidableColdStarts())
                    .isLessThanOrEqualTo(fixed.get(i - 1).avoidableColdStarts());
            assertThat(fixed.get(i).wastedGibSeconds())
                    .isGreaterThanOrEqualTo(fixed.get(i - 1).wastedGibSeconds());
        }
    }
}
