package dev.sedge.bench.knative;

import dev.sedge.bench.BenchOptions;
import dev.sedge.bench.load.LoadSpec;
import dev.sedge.bench.mqtt.MqttThroughput;
import dev.sedge.bench.report.Report;
import dev.sedge.bench.targets.SedgeTarget;
import dev.sedge.bench.targets.Target;
import dev.sedge.node.cli.CliException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sedge bench knative-style}: the throughput measurement of {@link MqttThroughput}, closed loop at
 * saturation, against a Sedge node and against the Knative-style path ({@link KnativeStyleTarget}) in
 * the same run, with the ratios of throughput and of CPU per message. One instance per CLI run.
 */
@Command(
        name = KnativeStyleCommand.SCENARIO,
        description = {
            "What the streamlined path saves over the cloud design: the same no-op function behind a Sedge node,"
                    + " and behind mosquitto -> an MQTT-to-CloudEvent adaptor -> nginx (queue-proxy) -> an HTTP"
                    + " server, one process per hop; throughput at saturation and CPU per message of every process.",
            "Progress goes to stderr, the report to stdout."
        })
public final class KnativeStyleCommand implements Callable<Integer> {

    public static final String SCENARIO = "knative-style";
    public static final String TOPIC_PREFIX = "bench/knative";

    @Spec
    CommandSpec spec;

    @Mixin
    BenchOptions common;

    @Option(names = "--payload-bytes", paramLabel = "N", description = "Payload size (default: 64).")
    int payloadBytes = LoadSpec.PAYLOAD_BYTES_DEFAULT;

    @Option(names = "--publishers", paramLabel = "N", description = "Publisher connections (default: 8).")
    int publishers = LoadSpec.PUBLISHERS_DEFAULT;

    @Option(
            names = "--window",
            paramLabel = "N",
            description = "Messages per publisher not yet completed end to end (default: 64).")
    int window = LoadSpec.WINDOW_DEFAULT;

    @Option(
            names = "--adaptor-in-flight",
            paramLabel = "N",
            description = "HTTP requests the adaptor may have outstanding (mosquitto's max_inflight_messages;"
                    + " default: 8).")
    int adaptorInFlight = KnativeStyleTarget.ADAPTOR_IN_FLIGHT_DEFAULT;

    @Option(
            names = "--rounds",
            paramLabel = "N",
            description = "Measure each target N times, taking turns (default: 1).")
    int rounds = MqttThroughput.Settings.ROUNDS_DEFAULT;

    @Option(
            names = "--target",
            paramLabel = "NAME",
            split = ",",
            description = "Targets to run, in order: sedge, knative-style (default: both).")
    List<String> targets = List.of(SedgeTarget.NAME, KnativeStyleTarget.NAME);

    @Option(names = "--nginx", paramLabel = "PATH", description = "The nginx executable (default: /usr/sbin/nginx).")
    Path nginx;

    @Override
    public Integer call() throws CliException, InterruptedException {
        MqttThroughput.Settings settings;
        List<Target> chosen = new ArrayList<>();
        try {
            settings = new MqttThroughput.Settings(
                    common.duration(MqttThroughput.Settings.DURATION_DEFAULT, MqttThroughput.Settings.QUICK_DURATION),
                    common.warmup(MqttThroughput.Settings.WARMUP_DEFAULT, MqttThroughput.Settings.QUICK_WARMUP),
                    new LoadSpec(publishers, 1, payloadBytes, window, TOPIC_PREFIX),
                    MqttThroughput.Settings.GENERATOR_THREADS_DEFAULT,
                    rounds);
            for (String t : targets) {
                chosen.add(
                        switch (t) {
                            case SedgeTarget.NAME ->
                                SedgeTarget.noop(SedgeTarget.CONCURRENCY_DEFAULT, common.nodeJvmArgs());
                            case KnativeStyleTarget.NAME ->
                                new KnativeStyleTarget(
                                        common.mosquitto().binary(),
                                        nginx != null ? nginx : KnativeStyleTarget.DEBIAN_NGINX,
                                        adaptorInFlight);
                            default ->
                                throw new IllegalArgumentException("--target: unknown target \"" + t + "\" (use "
                                        + SedgeTarget.NAME + " or " + KnativeStyleTarget.NAME + ")");
                        });
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        Report report;
        try {
            report = new MqttThroughput(
                            SCENARIO,
                            KnativeStyleTarget.NAME,
                            true,
                            settings,
                            spec.commandLine().getErr())
                    .run(chosen);
        } catch (IOException e) {
            throw new CliException(SCENARIO + " failed: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        common.print(out, report);
        return 0;
    }
}
