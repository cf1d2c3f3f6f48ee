package dev.sedge.bench.startup;

import dev.sedge.bench.BenchOptions;
import dev.sedge.node.cli.CliException;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sedge bench reset}: see {@link ResetBench}. One instance per CLI run. */
@Command(
        name = ResetBench.SCENARIO,
        description = {
            "What rewinding a wasm guest to its snapshot after an event costs, against building a new guest"
                    + " from the compiled module (instantiate, initialise, snapshot; or instantiate and copy the"
                    + " snapshot in), in the same run: a 64 KiB WAT module and the C example (built with clang,"
                    + " skipped without it).",
            "Progress goes to stderr, the report to stdout."
        })
public final class ResetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--samples",
            paramLabel = "N",
            description = "Measured rounds per module, each one sample of every row (default: 5000; 200 with --quick).")
    Integer samples;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            description = "Untimed rounds before them (default: 2000; 100 with --quick).")
    Integer warmup;

    @Option(names = "--quick", description = "Fewer samples: the whole scenario in a few seconds.")
    boolean quick;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    BenchOptions.Format output;

    @Override
    public Integer call() throws CliException {
        ResetBench.Settings settings = new ResetBench.Settings(
                ColdStartCommand.positive("--samples", samples, quick ? 200 : 5000),
                ColdStartCommand.positive("--warmup", warmup, quick ? 100 : 2000));
        StartupReport report;
        try {
            report = new ResetBench(settings, spec.commandLine().getErr()).run(ResetBench.all());
        } catch (IOException e) {
            throw new CliException(ResetBench.SCENARIO + " failed: " + e.getMessage());
        }
        ColdStartCommand.print(spec.commandLine().getOut(), output, report);
        return 0;
    }
}
