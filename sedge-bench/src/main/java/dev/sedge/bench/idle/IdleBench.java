package dev.sedge.bench.idle;

import dev.sedge.bench.load.MqttClientGroup;
import dev.sedge.bench.load.TopicSweep;
import dev.sedge.bench.proc.JvmGc;
import dev.sedge.bench.proc.ProcessCpu;
import dev.sedge.bench.proc.ProcessMemory;
import dev.sedge.bench.report.Machine;
import dev.sedge.bench.report.Report;
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
 * The {@code idle} scenario: what a deployed function costs while nobody calls it. One node, three
 * states in turn, each measured for the same window: {@code empty} (no function), {@code cold-N} (N
 * wasm functions deployed, none started) and {@code warm-N} (each given one event, so each keeps one
 * instance for its stable window). Each state starts with a full garbage collection and a settling
 * pause, so that the window sees the steady idle cost and not the collection of what deploying left
 * behind; then the node's CPU time over the window, its resident memory as read at the end, and again
 * after another full collection. The goals, reported as values: under 1 % of one core and under 1 MiB
 * per function above the empty node, in both states.
 *
 * <p>Driven by one thread.
 */
public final class IdleBench {

    public static final String SCENARIO = "idle";
    static final double GOAL_CPU_PERCENT = 1.0;
    static final double GOAL_KIB_PER_FUNCTION = 1024;

    private static final Duration GC_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DEPLOY_BOUND = Duration.ofMinutes(15);
    private static final Duration SWEEP_BOUND = Duration.ofMinutes(5);
    /** How long past the warm window each function's stable window lasts, so none goes cold inside it. */
    private static final Duration WARM_MARGIN = Duration.ofSeconds(120);

    private static final double MIB = 1024 * 1024;

    /**
     * How the scenario runs. Immutable; validated on construction.
     *
     * @param functions how many functions the cold and warm states have
     * @param duration each state's measurement window
     * @param settle the pause between a state's full collection and its window
     */
    public record Settings(int functions, Duration duration, Duration settle) {

        public static final int FUNCTIONS_DEFAULT = 1_000;
        public static final Duration DURATION_DEFAULT = Duration.ofSeconds(60);
        public static final Duration SETTLE_DEFAULT = Duration.ofSeconds(5);
        public static final int QUICK_FUNCTIONS = 100;
        public static final Duration QUICK_DURATION = Duration.ofSeconds(10);
        public static final Duration QUICK_SETTLE = Duration.ofSeconds(2);

        public Settings {
            if (functions < 1 || functions > 10_000) {
                throw new IllegalArgumentException("--functions: " + functions + " is out of range (1..10000)");
            }
            if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(Duration.ofMinutes(30)) > 0) {
                throw new IllegalArgumentException(
                        "--duration: " + duration.toMillis() + "ms is out of range (1s..30m)");
            }
            if (settle.isNegative() || settle.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("settle: " + settle.toMillis() + "ms is out of range (0..1m)");
            }
        }

