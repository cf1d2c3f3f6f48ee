package dev.sedge.bench.mqtt;

import dev.sedge.bench.load.OpenLoopGenerator;
import dev.sedge.bench.proc.ProcessCpu;
import dev.sedge.bench.proc.ThreadCpu;
import dev.sedge.bench.report.Machine;
import dev.sedge.bench.report.Report;
import dev.sedge.bench.report.Row;
import dev.sedge.bench.targets.MosquittoTarget;
import dev.sedge.bench.targets.SedgeTarget;
import dev.sedge.bench.targets.ServerfulTarget;
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

/**
 * The {@code mqtt-latency} scenario: how long from PUBLISH to the function's reply arriving at a
 * subscriber, at fixed offered rates. For each target in turn and each rate, one open-loop publisher
 * sends QoS 1 messages on a fixed schedule ({@link OpenLoopGenerator}) and one subscriber records, for
 * each reply, the time since the message's intended send time, so that a stall of the target or of the
 * generator shows in the percentiles instead of thinning the samples (coordinated omission).
 *
 * <p>Sedge: the echo function's trigger ({@code ack: on-complete}) publishes each result to {@code
 * bench/reply/<n>}. Mosquitto: the same subscriber takes the published topic itself, with no function:
 * the broker-only route. Driven by one thread.
 */
public final class MqttLatency {

    public static final String SCENARIO = "mqtt-latency";
    public static final String TOPIC = "bench/latency/0";
    public static final String FILTER = "bench/latency/+";
    /** The Sedge trigger's response topic template: level 2 of the request topic. */
    public static final String SEDGE_RESPONSE_TOPIC = "bench/reply/{topic.2}";

    public static final String SEDGE_REPLY_FILTER = "bench/reply/+";

    /** Below this share of the offered rate, the report says the generator did not keep the rate. */
    static final double KEPT_RATE_SHARE = 0.98;

    private static final Duration DRAIN = Duration.ofSeconds(15);

    /**
     * How the scenario runs. Immutable; validated on construction.
     *
     * @param duration the measurement window per target and rate
     * @param warmup load at the same rate before each window
     * @param rates offered rates in messages a second, in the order they run
     * @param payloadBytes bytes of each message, at least the send-time stamp's
     */
    public record Settings(Duration duration, Duration warmup, List<Integer> rates, int payloadBytes) {

        public static final List<Integer> RATES_DEFAULT = List.of(100, 1_000, 10_000);
        public static final Duration DURATION_DEFAULT = Duration.ofSeconds(20);
        public static final Duration WARMUP_DEFAULT = Duration.ofSeconds(5);
        public static final Duration QUICK_DURATION = Duration.ofSeconds(3);
        public static final Duration QUICK_WARMUP = Duration.ofSeconds(1);
        public static final int MAX_RATE = 200_000;

        public Settings {
            rates = List.copyOf(rates);
            if (duration.compareTo(Duration.ofMillis(100)) < 0 || duration.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(
                        "--duration: " + duration.toMillis() + "ms is out of range (100ms..1h)");
            }
            if (warmup.isNegative() || warmup.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("--warmup: " + warmup.toMillis() + "ms is out of range (0..10m)");
            }
            if (rates.isEmpty()) {
                throw new IllegalArgumentException("--rates: at least one rate is needed");
            }
            for (int r : rates) {
                if (r < 1 || r > MAX_RATE) {
                    throw new IllegalArgumentException(
                            "--rates: " + r + " msg/s is out of range (1.." + MAX_RATE + ")");
                }
            }
            if (payloadBytes < OpenLoopGenerator.MIN_PAYLOAD_BYTES || payloadBytes > 64 * 1024) {
                throw new IllegalArgumentException("--payload-bytes: " + payloadBytes + " is out of range ("
                        + OpenLoopGenerator.MIN_PAYLOAD_BYTES + ".." + 64 * 1024 + ")");
            }
        }
    }

    private final Settings settings;
    private final PrintWriter progress;

