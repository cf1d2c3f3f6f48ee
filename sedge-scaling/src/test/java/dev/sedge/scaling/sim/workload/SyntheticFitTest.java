package dev.sedge.scaling.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The generated traces against the real ones they were fitted to, measured the same way (bursty at the
 * CASAS trace's one-minute resolution). Skipped when the real traces are not beside the project, in
 * {@code ../shared/data}: they may not be copied into it.
 */
@Timeout(120)
class SyntheticFitTest {

    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;

    /** {@code ../shared/data} from the project's root (the folder holding {@code mvnw}), or null. */
    private static Path data() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("mvnw"))) {
                Path data = dir.resolveSibling("shared").resolve("data");
                return Files.isDirectory(data) ? data : null;
            }
        }
        return null;
    }

    private static Path real(String name) {
        Path data = data();
        assumeTrue(
                data != null && Files.isReadable(data.resolve(name)),
                "the real trace " + name + " is not in ../shared/data beside the project: nothing to compare with");
        return data.resolve(name);
    }

    /** The median over sensors of each one's median gap between the distinct minutes it fired in. */
    private static double sensorMedianGap(Lines lines) {
        List<Double> medians = new ArrayList<>();
        for (long[] times : lines.times().values()) {
            long[] gaps = Lines.gaps(times, MINUTE);
            if (gaps.length > 0) {
                medians.add(Lines.median(gaps));
            }
        }
        return Lines.median(medians.stream().mapToDouble(d -> d).toArray());
    }

    /** Events per sensor per day. */
    private static double rate(Lines lines, long spanMillis) {
        return (double) lines.lines().size() / lines.times().size() / (spanMillis / (24.0 * HOUR));
    }

    @Test
    void burstySensorsMatchTheCasasLab() {
        Lines casas = Lines.read(real("casas_mavlab_2003.arrivals.csv"));
        long span = casas.lines().getLast().time() - casas.lines().getFirst().time();

        double[] gaps = new double[5];
        double[] rates = new double[5];
        for (int seed = 1; seed <= 5; seed++) {
            Lines generated = Lines.generate(new TraceSpec(59, span, Profile.BURSTY, seed, TraceSpec.START_DEFAULT));
            gaps[seed - 1] = sensorMedianGap(generated);
            rates[seed - 1] = rate(generated, span);
        }

        // Real: 22.0 h and 1.28 events a day; the median over five seeds within a factor of 2 and 1.3.
        double realGap = sensorMedianGap(casas);
        double realRate = rate(casas, span);
        assertThat(realGap / HOUR).isBetween(21.0, 23.0);
        assertThat(Lines.median(gaps) / realGap).isBetween(0.5, 2.0);
        assertThat(Lines.median(rates) / realRate).isBetween(1 / 1.3, 1.3);
        assertThat(Arrays.stream(gaps).min().orElseThrow()).isGreaterThan(6.0 * HOUR);
    }

    @Test
    void hubFlowsMatchTheHueBridge() {
        Lines hue = Lines.read(real("iot23_philips_hue.arrivals.csv"));
        Lines heartbeats = hue.where(l -> l.event().matches("tcp:2\\.16\\.60\\.[0-9]+:443"));
        Lines lookups = hue.where(l -> l.event().endsWith(":53"));
        long[] realHeartbeatGaps = Lines.gaps(times(heartbeats), 1);
        long[] realLookupGaps = Lines.gaps(times(lookups), 1);

        Map<String, long[]> generated = Lines.generate(
                        TraceSpec.ofHours(8 * 5, 22, Profile.PERIODIC, 1, TraceSpec.START_DEFAULT))
                .times();

        // Real: 900 s; 98 of 190 lookup gaps under 20 s (a check's four lookups, then its heartbeat's).
        assertThat(Lines.median(realHeartbeatGaps)).isEqualTo(900_000);
        double realShort = Lines.shareAtMost(realLookupGaps, 20_000);
        assertThat(realShort).isBetween(0.5, 0.55);
        for (int hub = 1; hub <= 5; hub++) {
            String prefix = "hub0" + hub + "-";
            assertThat(Lines.median(Lines.gaps(generated.get(prefix + "heartbeat"), 1)))
                    .isBetween(900_000.0, 900_300.0);
            assertThat(Lines.shareAtMost(Lines.gaps(generated.get(prefix + "dns"), 1), 20_000))
                    .isBetween(realShort - 0.1, realShort + 0.1);
        }
    }

    private static long[] times(Lines lines) {
        return lines.lines().stream().mapToLong(Lines.Line::time).toArray();
    }
}
