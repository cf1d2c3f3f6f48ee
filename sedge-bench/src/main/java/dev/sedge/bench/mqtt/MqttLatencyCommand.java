package dev.sedge.bench.mqtt;

import dev.sedge.bench.report.Report;
import dev.sedge.bench.report.ReportWriter;
import dev.sedge.bench.targets.MosquittoTarget;
import dev.sedge.bench.targets.SedgeTarget;
import dev.sedge.bench.targets.Target;
import dev.sedge.node.cli.CliException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sedge bench mqtt-latency}: see {@link MqttLatency}. One instance per CLI run. */
@Command(
        name = MqttLatency.SCENARIO,
        description = {
            "How long from PUBLISH to the function's reply arriving at a subscriber, open loop at fixed offered"
                    + " rates, corrected for coordinated omission: a Sedge node whose echo function replies on a"
                    + " topic the generator subscribes to, and Mosquitto routing the same messages to the"
                    + " subscriber with no function, in the same run.",
            "Progress goes to stderr, the report to stdout."
        })
public final class MqttLatencyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--duration",
            paramLabel = "D",
            converter = MqttThroughputCommand.DurationConverter.class,
            description = "Measurement window per target and rate (default: 20s; 3s with --quick).")
    Duration duration;

    @Option(
            names = "--warmup",
            paramLabel = "D",
            converter = MqttThroughputCommand.DurationConverter.class,
            description = "Load at each rate before measuring (default: 5s; 1s with --quick).")
    Duration warmup;

    @Option(names = "--quick", description = "A short run: a few seconds per target and rate.")
    boolean quick;

    @Option(
            names = "--rates",
            paramLabel = "R",
            split = ",",
            description = "Offered rates in messages a second (default: 100,1000,10000).")
    List<Integer> rates = MqttLatency.Settings.RATES_DEFAULT;

    @Option(names = "--payload-bytes", paramLabel = "N", description = "Payload size (default: 64).")
    int payloadBytes = 64;

    @Option(
            names = "--target",
            paramLabel = "NAME",
            split = ",",
            description = "Targets to run, in order: sedge, mosquitto (default: both).")
    List<String> targets = List.of(SedgeTarget.NAME, MosquittoTarget.NAME);

    @Option(
            names = "--node-jvm-arg",
            paramLabel = "ARG",
            description = "An option for the Sedge node's JVM, such as a flight recording; repeatable.")
    List<String> nodeJvmArgs = new ArrayList<>();

    @Option(names = "--mosquitto", paramLabel = "PATH", description = "The mosquitto executable.")
    Path mosquitto;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    MqttThroughputCommand.Format output;

    @Override
    public Integer call() throws CliException, InterruptedException {
        MqttLatency.Settings settings;
        List<Target> chosen = new ArrayList<>();
        try {
            settings = new MqttLatency.Settings(
                    duration != null
                            ? duration
                            : quick ? MqttLatency.Settings.QUICK_DURATION : MqttLatency.Settings.DURATION_DEFAULT,
                    warmup != null
                            ? warmup
                            : quick ? MqttLatency.Settings.QUICK_WARMUP : MqttLatency.Settings.WARMUP_DEFAULT,
                    rates,
                    payloadBytes);
            for (String t : targets) {
                chosen.add(
                        switch (t) {
                            case SedgeTarget.NAME -> SedgeTarget.echo(nodeJvmArgs, MqttLatency.SEDGE_RESPONSE_TOPIC);
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
        Report report;
        try {
            report = new MqttLatency(settings, spec.commandLine().getErr()).run(chosen);
        } catch (IOException e) {
            throw new CliException(MqttLatency.SCENARIO + " failed: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(
                output == MqttThroughputCommand.Format.json
                        ? ReportWriter.json(report) + "\n"
                        : ReportWriter.markdown(report));
        out.flush();
        return 0;
    }
}
