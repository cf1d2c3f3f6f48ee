package dev.sedge.bench.startup;

import dev.sedge.bench.BenchOptions;
import dev.sedge.node.cli.CliException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sedge bench cold-start}: see {@link ColdStartBench}. One instance per CLI run. */
@Command(
        name = ColdStartBench.SCENARIO,
        description = {
            "How long from an event for a function with no instance to its result, per runtime (wasm, jvm,"
                    + " process), split by phase (fetch, compile, instantiate, initialise, first call), against"
                    + " fork+exec of /bin/true and a fresh JVM printing hello, in the same run.",
            "Progress goes to stderr, the report to stdout."
        })
public final class ColdStartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--samples",
            paramLabel = "N",
            description = "Cold starts per in-process runtime (default: 500; 50 with --quick).")
    Integer samples;

    @Option(
            names = "--process-samples",
            paramLabel = "N",
            description =
                    "Samples of each process row: the process runtime, /bin/true (default: 100; 20 with --quick).")
    Integer processSamples;

    @Option(
            names = "--jvm-samples",
            paramLabel = "N",
            description = "Fresh JVMs started (default: 10; 3 with --quick).")
    Integer jvmSamples;

    @Option(names = "--quick", description = "Fewer samples: the whole scenario in a few seconds.")
    boolean quick;

    @Option(
            names = "--runtime",
            paramLabel = "NAME",
            split = ",",
            description = "Runtimes to measure, in order (default: all this build has).")
    List<String> runtimes;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    BenchOptions.Format output;

    @Override
    public Integer call() throws CliException, InterruptedException {
        ColdStartBench.Settings settings = new ColdStartBench.Settings(
                positive("--samples", samples, quick ? 50 : 500),
                positive("--process-samples", processSamples, quick ? 20 : 100),
                positive("--jvm-samples", jvmSamples, quick ? 3 : 10));
        List<SubjectFactory> chosen = new ArrayList<>();
        try {
            if (runtimes == null) {
                chosen.addAll(Subjects.all());
            } else {
                for (String r : runtimes) {
                    chosen.add(Subjects.named(r));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        StartupReport report;
        try {
            report = new ColdStartBench(settings, spec.commandLine().getErr()).run(chosen);
        } catch (IOException e) {
            throw new CliException(ColdStartBench.SCENARIO + " failed: " + e.getMessage());
        }
        print(spec.commandLine().getOut(), output, report);
        return 0;
    }

    static int positive(String option, Integer value, int otherwise) throws CliException {
        if (value == null) {
            return otherwise;
        }
        if (value < 1) {
            throw new CliException(option + ": must be at least 1, was " + value);
        }
        return value;
    }

    static void print(PrintWriter out, BenchOptions.Format format, StartupReport report) {
        out.print(format == BenchOptions.Format.json ? report.json() + "\n" : report.markdown());
        out.flush();
    }
}