    public MqttLatency(Settings settings, PrintWriter progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Runs every target through every rate; one row per target and rate. */
    public Report run(List<Target> targets) throws IOException, InterruptedException {
        Map<String, Row> rows = new LinkedHashMap<>();
        List<Row> ordered = new ArrayList<>();
        for (Target t : targets) {
            try {
                List<Row.Measured> measured = runTarget(t);
                for (int i = 0; i < measured.size(); i++) {
                    rows.put(t.name() + "@" + settings.rates().get(i), measured.get(i));
                }
                ordered.addAll(measured);
            } catch (Target.Unavailable e) {
                say(t.name(), "skipped: " + e.getMessage());
                ordered.add(new Row.Skipped(t.name(), e.getMessage()));
            }
        }
        Map<String, Object> params = new LinkedHashMap<>();
        long ms = settings.duration().toMillis();
        params.put("duration_s", ms % 1000 == 0 ? (Object) (ms / 1000) : (Object) (ms / 1000.0));
        params.put("qos", 1);
        params.put("payload_bytes", settings.payloadBytes());
        params.put("publishers", 1);
        params.put("rates_per_s", settings.rates());
        Map<String, Object> harness = new LinkedHashMap<>();
        harness.put("warmup_ms", settings.warmup().toMillis());
        harness.put("open loop", "latency from the intended send time");
        // Sedge against Mosquitto always (null when one did not run), and against each other target run.
        List<String> baselines = new ArrayList<>(List.of(MosquittoTarget.NAME));
        for (Target t : targets) {
            if (!baselines.contains(t.name()) && !t.name().equals(SedgeTarget.NAME)) {
                baselines.add(t.name());
            }
        }
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (String baseline : baselines) {
            for (int rate : settings.rates()) {
                ratios.put(
                        "p99_at_" + rate + ":" + SedgeTarget.NAME + "/" + baseline,
                        p99Ratio(rows.get(SedgeTarget.NAME + "@" + rate), rows.get(baseline + "@" + rate)));
            }
        }
        return new Report(SCENARIO, Machine.current(), params, harness, ordered, ratios);
    }

    private static Double p99Ratio(Row a, Row b) {
        if (a instanceof Row.Measured ma
                && b instanceof Row.Measured mb
                && ma.latency() != null
                && mb.latency() != null
                && mb.latency().p99() > 0) {
            return ma.latency().p99() / (double) mb.latency().p99();
        }
        return null;
    }

    private List<Row.Measured> runTarget(Target target) throws Target.Unavailable, IOException, InterruptedException {
        Path workDir = Files.createTempDirectory("sedge-bench-" + target.name() + "-");
        boolean replies = runsTheFunction(target);
        try {
            say(target.name(), "starting");
            try (Target.Running running = target.start(workDir, replies ? FILTER : null);
                    OpenLoopGenerator generator = new OpenLoopGenerator(settings.payloadBytes())) {
                generator.connect(running.host(), running.mqttPort(), TOPIC, replies ? SEDGE_REPLY_FILTER : FILTER);
                List<Row.Measured> rows = new ArrayList<>();
                for (int rate : settings.rates()) {
                    rows.add(measure(target.name(), running, generator, rate));
                }
                return rows;
            }
        } finally {
            deleteRecursively(workDir);
        }
    }

    /**
     * Whether the target runs the echo function, whose replies the subscriber takes on {@link
     * #SEDGE_REPLY_FILTER}; a broker-only target routes the published topic to the subscriber instead.
     */
    private static boolean runsTheFunction(Target target) {
        return target instanceof SedgeTarget || target instanceof ServerfulTarget;
    }

    private Row.Measured measure(String name, Target.Running target, OpenLoopGenerator generator, int rate)
            throws IOException, InterruptedException {
        say(
                name,
                String.format(
                        Locale.ROOT,
                        "%,d msg/s: warming up for %d ms, then measuring for %d ms",
                        rate,
                        settings.warmup().toMillis(),
                        settings.duration().toMillis()));
        OpenLoopGenerator.Phase phase = generator.begin(rate, settings.warmup(), settings.duration());
        sleepUntil(phase.windowStartNanos());
        Map<Long, Long> threadsAtStart = ThreadCpu.snapshot();
        double targetCpuAtStart = ProcessCpu.seconds(target.processes().values());
        double targetWaitAtStart = ProcessCpu.waitingSeconds(target.processes().values());
        double selfCpuAtStart = ProcessCpu.self();
        long start = System.nanoTime();
        sleepUntil(phase.windowEndNanos());
        long end = System.nanoTime();
        double targetCpu = ProcessCpu.seconds(target.processes().values()) - targetCpuAtStart;
        double targetWaitAtEnd = ProcessCpu.waitingSeconds(target.processes().values());
        double selfCpu = ProcessCpu.self() - selfCpuAtStart;
        double busiest = ThreadCpu.busiest(threadsAtStart, ThreadCpu.snapshot(), end - start);
        OpenLoopGenerator.Result r = phase.finish(DRAIN);

        double windowSeconds = settings.duration().toNanos() / 1e9;
        var h = r.latencyNanos();
        Row.Latency latency = h.getTotalCount() == 0
                ? null
                : new Row.Latency(
                        h.getValueAtPercentile(50) / 1000,
                        h.getValueAtPercentile(99) / 1000,
                        h.getValueAtPercentile(99.9) / 1000);
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("offered_per_s", rate);
        extras.put("achieved_per_s", Math.round(r.achievedPerSecond() * 10) / 10.0);
        extras.put("kept_rate", r.achievedPerSecond() >= KEPT_RATE_SHARE * rate ? "yes" : "no");
        extras.put("send_lag_p99_us", r.p99LagNanos() / 1000);
        extras.put("max_send_lag_us", r.maxLagNanos() / 1000);
        Row.Measured row = new Row.Measured(
                name,
                r.receivedInWindow() / windowSeconds,
                latency,
                perThousand(targetCpu, r.receivedInWindow()),
                targetWaitAtStart < 0 || targetWaitAtEnd < 0
                        ? null
                        : Math.max(0, targetWaitAtEnd - targetWaitAtStart) / windowSeconds,
                r.sent(),
                r.received(),
                new Row.Generator(r.acked(), perThousand(selfCpu, r.receivedInWindow()), busiest),
                extras);
        say(
                name,
                String.format(
                        Locale.ROOT,
                        "%,d msg/s offered, %,.0f achieved; p50 %s us, p99 %s us; sent %,d, replies %,d",
                        rate,
                        r.achievedPerSecond(),
                        latency == null ? "n/a" : latency.p50(),
                        latency == null ? "n/a" : latency.p99(),
                        r.sent(),
                        r.received()));
        return row;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    private static Double perThousand(double cpuSeconds, long messages) {
        return messages <= 0 ? null : cpuSeconds / (messages / 1000.0);
    }

    private void say(String target, String what) {
        progress.println(SCENARIO + ": " + target + ": " + what);
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
