package dev.sedge.bench;

import dev.sedge.bench.idle.IdleCommand;
import dev.sedge.bench.knative.KnativeStyleCommand;
import dev.sedge.bench.mqtt.MqttLatencyCommand;
import dev.sedge.bench.mqtt.MqttThroughputCommand;
import dev.sedge.bench.scale.ScaleCommand;
import dev.sedge.bench.startup.ColdStartCommand;
import dev.sedge.bench.startup.ResetCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sedge bench NAME}: one subcommand per scenario of shared/BENCHMARKS.md. */
@Command(
        name = "bench",
        description = "Run a benchmark scenario against a Sedge node and its baselines, side by side.",
        subcommands = {
            MqttThroughputCommand.class,
            MqttLatencyCommand.class,
            KnativeStyleCommand.class,
            ColdStartCommand.class,
            ResetCommand.class,
            ScaleCommand.class,
            IdleCommand.class
        })
final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
