package dev.sedge.bench.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.node.cli.SedgeCli;
import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.catalog.KeepAlivePolicies;
import dev.sedge.scaling.sim.PolicyResult;
import dev.sedge.scaling.sim.Trace;
import dev.sedge.scaling.sim.TraceReader;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The charts of {@code sedge simulate --charts}: written, decodable, of the documented size. */
@Timeout(60)
class StudyChartsTest {

    @TempDir
    Path dir;

    @Test
    void bothChartsAreWrittenAsPngsOfTheirSize() throws Exception {
        Path trace = dir.resolve("small.arrivals.csv");
        SmallTrace.write(trace);
        Path charts = dir.resolve("charts");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = SedgeCli.run(
                new String[] {"simulate", "--trace", trace.toString(), "--charts", charts.toString()},
                new PrintWriter(out, true),
                new PrintWriter(err, true));

        assertThat(exit).as("stderr: %s", err).isZero();
        BufferedImage pareto = ImageIO.read(charts.resolve("small-pareto.png").toFile());
        assertThat(pareto.getWidth()).isEqualTo(ParetoChart.WIDTH);
        assertThat(pareto.getHeight()).isEqualTo(ParetoChart.HEIGHT);
        BufferedImage instances =
                ImageIO.read(charts.resolve("small-instances.png").toFile());
        assertThat(instances.getWidth()).isEqualTo(InstancesChart.WIDTH);
        assertThat(instances.getHeight())
                .isEqualTo(InstancesChart.height(
                        StudyCharts.instancePolicies(study(trace)).size()));
        assertThat(err.toString()).contains("small-pareto.png", "small-instances.png");
        assertThat(out.toString()).contains("Fewest avoidable cold starts"); // the table is printed as well
    }

    @Test
    void theInstancesChartFollowsTheDeviceAsked() throws Exception {
        Path trace = dir.resolve("small.csv");
        SmallTrace.write(trace);
        StringWriter err = new StringWriter();

        int exit = SedgeCli.run(
                new String[] {
                    "simulate",
                    "--trace",
                    trace.toString(),
                    "--charts",
                    dir.toString(),
                    "--device",
                    "door",
                    "--policy",
                    "oracle",
                    "-o",
                    "json"
                },
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));