        /** Each function's stable window: past the warm state's settle and window, with a margin. */
        Duration window() {
            return Duration.ofSeconds(settle.plus(duration).plus(WARM_MARGIN).toSeconds() + 1);
        }
    }

    /** What one state measured. */
    private record State(
            String name,
            int functions,
            int ready,
            double cpuSeconds,
            double windowSeconds,
            long rssBytes,
            Long rssAfterGcBytes,
            Long heapAfterGcBytes) {

        double cpuPercent() {
            return 100 * cpuSeconds / windowSeconds;
        }

        /** After the full collection when there was one, else as read. */
        long rssForComparison() {
            return rssAfterGcBytes != null ? rssAfterGcBytes : rssBytes;
        }
    }

    private final Settings settings;
    private final List<String> nodeJvmArgs;
    private final PrintWriter progress;
    private String gcUnavailable;

    public IdleBench(Settings settings, List<String> nodeJvmArgs, PrintWriter progress) {
        this.settings = settings;
        this.nodeJvmArgs = List.copyOf(nodeJvmArgs);
        this.progress = progress;
    }

    public Report run() throws IOException, InterruptedException {
        int n = settings.functions();
        FunctionFleet fleet = new FunctionFleet(n, settings.window());
        Path workDir = Files.createTempDirectory("sedge-bench-idle-");
        List<State> states = new ArrayList<>();
        try (MqttClientGroup clients = new MqttClientGroup("sedge-bench-idle", 1)) {
            say("starting a node");
            try (SedgeNode node = SedgeNode.start(workDir, nodeJvmArgs, List.of())) {
                states.add(measure(node, "empty", 0));

                Path module = FunctionFleet.writeModule(workDir);
                say(String.format(Locale.ROOT, "deploying %,d wasm functions, none started", n));
                fleet.deploy(node.api(), module, DEPLOY_BOUND, progress, SCENARIO);
                states.add(measure(node, "cold-" + n, n));

                say(String.format(Locale.ROOT, "one event to each of the %,d functions", n));
                TopicSweep.run(clients, node.host(), node.mqttPort(), fleet.topics(), SWEEP_BOUND);
                states.add(measure(node, "warm-" + n, n));
            }
        } finally {
            deleteRecursively(workDir);
        }
        return report(states);
    }

    private State measure(SedgeNode node, String name, int functions) throws IOException, InterruptedException {
        collect(node.pid());
        Thread.sleep(settings.settle());
        node.checkAlive();
        say(String.format(
                Locale.ROOT, "%s: measuring for %d s", name, settings.duration().toSeconds()));
        long start = System.nanoTime();
        double cpuStart = ProcessCpu.seconds(node.pid());
        Thread.sleep(settings.duration());
        double cpu = ProcessCpu.seconds(node.pid()) - cpuStart;
        long end = System.nanoTime();
        long rss = ProcessMemory.rssBytes(node.pid());
        int ready = FunctionFleet.readyInstances(node.api());
        Long afterGc = null;
        Long heap = null;
        if (collect(node.pid())) {
            afterGc = ProcessMemory.rssBytes(node.pid());
            heap = JvmGc.heapUsedBytes(node.pid(), GC_TIMEOUT);
        }
        State s = new State(name, functions, ready, cpu, (end - start) / 1e9, rss, afterGc, heap);
        say(String.format(
                Locale.ROOT,
                "%s: %d instances ready; CPU %.3f s (%.3f %% of a core); RSS %.1f MiB; after a full GC %s",
                name,
                ready,
                cpu,
                s.cpuPercent(),
                rss / MIB,
                afterGc == null
                        ? "n/a"
                        : String.format(Locale.ROOT, "RSS %.1f MiB, heap %.1f MiB", afterGc / MIB, heap / MIB)));
        return s;
    }

    /** A full collection in the node; false (said once) where jcmd cannot do it. */
    private boolean collect(long pid) throws InterruptedException {
        if (gcUnavailable != null) {
            return false;
        }
        try {
            JvmGc.run(pid, GC_TIMEOUT);
            return true;
        } catch (IOException e) {
            gcUnavailable = e.getMessage();
            say("no full GC, memory is reported as read: " + gcUnavailable);
            return false;
        }
    }

    private Report report(List<State> states) {
        State empty = states.getFirst();
        List<Row> rows = new ArrayList<>();
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (State s : states) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("functions", s.functions());
            f.put("instances_ready", s.ready());
            f.put("cpu_s", s.cpuSeconds());
            f.put("cpu_percent_of_core", s.cpuPercent());
            f.put("rss_mib", s.rssBytes() / MIB);
            f.put("rss_after_gc_mib", s.rssAfterGcBytes() == null ? null : s.rssAfterGcBytes() / MIB);
            f.put("heap_after_gc_mib", s.heapAfterGcBytes() == null ? null : s.heapAfterGcBytes() / MIB);
            if (s != empty) {
                double kib = (s.rssForComparison() - empty.rssForComparison()) / 1024.0 / s.functions();
                double cpuAbove = s.cpuPercent() - empty.cpuPercent();
                f.put("per_function_kib", kib);
                f.put(
                        "heap_per_function_kib",
                        s.heapAfterGcBytes() == null || empty.heapAfterGcBytes() == null
                                ? null
                                : (s.heapAfterGcBytes() - empty.heapAfterGcBytes()) / 1024.0 / s.functions());
                f.put("cpu_percent_above_empty", cpuAbove);
                f.put("meets_goals", kib < GOAL_KIB_PER_FUNCTION && cpuAbove < GOAL_CPU_PERCENT ? "yes" : "no");
                ratios.put(
                        "rss_mib:" + s.name() + "/" + empty.name(),
                        s.rssForComparison() / (double) empty.rssForComparison());
                ratios.put(
                        "cpu_percent_of_core:" + s.name() + "/" + empty.name(),
                        empty.cpuSeconds() > 0 ? s.cpuSeconds() / empty.cpuSeconds() : null);
            }
            if (s.name().startsWith("warm-")) {
                // One event each, acknowledged only once its function had run (ack: on-complete).
                f.put("sent", (long) s.functions());
                f.put("completed", (long) s.functions());
                f.put("lost", 0L);
            }
            rows.add(new Row.Figures(s.name(), f));
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("functions", settings.functions());
        params.put("duration_s", settings.duration().toSeconds());
        params.put("runtime", "wasm");
        params.put("window_s", settings.window().toSeconds());
        params.put("goal_cpu_percent_above_empty", GOAL_CPU_PERCENT);
        params.put("goal_per_function_kib", GOAL_KIB_PER_FUNCTION);
        Map<String, Object> harness = new LinkedHashMap<>();
        harness.put("settle after a full GC", settings.settle().toSeconds() + " s");
        harness.put(
                "per function memory from",
                gcUnavailable == null ? "RSS after a full GC (jcmd GC.run)" : "RSS as read (" + gcUnavailable + ")");
        return new Report(SCENARIO, Machine.current(), params, harness, rows, ratios);
    }

    private void say(String what) {
        progress.println(SCENARIO + ": " + what);
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
