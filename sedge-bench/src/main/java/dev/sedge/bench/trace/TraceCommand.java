package dev.sedge.bench.trace;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sedge trace VERB}: IoT arrival traces for the trace-driven studies. One instance per CLI run. */
@Command(
        name = "trace",
        description = "IoT arrival traces (epoch_ms,device_id,event,extra) for the trace-driven studies.",
        subcommands = {TraceGenerateCommand.class})
final class TraceCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
