package dev.sedge.bench.mqtt;

import dev.sedge.bench.BenchOptions;
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

/** {@code sedge bench mqtt-latency}: see {@link MqttLatency}. One instance per CLI run. */
@Command(
        name = MqttLatency.SCENARIO,
        description = {
            "How long from PUBLISH to the function's reply arriving at a subscriber, open loop at fixed offered"
                    + " rates, corrected for coordinated omission: a Sedge node whose echo function replies on a"
                    + " topic the generator subscribes to, and Mosquitto routing the same messages to the"
                    + " subscriber with no function, in the same run. With --target also HiveMQ CE routing them,"
                    + " or the serverful design: Mosquitto and an always-on function service whose echo function"
                    + " replies on the same topic.",
            "Progress goes to stderr, the report to stdout."
        })
public final class MqttLatencyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BenchOptions common;

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
            description = "Targets to run, in order: sedge, mosquitto, hivemq-ce (HiveMQ CE, the same route as"
                    + " mosquitto), serverful (mosquitto and an always-on function service whose echo function"
                    + " replies as Sedge's does) (default: sedge,mosquitto).")
    List<String> targets = List.of(SedgeTarget.NAME, MosquittoTarget.NAME);

    @Override
    public Integer call() throws CliException, InterruptedException {
        MqttLatency.Settings settings;
        List<Target> chosen = new ArrayList<>();
        try {
            settings = new MqttLatency.Settings(
                    common.duration(MqttLatency.Settings.DURATION_DEFAULT, MqttLatency.Settings.QUICK_DURATION),
                    common.warmup(MqttLatency.Settings.WARMUP_DEFAULT, MqttLatency.Settings.QUICK_WARMUP),
                    rates,
                    payloadBytes);
            for (String t : targets) {
                chosen.add(
                        switch (t) {
                            case SedgeTarget.NAME ->
                                SedgeTarget.echo(common.nodeJvmArgs(), MqttLatency.SEDGE_RESPONSE_TOPIC);
                            case MosquittoTarget.NAME -> common.mosquitto();
                            case HiveMqTarget.NAME -> HiveMqTarget.built();
                            case ServerfulTarget.NAME ->
                                ServerfulTarget.echo(common.mosquitto(), MqttLatency.SEDGE_RESPONSE_TOPIC);
                            default -> throw TargetNames.unknown(t, TargetNames.MQTT);
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
        common.print(out, report);
        return 0;
    }
}
