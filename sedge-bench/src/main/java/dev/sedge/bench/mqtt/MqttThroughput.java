package dev.sedge.bench.mqtt;

import dev.sedge.bench.load.LoadGenerator;
import dev.sedge.bench.load.LoadSpec;
import dev.sedge.bench.proc.ProcessCpu;
import dev.sedge.bench.proc.ThreadCpu;
import dev.sedge.bench.report.Machine;
import dev.sedge.bench.report.Report;
import dev.sedge.bench.report.Row;
import dev.sedge.bench.targets.MosquittoTarget;
import dev.sedge.bench.targets.SedgeTarget;
import dev.sedge.bench.targets.Target;
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
import org.HdrHistogram.Histogram;

/**
 * The {@code mqtt-throughput} scenario: how many messages a second end to end. For each target in turn,
 * the same generator publishes at saturation (closed loop at QoS 1) after a warm-up; a measurement
 * window then counts the messages the target completed, the PUBLISH-to-PUBACK latencies, and the CPU
 * time of the target's process and of the generator's. After the window the generator stops and waits
 * for what is in flight, so that sent, completed and lost add up over the whole run.
 *
 * <p>Runs one target at a time, never two side by side, so that they do not share the cores; with
 * several rounds the targets take turns. Driven by one thread.
 */
public final class MqttThroughput {

    public static final String SCENARIO = "mqtt-throughput";
    public static final String TOPIC_PREFIX = "bench/throughput";
    public static final String RATIO = SedgeTarget.NAME + "/" + MosquittoTarget.NAME;
    /** Prefix of the CPU-per-message ratio's key, {@code cpu_s_per_1k:sedge/<baseline>}. */
    public static final String CPU_RATIO_PREFIX = "cpu_s_per_1k:";

    /** How long to wait, after the generator stopped, for the target to complete what it took. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);
    /** Completions that do not move for this long are all there will be. */
    private static final Duration DRAIN_QUIET = Duration.ofSeconds(1);

    private static final Duration DRAIN_POLL = Duration.ofMillis(20);

    /**
     * How the scenario runs. Immutable; validated on construction.
     *
     * @param duration the measurement window per target
     * @param warmup load before the window, for JIT compilation and steady state
     * @param load what the generator sends
     * @param generatorThreads the generator's event loops
     * @param rounds how many times each target is measured, alternating between targets
     */
    public record Settings(Duration duration, Duration warmup, LoadSpec load, int generatorThreads, int rounds) {

        public static final Duration DURATION_DEFAULT = Duration.ofSeconds(20);
        public static final Duration WARMUP_DEFAULT = Duration.ofSeconds(5);
        public static final Duration QUICK_DURATION = Duration.ofSeconds(3);
        public static final Duration QUICK_WARMUP = Duration.ofSeconds(1);
        /** One: the target gets the other core of a two-core machine; the report shows if one is too few. */
        public static final int GENERATOR_THREADS_DEFAULT = 1;

        public static final int ROUNDS_DEFAULT = 1;

        public Settings {
            if (duration.compareTo(Duration.ofMillis(100)) < 0 || duration.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(
                        "--duration: " + duration.toMillis() + "ms is out of range (100ms..1h)");
            }
            if (warmup.isNegative() || warmup.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("--warmup: " + warmup.toMillis() + "ms is out of range (0..10m)");
            }
            if (generatorThreads < 1 || generatorThreads > 64) {
                throw new IllegalArgumentException(
                        "--generator-threads: " + generatorThreads + " is out of range (1..64)");
            }
            if (rounds < 1 || rounds > 20) {
                throw new IllegalArgumentException("--rounds: " + rounds + " is out of range (1..20)");
            }
        }
    }

    private final String scenario;
    private final String baseline;
    private final boolean cpuRatio;
    private final Settings settings;
    private final PrintWriter progress;

    /** @param progress where progress lines go (stderr for the CLI) */
    public MqttThroughput(Settings settings, PrintWriter progress) {
        this(SCENARIO, MosquittoTarget.NAME, false, settings, progress);
    }

