package dev.sedge.bench.scale;

import dev.sedge.bench.load.OpenLoopGenerator;
import dev.sedge.bench.load.Timeline;
import dev.sedge.bench.proc.ProcessCpu;
import dev.sedge.bench.proc.ThreadCpu;
import dev.sedge.bench.report.Row;
import dev.sedge.bench.targets.SedgeNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One target through the scale scenario: a node of its own, then idle, a step of open-loop load, and
 * idle again until the function is back at zero instances (kept at a fixed count, for one more stable
 * window). Each second it reads the node's CPU time and prints where the run is; the status poller
 * reads the function's instances five times a second. Driven by one thread.
 */
final class StepRun {

    /**
     * What one second of a run saw.
     *
     * @param second seconds since the run's origin
     * @param offeredPerSecond messages the schedule sent in it
     * @param completed replies that arrived in it
     * @param ready instances ready at its end
     * @param desired instances the autoscaler wanted at its end
     * @param p99Micros the p99 latency of its replies, from their intended send time; -1 when none came
     * @param nodeCpuCores the node's CPU time in it, in cores
     */
    record Second(
            int second,
            double offeredPerSecond,
            long completed,
            int ready,
            int desired,
            long p99Micros,
            double nodeCpuCores) {}

    /** An instance reading, in seconds since the run's origin. */
    record Instances(double second, int ready, int desired) {}

    /** A run over time, for the chart: the load's bounds in seconds since the origin. */
    record Trace(String target, int loadStart, int loadEnd, List<Second> seconds, List<Instances> instances) {}

    /** The report's row, the trace, and the most instances ready at once during and after the step. */
    record Result(Row.Measured row, Trace trace, int peakInstances) {}

    static final int PAYLOAD_BYTES = 64;

    private static final long SECOND = 1_000_000_000L;
    private static final Duration POLL_EVERY = Duration.ofMillis(200);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** After the load, how long the run waits for zero instances before it gives up and says so. */
    static final Duration ZERO_BOUND = Duration.ofSeconds(60);
    /** Replies still missing this long after the run's end count as lost. */
    private static final Duration LAST_DRAIN = Duration.ofSeconds(1);
    /** The phase is set up this long before its first message is due, so that both ends are ready. */
    private static final long BEGIN_AHEAD_NANOS = 50_000_000;

    private final ScaleBench.Settings settings;
    private final List<String> nodeJvmArgs;
    private final PrintWriter progress;
    private String lastDecision = "";

    StepRun(ScaleBench.Settings settings, List<String> nodeJvmArgs, PrintWriter progress) {
        this.settings = settings;
        this.nodeJvmArgs = List.copyOf(nodeJvmArgs);
        this.progress = progress;
    }

    Result run(StepTarget target) throws IOException, InterruptedException {
        Path workDir = Files.createTempDirectory("sedge-bench-scale-");
        try {
            say(
                    target.name(),
                    "starting a node; " + StepTarget.FUNCTION + " has min " + target.min() + ", max " + target.max()
                            + ", initial " + target.initial() + " instances");
            try (SedgeNode node = target.start(workDir, settings.window(), nodeJvmArgs);
                    StatusPoller status = StatusPoller.start(node.api(), StepTarget.FUNCTION, POLL_EVERY);
                    OpenLoopGenerator generator = new OpenLoopGenerator(PAYLOAD_BYTES)) {
                generator.connect(
                        node.host(), node.mqttPort(), StepTarget.topic(settings.burn()), StepTarget.REPLY_FILTER);
                status.await(
                        s -> s.ready() == target.initial() && s.starting() == 0,
                        READY_TIMEOUT,
                        target.initial() + " instance(s) ready before the step");
                return measure(target, node, status, generator);
            }
        } finally {
            deleteRecursively(workDir);
        }
    }

    /** The node's CPU and wait, and this process's CPU, at one tick. */
    private record Tick(double nodeCpu, double nodeWait, double selfCpu) {
        static Tick read(long pid) throws IOException {
            return new Tick(ProcessCpu.seconds(pid), ProcessCpu.waitingSeconds(pid), ProcessCpu.self());
        }
    }

