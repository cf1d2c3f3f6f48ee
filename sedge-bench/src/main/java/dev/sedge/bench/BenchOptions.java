package dev.sedge.bench;

import dev.sedge.bench.report.Report;
import dev.sedge.bench.report.ReportWriter;
import dev.sedge.bench.targets.MosquittoTarget;
import dev.sedge.node.descriptor.Quantities;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * The options every {@code sedge bench} scenario shares: how long to measure, the node's JVM, the
 * Mosquitto executable and the output format. A picocli mixin; one instance per CLI run.
 */
public final class BenchOptions {

    /** How the report is printed. */
    public enum Format {
        table,
        json
    }

    @Option(
            names = "--duration",
            paramLabel = "D",
            converter = DurationConverter.class,
            description =
                    "Measurement window per target (and rate), such as 20s or 1m (default: 20s; 3s with --quick).")
    Duration duration;

    @Option(
            names = "--warmup",
            paramLabel = "D",
            converter = DurationConverter.class,
            description = "Load before measuring, for the JIT and steady state (default: 5s; 1s with --quick).")
    Duration warmup;

    @Option(
            names = "--quick",
            description = "A short run: a few seconds per target, the whole scenario in about a minute.")
    boolean quick;

    @Option(
            names = "--node-jvm-arg",
            paramLabel = "ARG",
            description = "An option for the Sedge node's JVM, such as -XX:StartFlightRecording=filename=node.jfr;"
                    + " repeatable.")
    List<String> nodeJvmArgs = new ArrayList<>();

    @Option(
            names = "--mosquitto",
            paramLabel = "PATH",
            description = "The mosquitto executable (default: /usr/sbin/mosquitto, else mosquitto on the PATH).")
    Path mosquitto;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format output;

    /** The measurement window: the option, else the scenario's default for a full or a quick run. */
    public Duration duration(Duration full, Duration quickRun) {
        return duration != null ? duration : quick ? quickRun : full;
    }

    /** The warm-up: the option, else the scenario's default for a full or a quick run. */
    public Duration warmup(Duration full, Duration quickRun) {
        return warmup != null ? warmup : quick ? quickRun : full;
    }

    public List<String> nodeJvmArgs() {
        return nodeJvmArgs;
    }

    /** The Mosquitto baseline: the given executable, or the installed one. */
    public MosquittoTarget mosquitto() {
        return mosquitto != null ? new MosquittoTarget(mosquitto) : MosquittoTarget.installed();
    }

    /** Prints the report in the chosen format. */
    public void print(PrintWriter out, Report report) {
        out.print(output == Format.json ? ReportWriter.json(report) + "\n" : ReportWriter.markdown(report));
        out.flush();
    }

    /** Reads {@code 20s}, {@code 500ms}, {@code 1m30s}, as descriptors do. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Quantities.duration(value);
        }
    }
}