    /**
     * The same measurement under another scenario's name, such as {@code knative-style}.
     *
     * @param baseline the target that ratios divide by
     * @param cpuRatio whether to report the CPU-per-message ratio too
     */
    public MqttThroughput(String scenario, String baseline, boolean cpuRatio, Settings settings, PrintWriter progress) {
        this.scenario = scenario;
        this.baseline = baseline;
        this.cpuRatio = cpuRatio;
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Runs every target in turn, {@code rounds} times in alternation (A B A B ...) so that a change in
     * the machine's background load falls on all of them alike, and reports each target's rounds added
     * up, with the Sedge / Mosquitto throughput ratio.
     */
    public Report run(List<Target> targets) throws IOException, InterruptedException {
        Map<Target, Tally> tallies = new LinkedHashMap<>();
        Map<Target, Row.Skipped> skipped = new LinkedHashMap<>();
        for (int round = 1; round <= settings.rounds(); round++) {
            for (Target t : targets) {
                if (skipped.containsKey(t)) {
                    continue;
                }
                if (settings.rounds() > 1) {
                    say(t, "round " + round + " of " + settings.rounds());
                }
                try {
                    tallies.computeIfAbsent(t, k -> new Tally()).add(runOnce(t));
                } catch (Target.Unavailable e) {
                    say(t, "skipped: " + e.getMessage());
                    skipped.put(t, new Row.Skipped(t.name(), e.getMessage()));
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Target t : targets) {
            rows.add(skipped.containsKey(t) ? skipped.get(t) : tallies.get(t).row(t.name()));
        }
        Map<String, Object> params = new LinkedHashMap<>();
        long ms = settings.duration().toMillis();
        params.put("duration_s", ms % 1000 == 0 ? (Object) (ms / 1000) : (Object) (ms / 1000.0));
        params.put("qos", settings.load().qos());
        params.put("payload_bytes", settings.load().payloadBytes());
        params.put("publishers", settings.load().publishers());
        Map<String, Object> harness = new LinkedHashMap<>();
        harness.put("warmup_ms", settings.warmup().toMillis());
        harness.put("rounds", settings.rounds());
        harness.put(
                "window",
                settings.load().qos() == 0 ? "none (QoS 0)" : settings.load().window());
        harness.put("generator_threads", settings.generatorThreads());
        Map<String, Double> ratios = new LinkedHashMap<>();
        ratios.put(SedgeTarget.NAME + "/" + baseline, Report.throughputRatio(rows, SedgeTarget.NAME, baseline));
        for (Target t : targets) { // and against each other target run, such as hivemq-ce or serverful
            if (!t.name().equals(SedgeTarget.NAME) && !t.name().equals(baseline)) {
                ratios.putIfAbsent(
                        SedgeTarget.NAME + "/" + t.name(), Report.throughputRatio(rows, SedgeTarget.NAME, t.name()));
            }
        }
        if (cpuRatio) {
            ratios.put(
                    CPU_RATIO_PREFIX + SedgeTarget.NAME + "/" + baseline,
                    Report.cpuRatio(rows, SedgeTarget.NAME, baseline));
        }
        return new Report(scenario, Machine.current(), params, harness, rows, ratios);
    }

    /** What one run of one target measured; a target's rounds are added up in a {@link Tally}. */
    private record Measurement(
            long windowNanos,
            long completedInWindow,
            double targetCpuSeconds,
            double targetWaitSeconds,
            double generatorCpuSeconds,
            double busiestThread,
            Histogram latencyNanos,
            long sent,
            long completed,
            long acked,
            Map<String, Double> cpuByProcess) {}

    /** One target's measurements so far. Not thread-safe. */
    private static final class Tally {
        private final Histogram latencies = new Histogram(3);
        private long windowNanos;
        private long completedInWindow;
        private double targetCpu;
        private double targetWait;
        private double generatorCpu;
        private double busiestThread;
        private long sent;
        private long completed;
        private long acked;
        private final Map<String, Double> cpuByProcess = new LinkedHashMap<>();

        void add(Measurement m) {
            m.cpuByProcess().forEach((k, v) -> cpuByProcess.merge(k, v, Double::sum));
            latencies.add(m.latencyNanos());
            windowNanos += m.windowNanos();
            completedInWindow += m.completedInWindow();
            targetCpu += m.targetCpuSeconds();
            targetWait = targetWait < 0 || m.targetWaitSeconds() < 0 ? -1 : targetWait + m.targetWaitSeconds();
            generatorCpu += m.generatorCpuSeconds();
            busiestThread = Math.max(busiestThread, m.busiestThread());
            sent += m.sent();
            completed += m.completed();
            acked += m.acked();
        }

        Row.Measured row(String target) {
            return new Row.Measured(
                    target,
                    completedInWindow / (windowNanos / 1e9),
                    latency(latencies),
                    perThousand(targetCpu, completedInWindow),
                    targetWait < 0 ? null : targetWait / (windowNanos / 1e9),
                    sent,
                    completed,
                    new Row.Generator(acked, perThousand(generatorCpu, completedInWindow), busiestThread),
                    extras());
        }

        /** For a path of several processes, each one's CPU per 1,000 messages. */
        private Map<String, Object> extras() {
            if (cpuByProcess.size() < 2) {
                return Map.of();
            }
            Map<String, Object> byProcess = new LinkedHashMap<>();
            cpuByProcess.forEach((k, v) -> byProcess.put(k, perThousand(v, completedInWindow)));
            return Map.of("cpu_s_per_1k_by_process", byProcess);
        }
    }

    /** One run of one target, from start to stop; a target that cannot run here throws Unavailable. */
    private Measurement runOnce(Target target) throws Target.Unavailable, IOException, InterruptedException {
        Path workDir = Files.createTempDirectory("sedge-bench-" + target.name() + "-");
        try {
            say(target, "starting");
            try (Target.Running running = target.start(workDir, settings.load().filter());
                    LoadGenerator generator =
                            new LoadGenerator(settings.load(), settings.generatorThreads(), running.completionGate())) {
                return measure(target.name(), running, generator);
            }
        } finally {
            deleteRecursively(workDir);
        }
    }

    private Measurement measure(String name, Target.Running target, LoadGenerator generator)
            throws IOException, InterruptedException {
        generator.connect(target.host(), target.mqttPort());
        generator.start();
        say(
                name,
                "up on " + target.host() + ":" + target.mqttPort() + "; warming up for "
                        + settings.warmup().toMillis() + " ms");
        Thread.sleep(settings.warmup());

        say(name, "measuring for " + settings.duration().toMillis() + " ms");
        generator.beginWindow();
        Map<Long, Long> threadsAtStart = ThreadCpu.snapshot();
        long completedAtStart = target.completed();
        Map<String, Double> cpuAtStart = cpuByProcess(target);
        double targetWaitAtStart = ProcessCpu.waitingSeconds(target.processes().values());
        double selfCpuAtStart = ProcessCpu.self();
        long startNanos = System.nanoTime();
        Thread.sleep(settings.duration());
        long endNanos = System.nanoTime();
        Map<String, Double> cpuAtEnd = cpuByProcess(target);
        double targetWaitAtEnd = ProcessCpu.waitingSeconds(target.processes().values());
        double selfCpuAtEnd = ProcessCpu.self();
        double busiestThread = ThreadCpu.busiest(threadsAtStart, ThreadCpu.snapshot(), endNanos - startNanos);
        long completedAtEnd = target.completed();
        LoadGenerator.Window window = generator.endWindow();

        Map<String, Double> cpuDelta = new LinkedHashMap<>();
        cpuAtEnd.forEach((k, v) -> cpuDelta.put(k, v - cpuAtStart.get(k)));

        LoadGenerator.Snapshot last = generator.stop(DRAIN_TIMEOUT);
        long completed = awaitCompletions(target, last.sent());

        Measurement m = new Measurement(
                endNanos - startNanos,
                completedAtEnd - completedAtStart,
                cpuDelta.values().stream().mapToDouble(Double::doubleValue).sum(),
                targetWaitAtStart < 0 || targetWaitAtEnd < 0 ? -1 : Math.max(0, targetWaitAtEnd - targetWaitAtStart),
                selfCpuAtEnd - selfCpuAtStart,
                busiestThread,
                window.latencyNanos(),
                last.sent(),
                completed,
                last.acked(),
                cpuDelta);
        say(
                name,
                String.format(
                        Locale.ROOT,
                        "%,.0f msg/s; sent %,d, completed %,d, lost %,d; the generator's busiest thread at %.0f%% of"
                                + " a core",
                        m.completedInWindow() / ((endNanos - startNanos) / 1e9),
                        m.sent(),
                        m.completed(),
                        m.sent() - m.completed(),
                        100 * busiestThread));
        return m;
    }

    /**
     * Waits until the target has completed {@code sent} messages, or its count has not moved for a
     * while (what was lost stays lost), within a bound. The count lives in another process, so it is
     * read again at a short interval.
     */
    private static long awaitCompletions(Target.Running target, long sent) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        long completed = target.completed();
        long lastChange = System.nanoTime();
        while (completed < sent
                && System.nanoTime() < deadline
                && System.nanoTime() - lastChange < DRAIN_QUIET.toNanos()) {
            Thread.sleep(DRAIN_POLL);
            long now = target.completed();
            if (now != completed) {
                completed = now;
                lastChange = System.nanoTime();
            }
        }
        return completed;
    }

    private static Map<String, Double> cpuByProcess(Target.Running target) throws IOException {
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (Map.Entry<String, Long> p : target.processes().entrySet()) {
            cpu.put(p.getKey(), ProcessCpu.seconds(p.getValue()));
        }
        return cpu;
    }

    private static Row.Latency latency(Histogram nanos) {
        if (nanos.getTotalCount() == 0) {
            return null; // QoS 0: nothing is acknowledged, so there is no latency to report
        }
        return new Row.Latency(
                nanos.getValueAtPercentile(50) / 1000,
                nanos.getValueAtPercentile(99) / 1000,
                nanos.getValueAtPercentile(99.9) / 1000);
    }

    private static Double perThousand(double cpuSeconds, long messages) {
        return messages <= 0 ? null : cpuSeconds / (messages / 1000.0);
    }

    private void say(Target target, String what) {
        say(target.name(), what);
    }

    private void say(String target, String what) {
        progress.println(scenario + ": " + target + ": " + what);
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
