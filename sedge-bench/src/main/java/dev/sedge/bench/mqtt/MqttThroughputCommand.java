package dev.sedge.bench.mqtt;

import dev.sedge.bench.BenchOptions;
import dev.sedge.bench.load.LoadSpec;
import dev.sedge.bench.report.Report;
import dev.sedge.bench.targets.HiveMqTarget;
import dev.sedge.bench.targets.MosquittoTarget;
import dev.sedge.bench.targets.SedgeTarget;
import dev.sedge.bench.targets.ServerfulTarget;
import dev.sedge.bench.targets.Target;
import dev.sedge.bench.targets.TargetNames;
import dev.sedge.node.cli.CliException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sedge bench mqtt-throughput}: see {@link MqttThroughput}. One instance per CLI run. */
@Command(
        name = MqttThroughput.SCENARIO,
        description = {
            "How many messages a second end to end: N publishers at saturation against a Sedge node whose no-op"
                    + " function is triggered by every message (QoS 1, ack: on-complete), and against Mosquitto"
                    + " routing the same load to one subscriber, in the same run. With --target also HiveMQ CE"
                    + " routing it, or the serverful design: Mosquitto and an always-on function service.",
            "Progress goes to stderr, the report to stdout."
        })
public final class MqttThroughputCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BenchOptions common;

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
            description = "Targets to run, in order: sedge, mosquitto, hivemq-ce (HiveMQ CE, the same route as"
                    + " mosquitto), serverful (mosquitto and an always-on function service running the same"
                    + " function) (default: sedge,mosquitto).")
    List<String> targets = List.of(SedgeTarget.NAME, MosquittoTarget.NAME);

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            description = "spec.concurrency of the Sedge node's benchmark function (default: 1, as in descriptors).")
    int concurrency = SedgeTarget.CONCURRENCY_DEFAULT;

    @Override
    public Integer call() throws CliException, InterruptedException {
        MqttThroughput.Settings settings;
        List<Target> chosen = new ArrayList<>();
        try {
            settings = new MqttThroughput.Settings(
                    common.duration(MqttThroughput.Settings.DURATION_DEFAULT, MqttThroughput.Settings.QUICK_DURATION),
                    common.warmup(MqttThroughput.Settings.WARMUP_DEFAULT, MqttThroughput.Settings.QUICK_WARMUP),
                    new LoadSpec(publishers, qos, payloadBytes, window, MqttThroughput.TOPIC_PREFIX),
                    generatorThreads,
                    rounds);
            for (String t : targets) {
                chosen.add(
                        switch (t) {
                            case SedgeTarget.NAME -> SedgeTarget.noop(concurrency, common.nodeJvmArgs());
                            case MosquittoTarget.NAME -> common.mosquitto();
                            case HiveMqTarget.NAME -> HiveMqTarget.built();
                            case ServerfulTarget.NAME -> ServerfulTarget.noop(common.mosquitto());
                            default -> throw TargetNames.unknown(t, TargetNames.MQTT);
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
        common.print(out, report);
        return 0;
    }
}
