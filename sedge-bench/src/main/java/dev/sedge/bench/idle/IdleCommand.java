package dev.sedge.bench.idle;

import dev.sedge.bench.BenchOptions;
import dev.sedge.bench.report.Report;
import dev.sedge.bench.report.ReportWriter;
import dev.sedge.node.cli.CliException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sedge bench idle}: see {@link IdleBench}. One instance per CLI run. */
@Command(
        name = IdleBench.SCENARIO,
        description = {
            "What a deployed function costs while nobody calls it: one node with no function, then with N wasm"
                    + " functions deployed and none started, then with each of them warm (one event each), the"
                    + " node's CPU and resident memory measured for the same time in each state.",
            "Progress goes to stderr, the report to stdout."
        })
public final class IdleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--functions",
            paramLabel = "N",
            description = "Functions deployed in the cold and warm states (default: 1000; 100 with --quick).")
    Integer functions;

    @Option(
            names = "--duration",
            paramLabel = "D",
            converter = BenchOptions.DurationConverter.class,
            description = "Measurement window of each state (default: 60s; 10s with --quick).")
    Duration duration;

    @Option(names = "--quick", description = "100 functions and 10 s per state: the whole scenario in about 45 s.")
    boolean quick;

    @Option(
            names = "--node-jvm-arg",
            paramLabel = "ARG",
            description = "An option for the Sedge node's JVM, such as -Xmx256m; repeatable.")
    List<String> nodeJvmArgs = new ArrayList<>();

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    BenchOptions.Format output;

    @Override
    public Integer call() throws CliException, InterruptedException {
        IdleBench.Settings settings;
        try {
            settings = new IdleBench.Settings(
                    functions != null
                            ? functions
                            : quick ? IdleBench.Settings.QUICK_FUNCTIONS : IdleBench.Settings.FUNCTIONS_DEFAULT,
                    duration != null
                            ? duration
                            : quick ? IdleBench.Settings.QUICK_DURATION : IdleBench.Settings.DURATION_DEFAULT,
                    quick ? IdleBench.Settings.QUICK_SETTLE : IdleBench.Settings.SETTLE_DEFAULT);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        Report report;
        try {
            report = new IdleBench(settings, nodeJvmArgs, spec.commandLine().getErr()).run();
        } catch (IOException e) {
            throw new CliException(IdleBench.SCENARIO + " failed: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(
                output == BenchOptions.Format.json ? ReportWriter.json(report) + "\n" : ReportWriter.markdown(report));
        out.flush();
        return 0;
    }
}
