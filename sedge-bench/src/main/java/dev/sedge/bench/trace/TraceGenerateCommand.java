package dev.sedge.bench.trace;

import dev.sedge.node.cli.CliException;
import dev.sedge.scaling.sim.workload.Profile;
import dev.sedge.scaling.sim.workload.SyntheticTrace;
import dev.sedge.scaling.sim.workload.TraceSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sedge trace generate}: writes a synthetic trace ({@link SyntheticTrace}) to stdout or a file.
 * The options are read as text and checked here, so that a bad value is one {@code error:} line naming
 * its option, as in every other verb. One instance per CLI run.
 */
@Command(
        name = "generate",
        description = {
            "Write a synthetic IoT arrival trace, in the shape of the real ones, from a seed: the same options"
                    + " give the same bytes. Periodic devices are sensors and a hub's network flows (fitted to"
                    + " the IoT-23 Philips Hue capture); bursty ones are motion and door sensors in rooms"
                    + " (fitted to the CASAS MavLab trace). See docs/benchmarks.md, \"Synthetic traces\".",
            "The trace goes to stdout (or -o FILE), a summary to stderr."
        })
final class TraceGenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--devices",
            paramLabel = "N",
            description = "How many devices, each its own device_id (default: " + TraceSpec.DEVICES_DEFAULT + ").")
    String devices = Integer.toString(TraceSpec.DEVICES_DEFAULT);

    @Option(
            names = "--hours",
            paramLabel = "H",
            description = "The span of the trace in hours, a fraction allowed (default: 24).")
    String hours = "24";

    @Option(
            names = "--profile",
            paramLabel = "P",
            description = "periodic, bursty, or mixed: half of each (default: mixed).")
    String profile = Profile.DEFAULT.label();

    @Option(names = "--seed", paramLabel = "S", description = "The random seed (default: 1).")
    String seed = Long.toString(TraceSpec.SEED_DEFAULT);

    @Option(
            names = "--start",
            paramLabel = "EPOCH_MS",
            description = "The first time of the trace, in epoch milliseconds; the hour of day of bursty"
                    + " activity is read from it in UTC (default: 1735689600000, 2025-01-01T00:00Z).")
    String start = Long.toString(TraceSpec.START_DEFAULT);

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write the trace to FILE instead of stdout.")
    Path output;

    @Override
    public Integer call() throws CliException {
        TraceSpec trace = trace();
        PrintWriter err = spec.commandLine().getErr();
        long events;
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            try {
                events = SyntheticTrace.write(trace, out);
            } catch (IOException e) {
                throw new AssertionError("a PrintWriter does not throw", e);
            }
            if (out.checkError()) { // it keeps the failure instead
                throw new CliException("stdout: the trace could not be written");
            }
        } else {
            try (Writer file = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                events = SyntheticTrace.write(trace, file);
            } catch (IOException e) {
                throw new CliException("-o " + output + ": cannot write it: " + e);
            }
        }
        err.println("generated " + events + " events of " + trace.devices() + " " + profile + " devices over " + hours
                + " h, seed " + seed + (output == null ? "" : ", in " + output));
        err.flush();
        return 0;
    }

    /** The spec the options give, or the first bad option's error. */
    private TraceSpec trace() throws CliException {
        int n = (int) whole("--devices", devices, "must be a whole number, at least 1", 1, Integer.MAX_VALUE);
        double h;
        try {
            h = Double.parseDouble(hours);
        } catch (NumberFormatException e) {
            h = Double.NaN;
        }
        if (!(h > 0 && h <= TraceSpec.HOURS_MAX)) {
            throw new CliException(
                    "--hours " + hours + ": must be a number more than 0 and at most " + (long) TraceSpec.HOURS_MAX);
        }
        Profile p;
        try {
            p = Profile.of(profile);
        } catch (IllegalArgumentException e) {
            throw new CliException("--profile " + profile + ": unknown profile (use periodic, bursty or mixed)");
        }
        long s = whole("--seed", seed, "must be a whole number", Long.MIN_VALUE, Long.MAX_VALUE);
        long t0 = whole("--start", start, "must be an epoch time in ms, 0 or more", 0, Long.MAX_VALUE / 2);
        return TraceSpec.ofHours(n, h, p, s, t0);
    }

    private static long whole(String option, String value, String rule, long min, long max) throws CliException {
        try {
            long v = Long.parseLong(value.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new CliException(option + " " + value + ": " + rule);
    }
}