    private Result measure(StepTarget target, SedgeNode node, StatusPoller status, OpenLoopGenerator generator)
            throws IOException, InterruptedException {
        int idle = (int) settings.idle().toSeconds();
        int load = (int) settings.load().toSeconds();
        int end = idle + load;
        int settle = target.isFixed() ? (int) settings.window().toSeconds() + 2 : (int) ZERO_BOUND.toSeconds();
        long origin = System.nanoTime() + BEGIN_AHEAD_NANOS;
        long loadStart = origin + idle * SECOND;
        long loadEnd = origin + end * SECOND;
        Timeline timeline = new Timeline(origin);
        List<Tick> ticks = new ArrayList<>();
        Map<Long, Long> threadsAtStart = Map.of();
        double busiest = 0;
        OpenLoopGenerator.Phase phase = null;
        say(target.name(), "idle for " + idle + " s");
        for (int k = 0; ; k++) {
            long tick = origin + k * SECOND;
            if (k == idle) {
                sleepUntil(tick - BEGIN_AHEAD_NANOS);
                phase = generator.begin(settings.rate(), loadStart, Duration.ZERO, settings.load(), timeline);
            }
            sleepUntil(tick);
            ticks.add(Tick.read(node.pid()));
            if (k == idle) {
                threadsAtStart = ThreadCpu.snapshot();
            } else if (k == end) {
                busiest = ThreadCpu.busiest(threadsAtStart, ThreadCpu.snapshot(), loadEnd - loadStart);
            }
            if (k > 0) {
                sayProgress(target.name(), k - 1, idle, end, timeline, status.latest(), ticks);
            }
            if (k == idle) {
                say(
                        target.name(),
                        String.format(
                                Locale.ROOT,
                                "step: %,d msg/s of %d us events for %d s",
                                settings.rate(),
                                settings.burn().toNanos() / 1000,
                                load));
            } else if (k == end) {
                say(
                        target.name(),
                        target.isFixed()
                                ? "load over; idle for " + settle + " s"
                                : "load over; idle until zero instances (at most " + settle + " s)");
            }
            if (k >= end) {
                boolean settled = target.isFixed() ? k >= end + settle : zeroAfter(status.samples(), loadEnd) != null;
                if ((settled && phase.complete()) || k >= end + settle) {
                    break;
                }
            }
            node.checkAlive();
        }
        OpenLoopGenerator.Result r = phase.finish(LAST_DRAIN);
        return result(target, origin, idle, end, timeline, ticks, status.samples(), r, busiest);
    }

    private Result result(
            StepTarget target,
            long origin,
            int idle,
            int end,
            Timeline timeline,
            List<Tick> ticks,
            List<StatusPoller.Sample> samples,
            OpenLoopGenerator.Result r,
            double busiest) {
        long loadStart = origin + idle * SECOND;
        long loadEnd = origin + end * SECOND;
        double loadSeconds = end - idle;
        Integer firstExtra = null;
        int peak = 0;
        for (StatusPoller.Sample s : samples) {
            if (s.nanos() >= loadStart) {
                peak = Math.max(peak, s.ready());
                if (firstExtra == null && s.ready() >= 2) {
                    firstExtra = (int) ((s.nanos() - loadStart) / 1_000_000);
                }
            }
        }
        StatusPoller.Sample zero = zeroAfter(samples, loadEnd);
        long completedInStep = timeline.count(idle, end);
        double nodeCpu = ticks.get(end).nodeCpu() - ticks.get(idle).nodeCpu();
        double selfCpu = ticks.get(end).selfCpu() - ticks.get(idle).selfCpu();
        double waitStart = ticks.get(idle).nodeWait();
        double waitEnd = ticks.get(end).nodeWait();
        var h = r.latencyNanos();
        Row.Latency latency = h.getTotalCount() == 0
                ? null
                : new Row.Latency(
                        h.getValueAtPercentile(50) / 1000,
                        h.getValueAtPercentile(99) / 1000,
                        h.getValueAtPercentile(99.9) / 1000);
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("offered_per_s", settings.rate());
        extras.put("achieved_per_s", Math.round(r.achievedPerSecond() * 10) / 10.0);
        extras.put("min_instances", target.min());
        extras.put("max_instances", target.max());
        extras.put("time_to_first_extra_instance_ms", target.isFixed() ? null : firstExtra);
        extras.put("peak_instances", peak);
        // The step's second half: the instances have settled, so this is the function's steady latency.
        long steady = timeline.p99Micros(idle + (end - idle) / 2, end);
        extras.put("p99_second_half_us", steady < 0 ? null : steady);
        extras.put("time_to_zero_ms", target.isFixed() || zero == null ? null : (zero.nanos() - loadEnd) / 1_000_000);
        extras.put("cpu_s_step", nodeCpu);
        Row.Measured row = new Row.Measured(
                target.name(),
                completedInStep / loadSeconds,
                latency,
                perThousand(nodeCpu, completedInStep),
                waitStart < 0 || waitEnd < 0 ? null : Math.max(0, waitEnd - waitStart) / loadSeconds,
                r.sent(),
                r.received(),
                new Row.Generator(r.acked(), perThousand(selfCpu, completedInStep), busiest),
                extras);
        return new Result(row, trace(target, origin, idle, end, timeline, ticks, samples), peak);
    }

