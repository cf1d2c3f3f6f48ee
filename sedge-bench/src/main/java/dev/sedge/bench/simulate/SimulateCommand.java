package dev.sedge.bench.simulate;

import dev.sedge.bench.BenchOptions;
import dev.sedge.node.cli.CliException;
import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.catalog.KeepAlivePolicies;
import dev.sedge.scaling.sim.Trace;
import dev.sedge.scaling.sim.TraceException;
import dev.sedge.scaling.sim.TraceReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sedge simulate}: replays traces against keep-alive and pre-warm policies in simulated time (see
 * {@link dev.sedge.scaling.sim.Simulator}), one function per key, and compares what each cost. Every
 * input is checked before anything runs, so a bad one prints one line and no partial report. One
 * instance per CLI run.
 */
@Command(
        name = "simulate",
        description = {
            "Replay event traces against keep-alive and pre-warm policies in simulated time: for each policy the"
                    + " cold starts it caused, the idle memory it kept and the latency it added. Deterministic.",
            "With -o json, one JSON object per trace, each on its own line (JSON Lines)."
        })
final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--trace",
            paramLabel = "FILE",
            description = "An arrivals CSV (epoch_ms,device_id,event,extra); repeatable, one report per trace.")
    List<Path> traces = new ArrayList<>();

    @Option(
            names = "--policy",
            paramLabel = "NAME",
            description = "A policy to run, such as knative or fixed-10m; repeatable, in the order given"
                    + " (default: every policy of the study, in report order).")
    List<String> policies = new ArrayList<>();

    @Option(
            names = "--key",
            paramLabel = "COLUMN",
            description = "The column naming each event's function: device_id, event or extra (default: "
                    + TraceReader.KEY_DEFAULT + ").")
    String key = TraceReader.KEY_DEFAULT;

    @Option(names = "--memory-mib", paramLabel = "N", description = "Memory one instance holds (default: 128).")
    long memoryMib = PolicyContext.MEMORY_MIB_DEFAULT;

    @Option(
            names = "--node-memory-mib",
            paramLabel = "N",
            description =
                    "Memory all kept instances may hold together, for the policies with a budget" + " (default: 2048).")
    long nodeMemoryMib = PolicyContext.NODE_MEMORY_MIB_DEFAULT;

    @Option(names = "--cold-start-ms", paramLabel = "N", description = "How long a start takes (default: 500).")
    long coldStartMillis = PolicyContext.COLD_START_MILLIS_DEFAULT;

    @Option(
            names = "--cold-start-worth-min",
            paramLabel = "N",
            description = "Minutes of one idle instance that avoiding a cold start is worth, the price Sedge's"
                    + " policy trades memory for latency at (default: 60).")
    double coldStartWorthMinutes = PolicyContext.COLD_START_WORTH_MILLIS_DEFAULT / 60_000.0;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    BenchOptions.Format output;

    @Option(
            names = "--charts",
            paramLabel = "DIR",
            description = "Also draw, per trace, <trace>-pareto.png (avoidable cold starts against wasted memory)"
                    + " and <trace>-instances.png (one function's instance over its busiest day) into DIR.")
    Path charts;

    @Option(
            names = "--device",
            paramLabel = "ID",
            description = "The function the instances chart follows (default: the one with the most events).")
    String device;

    @Override
    public Integer call() throws CliException {
        PolicyContext context = context();
        List<String> names = policyNames(context);
        List<Trace> read = readTraces();
        checkCharts(read);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (int i = 0; i < read.size(); i++) {
            StudyResult study = PolicyStudy.run(read.get(i), key, names, context);
            if (output == BenchOptions.Format.json) {
                out.println(StudyJson.line(study));
            } else {
                if (i > 0) {
                    out.println();
                }
                StudyTable.print(out, study);
            }
            out.flush();
            if (charts != null) {
                try {
                    for (Path written : StudyCharts.write(charts, study, device)) {
                        err.println("simulate: chart written to " + written);
                    }
                } catch (IOException e) {
                    throw new CliException("--charts " + charts + ": cannot write: " + e.getMessage());
                }
                err.flush();
            }
        }
        return 0;
    }

    private PolicyContext context() throws CliException {
        if (memoryMib < 1) {
            throw new CliException("--memory-mib " + memoryMib + ": must be at least 1");
        }
        if (nodeMemoryMib < memoryMib) {
            throw new CliException("--node-memory-mib " + nodeMemoryMib + ": must be at least --memory-mib " + memoryMib
                    + ", one instance");
        }
        if (coldStartMillis < 0) {
            throw new CliException("--cold-start-ms " + coldStartMillis + ": must be 0 or more");
        }
        long worth = Math.round(coldStartWorthMinutes * 60_000);
        if (!(worth >= PolicyContext.COLD_START_WORTH_MILLIS_MIN)) {
            throw new CliException(
                    "--cold-start-worth-min " + coldStartWorthMinutes + ": must be at least 1 s (0.0167)");
        }
        return new PolicyContext(coldStartMillis, memoryMib, nodeMemoryMib, worth);
    }

    /** The policies to run: those given, each known to the registry and given once; else the study's. */
    private List<String> policyNames(PolicyContext context) throws CliException {
        if (policies.isEmpty()) {
            return KeepAlivePolicies.study();
        }
        List<String> names = new ArrayList<>();
        for (String name : policies) {
            if (names.contains(name)) {
                throw new CliException("--policy " + name + ": given twice");
            }
            try {
                // The registry is the one judge of a name; a policy is cheap to build and throw away.
                KeepAlivePolicies.create(name, context, Map.of());
            } catch (IllegalArgumentException e) {
                throw new CliException("--policy: " + e.getMessage());
            }
            names.add(name);
        }
        return names;
    }

    private List<Trace> readTraces() throws CliException {
        if (traces.isEmpty()) {
            throw new CliException("--trace: give at least one trace file");
        }
        for (Path file : traces) {
            if (!Files.isRegularFile(file)) {
                throw new CliException("--trace " + file + ": " + (Files.exists(file) ? "not a file" : "no such file"));
            }
        }
        List<Trace> read = new ArrayList<>();
        for (Path file : traces) {
            Trace trace;
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                trace = TraceReader.read(file.getFileName().toString(), in, key);
            } catch (TraceException e) {
                // The reader names the trace and the line, or --key itself.
                throw new CliException(e.getMessage().startsWith("--") ? e.getMessage() : "--trace " + e.getMessage());
            } catch (IOException e) {
                throw new CliException("--trace " + file + ": cannot read: " + e.getMessage());
            }
            if (trace.events() == 0) {
                throw new CliException("--trace " + file + ": no events after the header");
            }
            read.add(trace);
        }
        return read;
    }

    /** --device names a function of every trace, and no two traces draw into the same files. */
    private void checkCharts(List<Trace> read) throws CliException {
        if (charts == null) {
            if (device != null) {
                throw new CliException("--device " + device + ": only used with --charts");
            }
            return;
        }
        Map<String, Path> stems = new HashMap<>();
        for (int i = 0; i < read.size(); i++) {
            Trace trace = read.get(i);
            if (device != null && !trace.functions().contains(device)) {
                throw new CliException("--device " + device + ": no such " + key + " in " + trace.name());
            }
            Path other = stems.putIfAbsent(StudyCharts.stem(trace.name()), traces.get(i));
            if (other != null) {
                throw new CliException("--charts: " + other + " and " + traces.get(i) + " would write the same "
                        + StudyCharts.stem(trace.name()) + "-*.png");
            }
        }
        try {
            Files.createDirectories(charts);
        } catch (IOException e) {
            throw new CliException("--charts " + charts + ": cannot create the folder: " + e.getMessage());
        }
    }
}
