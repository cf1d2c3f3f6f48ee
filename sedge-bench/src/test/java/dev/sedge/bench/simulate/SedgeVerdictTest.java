package dev.sedge.bench.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.catalog.KeepAlivePolicies;
import dev.sedge.scaling.policy.learned.LearnedPolicy;
import dev.sedge.scaling.sim.PolicyResult;
import dev.sedge.scaling.sim.Trace;
import dev.sedge.scaling.sim.TraceReader;
import dev.sedge.scaling.sim.workload.Profile;
import dev.sedge.scaling.sim.workload.SyntheticTrace;
import dev.sedge.scaling.sim.workload.TraceSpec;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The study's verdict on Sedge's own policy, on every synthetic profile (three seeds each) and on the
 * real traces when they are beside the project: no other policy but the oracle dominates it (as few
 * avoidable cold starts or fewer at no more waste), and it has fewer avoidable cold starts than every
 * fixed keep-alive that wastes no more memory than it does.
 */
@Timeout(120)
class SedgeVerdictTest {

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({
        "PERIODIC, 1", "PERIODIC, 2", "PERIODIC, 3",
        "BURSTY, 1", "BURSTY, 2", "BURSTY, 3",
        "MIXED, 1", "MIXED, 2", "MIXED, 3"
    })
    void onEverySyntheticProfileNothingButTheOracleDominatesSedge(Profile profile, long seed) throws Exception {
        // Bursty sensors fire about once a day: 56 days, like the lab trace the profile was fitted to.
        double hours = profile == Profile.BURSTY ? 56 * 24 : 24;
        int devices = profile == Profile.BURSTY ? 59 : 93;
        StringWriter csv = new StringWriter();
        SyntheticTrace.write(TraceSpec.ofHours(devices, hours, profile, seed, TraceSpec.START_DEFAULT), csv);
        Trace trace = TraceReader.read(profile + "-" + seed, new StringReader(csv.toString()), TraceReader.KEY_DEFAULT);
        assertVerdict(trace, TraceReader.KEY_DEFAULT);
    }

    @ParameterizedTest(name = "{0} by {1}")
    @CsvSource({
        "casas_mavlab_2003.arrivals.csv, device_id",
        "iot23_philips_hue.arrivals.csv, device_id",
        "iot23_philips_hue.arrivals.csv, event"
    })
    void onEveryRealTraceNothingButTheOracleDominatesSedge(String name, String key) throws Exception {
        Path file = RealTraces.folder().resolve(name);
        assumeTrue(Files.isRegularFile(file), file + " is absent: the real traces are not beside the project");
        try (Reader in = Files.newBufferedReader(file)) {
            assertVerdict(TraceReader.read(name, in, key), key);
        }
    }

    private static void assertVerdict(Trace trace, String key) {
        StudyResult study = PolicyStudy.run(trace, key, KeepAlivePolicies.study(), PolicyContext.DEFAULTS);
        PolicyResult sedge = study.row(LearnedPolicy.NAME);
        for (PolicyResult other : study.contenders()) {
            assertThat(other.dominates(sedge))
                    .as("%s dominates %s", other, sedge)
                    .isFalse();
        }
        for (PolicyResult fixed : study.fixedKeepAlives()) {
            if (fixed.wastedGibSeconds() <= sedge.wastedGibSeconds()) {
                assertThat(sedge.avoidableColdStarts())
                        .as("%s against %s", sedge, fixed)
                        .isLessThan(fixed.avoidableColdStarts());
            }
        }
    }
}