    private Trace trace(
            StepTarget target,
            long origin,
            int idle,
            int end,
            Timeline timeline,
            List<Tick> ticks,
            List<StatusPoller.Sample> samples) {
        List<Second> seconds = new ArrayList<>();
        List<Instances> instances = new ArrayList<>();
        int next = 0;
        StatusPoller.Sample last = null;
        for (int s = 0; s + 1 < ticks.size(); s++) {
            long secondEnd = origin + (s + 1) * SECOND;
            while (next < samples.size() && samples.get(next).nanos() < secondEnd) {
                last = samples.get(next++);
            }
            seconds.add(new Second(
                    s,
                    s >= idle && s < end ? settings.rate() : 0,
                    timeline.count(s),
                    last == null ? 0 : last.ready(),
                    last == null ? 0 : last.desired(),
                    timeline.p99Micros(s),
                    ticks.get(s + 1).nodeCpu() - ticks.get(s).nodeCpu()));
        }
        for (StatusPoller.Sample s : samples) {
            double at = (s.nanos() - origin) / 1e9;
            if (at >= 0 && at <= seconds.size()) {
                instances.add(new Instances(at, s.ready(), s.desired()));
            }
        }
        return new Trace(target.name(), idle, end, seconds, instances);
    }

    /** The first reading at zero instances at or after {@code after}, or null. */
    private static StatusPoller.Sample zeroAfter(List<StatusPoller.Sample> samples, long after) {
        for (StatusPoller.Sample s : samples) {
            if (s.nanos() >= after && s.atZero()) {
                return s;
            }
        }
        return null;
    }

    private void sayProgress(
            String target, int s, int idle, int end, Timeline timeline, StatusPoller.Sample now, List<Tick> ticks) {
        long p99 = timeline.p99Micros(s);
        say(
                target,
                String.format(
                        Locale.ROOT,
                        "%3d s: offered %,6d/s, completed %,6d/s, ready %d (desired %d%s), p99 %s us, node CPU %.2f"
                                + " cores",
                        s,
                        s >= idle && s < end ? settings.rate() : 0,
                        timeline.count(s),
                        now == null ? 0 : now.ready(),
                        now == null ? 0 : now.desired(),
                        now != null && now.panic() ? ", panic" : "",
                        p99 < 0 ? "n/a" : String.format(Locale.ROOT, "%,d", p99),
                        ticks.get(s + 1).nodeCpu() - ticks.get(s).nodeCpu()));
        if (now != null && !now.decision().equals(lastDecision)) {
            lastDecision = now.decision();
            say(target, "       decision: " + lastDecision);
        }
    }

    private static Double perThousand(double cpuSeconds, long messages) {
        return messages <= 0 ? null : cpuSeconds / (messages / 1000.0);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    private void say(String target, String what) {
        progress.println(ScaleBench.SCENARIO + ": " + target + ": " + what);
        progress.flush();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