        assertThat(exit).as("stderr: %s", err).isZero();
        // Only the oracle ran, so it is the one panel.
        BufferedImage instances =
                ImageIO.read(dir.resolve("small-instances.png").toFile());
        assertThat(instances.getHeight()).isEqualTo(InstancesChart.height(1));
        assertThat(ImageIO.read(dir.resolve("small-pareto.png").toFile())).isNotNull();
    }

    @Test
    void theParetoChartDrawsEveryKindOfPoint() throws Exception {
        Trace trace = new Trace("look.csv", List.of("a", "b"), new int[] {0, 1}, new long[] {0, 1});
        List<PolicyResult> rows = List.of(
                new PolicyResult("knative", 1000, 600, 598, 80, 0, 500, 500),
                new PolicyResult("oracle", 1000, 2, 0, 0, 998, 0, 0),
                new PolicyResult("fixed-1m", 1000, 600, 598, 80, 0, 500, 500), // on knative's point
                new PolicyResult("fixed-10m", 1000, 400, 398, 700, 0, 500, 500),
                new PolicyResult("fixed-240m", 1000, 100, 98, 15000, 0, 0, 500),
                new PolicyResult("hybrid-histogram", 1000, 250, 248, 900, 100, 0, 500),
                new PolicyResult("sedge", 1000, 120, 118, 600, 300, 0, 500));
        Path file = dir.resolve("look-pareto.png");

        ParetoChart.write(file, new StudyResult(trace, "device_id", PolicyContext.DEFAULTS, rows));

        BufferedImage png = ImageIO.read(file.toFile());
        assertThat(png.getWidth()).isEqualTo(ParetoChart.WIDTH);
        assertThat(png.getHeight()).isEqualTo(ParetoChart.HEIGHT);
        assertThat(ParetoChart.floor(rows)).as("a decade below the least waste").isEqualTo(8.0);
    }

    @Test
    void theStretchIsTheDaysEventsWithAnHourEitherSide() {
        long day = SmallTrace.START;
        long[] burst = {
            day - SmallTrace.HOUR, day + 10 * SmallTrace.HOUR, day + 10 * SmallTrace.HOUR + 30 * SmallTrace.MINUTE
        };
        long[] late = {day + 23 * SmallTrace.HOUR + 50 * SmallTrace.MINUTE};

        assertThat(StudyCharts.stretch(burst, day))
                .containsExactly(day + 9 * SmallTrace.HOUR, day + 11 * SmallTrace.HOUR + 30 * SmallTrace.MINUTE);
        assertThat(StudyCharts.stretch(late, day))
                .as("within the day")
                .containsExactly(day + 22 * SmallTrace.HOUR + 50 * SmallTrace.MINUTE, day + StudyCharts.DAY_MILLIS);
    }

    @Test
    void aDayOfTooManyEventsShowsSixtyFromItsMiddle() {
        long day = SmallTrace.START;
        long[] everyMinute = new long[1440];
        for (int i = 0; i < everyMinute.length; i++) {
            everyMinute[i] = day + i * SmallTrace.MINUTE;
        }

        long[] stretch = StudyCharts.stretch(everyMinute, day);

        // Events 690 to 749 (11:30 to 12:29), 59 minutes apart, and an eighth of that either side.
        long first = day + 690 * SmallTrace.MINUTE;
        long last = day + 749 * SmallTrace.MINUTE;
        long pad = (last - first) / 8;
        assertThat(stretch).containsExactly(first - pad, last + pad);
    }

    @Test
    void theDefaultsPickTheBusiestDeviceAndItsBusiestDay() throws Exception {
        Path trace = dir.resolve("small.csv");
        SmallTrace.write(trace);
        Trace t = study(trace).trace();

        assertThat(StudyCharts.busiestFunction(t)).isEqualTo(SmallTrace.BUSIEST);
        // temp reports on the second day only; motion's two days are alike, so the first wins.
        assertThat(StudyCharts.busiestDay(t.arrivals().get("temp"))).isEqualTo(SmallTrace.START + 24 * SmallTrace.HOUR);
        assertThat(StudyCharts.busiestDay(t.arrivals().get("motion"))).isEqualTo(SmallTrace.START);
        assertThat(StudyCharts.stem("casas_mavlab_2003.arrivals.csv")).isEqualTo("casas_mavlab_2003");
        assertThat(StudyCharts.stem("run.json")).isEqualTo("run.json");
    }

    @Test
    void theInstancesChartShowsSedgeTheBestFixedKeepAliveHybridHistogramAndKnative() throws Exception {
        Path trace = dir.resolve("small.csv");
        SmallTrace.write(trace);
        StudyResult study = study(trace);

        List<String> chosen = StudyCharts.instancePolicies(study);

        assertThat(chosen)
                .containsExactly(
                        StudyCharts.SEDGE, study.bestFixed().policy(), StudyCharts.HYBRID_HISTOGRAM, "knative");
    }

    @Test
    void aTimelineClipsToTheStretchWithTheStateAtItsStart() {
        DeviceTimeline t = new DeviceTimeline("a");
        t.started("a", 100, false);
        t.invoked("a", 100, true, 500);
        t.started("b", 150, false); // another function: not recorded
        t.stopped("a", 700);
        t.started("a", 900, true);
        t.invoked("a", 1_500, false, 0);
        t.started("a", 3_000, false);
        t.invoked("a", 3_000, true, 500);
        t.invoked("a", 3_100, false, 400); // waits on the same start: not a second cold start, but it waited
        t.stopped("a", 5_000);

        assertThat(t.steps(500, 1_000))
                .containsExactly(
                        new DeviceTimeline.Change(500, 1),
                        new DeviceTimeline.Change(700, 0),
                        new DeviceTimeline.Change(900, 1),
                        new DeviceTimeline.Change(1_000, 1));
        assertThat(t.steps(6_000, 7_000))
                .containsExactly(new DeviceTimeline.Change(6_000, 0), new DeviceTimeline.Change(7_000, 0));
        assertThat(t.events(0, 1_500)).containsExactly(new DeviceTimeline.Event(100, true));
        assertThat(t.events(1_500, 4_000))
                .containsExactly(
                        new DeviceTimeline.Event(1_500, false),
                        new DeviceTimeline.Event(3_000, true),
                        new DeviceTimeline.Event(3_100, true));
    }

    private static StudyResult study(Path file) throws Exception {
        try (Reader in = Files.newBufferedReader(file)) {
            Trace trace = TraceReader.read(file.getFileName().toString(), in, TraceReader.KEY_DEFAULT);
            return PolicyStudy.run(trace, TraceReader.KEY_DEFAULT, KeepAlivePolicies.study(), PolicyContext.DEFAULTS);
        }
    }
}
