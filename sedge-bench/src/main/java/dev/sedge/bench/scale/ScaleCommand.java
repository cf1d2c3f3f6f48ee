package dev.sedge.bench.scale;

import dev.sedge.bench.BenchOptions;
import dev.sedge.bench.report.ReportWriter;
import dev.sedge.node.cli.CliException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sedge bench scale}: see {@link ScaleBench}. One instance per CLI run. */
@Command(
        name = ScaleBench.SCENARIO,
        description = {
            "How a function follows a step in load and how fast it returns to zero: a function that burns a"
                    + " fixed time per event sees no load, an open-loop step needing several instances, then no"
                    + " load until it is back at zero instances; against the same function kept at a fixed"
                    + " instance count under the same load, in the same run. Draws a PNG chart.",
            "Progress goes to stderr, the report to stdout."
        })
public final class ScaleCommand implements Callable<Integer> {

    /** Where the chart goes unless {@code --chart} says otherwise: the current directory. */
    public static final String CHART_DEFAULT = "scale.png";

    @Spec
    CommandSpec spec;

    @Option(
            names = "--idle",
            paramLabel = "D",
            converter = BenchOptions.DurationConverter.class,
            description = "No load before the step, whole seconds (default: 10s; 1s with --quick).")
    Duration idle;

    @Option(
            names = "--duration",
            paramLabel = "D",
            converter = BenchOptions.DurationConverter.class,
            description = "The step's length, whole seconds (default: 30s; 5s with --quick).")
    Duration load;

    @Option(
            names = "--rate",
            paramLabel = "R",
            description = "The step's offered rate in QoS 1 messages a second (default: 1500).")
    int rate = ScaleBench.Settings.RATE_DEFAULT;

    @Option(
            names = "--burn-us",
            paramLabel = "N",
            description = "Microseconds the function keeps its thread busy per event (default: 5000).")
    long burnMicros = ScaleBench.Settings.BURN_DEFAULT.toNanos() / 1000;

    @Option(
            names = "--window",
            paramLabel = "D",
            converter = BenchOptions.DurationConverter.class,
            description = "The function's stable window, scale.window (default: 6s, the least allowed).")
    Duration window = ScaleBench.Settings.WINDOW_DEFAULT;

    @Option(names = "--max", paramLabel = "N", description = "The autoscaled function's scale.max (default: 8).")
    int max = ScaleBench.Settings.MAX_DEFAULT;

    @Option(
            names = "--fixed",
            paramLabel = "N",
            description = "The baseline's instance count (default: the autoscaled run's peak; "
                    + ScaleBench.FIXED_WITHOUT_PEAK + " when it does not run).")
    Integer fixed;

    @Option(
            names = "--target",
            paramLabel = "NAME",
            split = ",",
            description = "Targets to run, in order: autoscaled, fixed (default: both).")
    List<String> targets = List.of("autoscaled", "fixed");

    @Option(
            names = "--chart",
            paramLabel = "FILE",
            description = "Where the PNG chart goes (default: " + CHART_DEFAULT + " in the current directory).")
    Path chart = Path.of(CHART_DEFAULT);

    @Option(
            names = "--quick",
            description = "A short run: a 1 s idle and a 5 s step, the whole scenario in well under a minute.")
    boolean quick;

    @Option(
            names = "--node-jvm-arg",
            paramLabel = "ARG",
            description = "An option for the Sedge node's JVM, such as -XX:StartFlightRecording=filename=node.jfr;"
                    + " repeatable.")
    List<String> nodeJvmArgs = new ArrayList<>();

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    BenchOptions.Format output;

    @Override
    public Integer call() throws CliException, InterruptedException {
        ScaleBench.Settings settings;
        try {
            settings = new ScaleBench.Settings(
                    idle != null ? idle : quick ? ScaleBench.Settings.QUICK_IDLE : ScaleBench.Settings.IDLE_DEFAULT,
                    load != null ? load : quick ? ScaleBench.Settings.QUICK_LOAD : ScaleBench.Settings.LOAD_DEFAULT,
                    rate,
                    Duration.ofNanos(Math.multiplyExact(burnMicros, 1000)),
                    window,
                    max,
                    fixed);
            for (String t : targets) {
                if (!t.equals("autoscaled") && !t.equals("fixed")) {
                    throw new IllegalArgumentException(
                            "--target: unknown target \"" + t + "\" (use autoscaled or fixed)");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        ScaleBench.Outcome outcome;
        try {
            outcome = new ScaleBench(settings, nodeJvmArgs, err)
                    .run(targets.contains("autoscaled"), targets.contains("fixed"));
            ScaleChart.write(chart, title(settings), outcome.traces());
        } catch (IOException e) {
            throw new CliException(ScaleBench.SCENARIO + " failed: " + e.getMessage());
        }
        err.println(ScaleBench.SCENARIO + ": chart written to " + chart.toAbsolutePath());
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.print(
                output == BenchOptions.Format.json
                        ? ReportWriter.json(outcome.report()) + "\n"
                        : ReportWriter.markdown(outcome.report()));
        out.flush();
        return 0;
    }

    private static String title(ScaleBench.Settings s) {
        return String.format(
                Locale.ROOT,
                "sedge bench scale: a step of %,d msg/s of %d us events, stable window %d s",
                s.rate(),
                s.burn().toNanos() / 1000,
                s.window().toSeconds());
    }
}
