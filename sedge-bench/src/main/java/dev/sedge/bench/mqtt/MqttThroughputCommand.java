package dev.sedge.bench.mqtt;

import dev.sedge.bench.load.LoadSpec;
import dev.sedge.bench.report.Report;
import dev.sedge.bench.report.ReportWriter;
import dev.sedge.bench.targets.MosquittoTarget;
import dev.sedge.bench.targets.SedgeTarget;
import dev.sedge.bench.targets.Target;
import dev.sedge.node.cli.CliException;
import dev.sedge.node.descriptor.Quantities;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sedge bench mqtt-throughput}: see {@link MqttThroughput}. One instance per CLI run. */
@Command(
        name = MqttThroughput.SCENARIO,
        description = {
            "How many messages a second end to end: N publishers at saturation against a Sedge node whose no-op"
                    + " function is triggered by every message (QoS 1, ack: on-complete), and against Mosquitto"
                    + " routing the same load to one subscriber, in the same run.",
            "Progress goes to stderr, the report to stdout."
        })
public final class MqttThroughputCommand implements Callable<Integer> {

    public enum Format {
        table,
        json
    }

    @Spec
    CommandSpec spec;

    @Option(
            names = "--duration",
            paramLabel = "D",
            converter = DurationConverter.class,
            description = "Measurement window per target, such as 20s or 1m (default: 20s; 3s with --quick).")
    Duration duration;

    @Option(
            names = "--warmup",
            paramLabel = "D",
            converter = DurationConverter.class,
            description = "Load before measuring, for the JIT and steady state (default: 5s; 1s with --quick).")
    Duration warmup;

    @Option(
            names = "--quick",
            description = "A short run: a few seconds per target, the whole scenario in under a minute.")
    boolean quick;

    @Option(names = "--qos", paramLabel = "0|1", description = "QoS of the published messages (default: 1).")
    int qos = LoadSpec.QOS_DEFAULT;

    @Option(names = "--payload-bytes", paramLabel = "N", description = "Payload size (default: 64).")
    int payloadBytes = LoadSpec.PAYLOAD_BYTES_DEFAULT;

    @Option(names = "--publishers", paramLabel = "N", description = "Publisher connections (default: 8).")
    int publishers = LoadSpec.PUBLISHERS_DEFAULT;

    @Option(
            names = "--window",
            paramLabel = "N",
            description = "Unacknowledged QoS 1 messages per publisher (default: 64).")
    int window = LoadSpec.WINDOW_DEFAULT;

    @Option(
            names = "--generator-threads",
            paramLabel = "N",
            description = "Event loop threads of the load generator (default: 1).")
    int generatorThreads = MqttThroughput.Settings.GENERATOR_THREADS_DEFAULT;

    @Option(
            names = "--rounds",
            paramLabel = "N",
            description = "Measure each target N times, taking turns, and add the rounds up (default: 1).")
    int rounds = MqttThroughput.Settings.ROUNDS_DEFAULT;

    @Option(
            names = "--target",
            paramLabel = "NAME",
            split = ",",
            description = "Targets to run, in order: sedge, mosquitto (default: both).")
    List<String> targets = List.of(SedgeTarget.NAME, MosquittoTarget.NAME);

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            description = "spec.concurrency of the Sedge node's benchmark function (default: 1, as in descriptors).")
    int concurrency = SedgeTarget.CONCURRENCY_DEFAULT;

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

    @Override
    public Integer call() throws CliException, InterruptedException {
        MqttThroughput.Settings settings;
        List<Target> chosen = new ArrayList<>();
        try {
            settings = new MqttThroughput.Settings(
                    duration != null
                            ? duration
                            : quick ? MqttThroughput.Settings.QUICK_DURATION : MqttThroughput.Settings.DURATION_DEFAULT,
                    warmup != null
                            ? warmup
                            : quick ? MqttThroughput.Settings.QUICK_WARMUP : MqttThroughput.Settings.WARMUP_DEFAULT,
                    new LoadSpec(publishers, qos, payloadBytes, window, MqttThroughput.TOPIC_PREFIX),
                    generatorThreads,
                    rounds);
            for (String t : targets) {
                chosen.add(
                        switch (t) {
                            case SedgeTarget.NAME -> SedgeTarget.noop(concurrency, nodeJvmArgs);
                            case MosquittoTarget.NAME ->
                                mosquitto != null ? new MosquittoTarget(mosquitto) : MosquittoTarget.installed();
                            default ->
                                throw new IllegalArgumentException("--target: unknown target \"" + t + "\" (use "
                                        + SedgeTarget.NAME + " or " + MosquittoTarget.NAME + ")");
                        });
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        Report report;
        try {
            report = new MqttThroughput(settings, err).run(chosen);
        } catch (IOException e) {
            throw new CliException(MqttThroughput.SCENARIO + " failed: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(output == Format.json ? ReportWriter.json(report) + "\n" : ReportWriter.markdown(report));
        out.flush();
        return 0;
    }

    /** Reads {@code 20s}, {@code 500ms}, {@code 1m30s}, as descriptors do. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Quantities.duration(value);
        }
    }
}
