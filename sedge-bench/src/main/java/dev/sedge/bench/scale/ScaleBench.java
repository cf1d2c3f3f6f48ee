package dev.sedge.bench.scale;

import dev.sedge.bench.report.Machine;
import dev.sedge.bench.report.Report;
import dev.sedge.bench.report.Row;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code scale} scenario: how a function follows a step in load, and how fast it returns to zero.
 * A function whose body burns a fixed time ({@link dev.sedge.bench.function.BurnFunction}, concurrency
 * 1) sees no load, then an open-loop step of QoS 1 messages needing several instances, then none until
 * it is back at zero instances; its replies are timed from their intended send times, its instances read
 * from the node's HTTP API. The baseline, in the same run: the same function on a fresh node, kept at a
 * fixed instance count (the autoscaled run's peak, unless given), under the same load.
 *
 * <p>Driven by one thread.
 */
public final class ScaleBench {

    public static final String SCENARIO = "scale";

    /** The fixed count when the autoscaled run did not take place to say its peak. */
    public static final int FIXED_WITHOUT_PEAK = 4;

    /**
     * How the scenario runs. Immutable; validated on construction, each refusal naming the option, the
     * value and the allowed range.
     *
     * @param idle no load before the step, whole seconds
     * @param load the step's length, whole seconds
     * @param rate the step's offered rate, messages a second
     * @param burn how long the function keeps its thread busy per event
     * @param window the function's stable window ({@code scale.window}): it reaches zero this long after
     *     its last event, at the earliest
     * @param max the autoscaled function's {@code scale.max}
     * @param fixedInstances the baseline's instance count, or null for the autoscaled run's peak
     */
    public record Settings(
            Duration idle, Duration load, int rate, Duration burn, Duration window, int max, Integer fixedInstances) {

        public static final Duration IDLE_DEFAULT = Duration.ofSeconds(10);
        public static final Duration LOAD_DEFAULT = Duration.ofSeconds(30);
        public static final Duration QUICK_IDLE = Duration.ofSeconds(1);
        public static final Duration QUICK_LOAD = Duration.ofSeconds(5);
        /**
         * With 5 ms events, 1.5 cores of work and a concurrency of 1.5: Knative's 70 % target at
         * concurrency 1 wants 3 instances, and two cores still leave some room for the node's own work
         * on each message and for the generator.
         */
        public static final int RATE_DEFAULT = 300;

        public static final Duration BURN_DEFAULT = Duration.ofMillis(5);
        /** The shortest stable window the autoscaler allows, so that the run ends soon after the step. */
        public static final Duration WINDOW_DEFAULT = Duration.ofSeconds(6);

        public static final int MAX_DEFAULT = 8;

        public Settings {
            wholeSeconds("--idle", idle, 0, 600);
            wholeSeconds("--duration", load, 1, 600);
            wholeSeconds("--window", window, 6, 600);
            if (rate < 1 || rate > 100_000) {
                throw new IllegalArgumentException("--rate: " + rate + " msg/s is out of range (1..100000)");
            }
            long burnMicros = burn.toNanos() / 1000;
            if (burn.toNanos() % 1000 != 0 || burnMicros < 0 || burnMicros > 1_000_000) {
                throw new IllegalArgumentException(
                        "--burn-us: " + burn.toNanos() / 1000.0 + " is out of range (0..1000000)");
            }
            if (max < 2 || max > 100) {
                throw new IllegalArgumentException("--max: " + max + " is out of range (2..100)");
            }
            if (fixedInstances != null && (fixedInstances < 1 || fixedInstances > 100)) {
                throw new IllegalArgumentException("--fixed: " + fixedInstances + " is out of range (1..100)");
            }
        }

        private static void wholeSeconds(String option, Duration d, long min, long max) {
            if (d.toNanos() % 1_000_000_000L != 0 || d.toSeconds() < min || d.toSeconds() > max) {
                throw new IllegalArgumentException(option + ": " + d.toMillis() + "ms is out of range (whole seconds, "
                        + min + "s.." + max + "s)");
            }
        }
    }

    /** The report, and each target's run over time for the chart. */
    record Outcome(Report report, List<StepRun.Trace> traces) {}

    private final Settings settings;
    private final StepRun runner;

    public ScaleBench(Settings settings, List<String> nodeJvmArgs, PrintWriter progress) {
        this.settings = settings;
        this.runner = new StepRun(settings, nodeJvmArgs, progress);
    }

    /** Runs the autoscaled function, then the fixed one, as chosen. */
    Outcome run(boolean autoscaled, boolean fixed) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        List<StepRun.Trace> traces = new ArrayList<>();
        Integer peak = null;
        if (autoscaled) {
            StepRun.Result r = runner.run(StepTarget.autoscaled(settings.max()));
            rows.add(r.row());
            traces.add(r.trace());
            peak = r.peakInstances();
        }
        int n = settings.fixedInstances() != null
                ? settings.fixedInstances()
                : peak != null ? Math.max(1, peak) : FIXED_WITHOUT_PEAK;
        if (fixed) {
            StepRun.Result r = runner.run(StepTarget.fixed(n));
            rows.add(r.row());
            traces.add(r.trace());
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("idle_s", settings.idle().toSeconds());
        params.put("duration_s", settings.load().toSeconds());
        params.put("rate_per_s", settings.rate());
        params.put("burn_us", settings.burn().toNanos() / 1000);
        params.put("concurrency", 1);
        params.put("window_s", settings.window().toSeconds());
        params.put("max_instances", settings.max());
        params.put("fixed_instances", fixed ? n : null);
        params.put("qos", 1);
        params.put("payload_bytes", StepRun.PAYLOAD_BYTES);
        Map<String, Object> harness = new LinkedHashMap<>();
        harness.put("open loop", "latency from the intended send time");
        harness.put("instances read every", "200 ms");
        harness.put("node scaleToZeroGracePeriod", "0s");
        Map<String, Double> ratios = new LinkedHashMap<>();
        String pair = StepTarget.AUTOSCALED + "/" + StepTarget.FIXED;
        ratios.put("p99_us:" + pair, p99Ratio(rows));
        ratios.put("cpu_s_per_1k:" + pair, Report.cpuRatio(rows, StepTarget.AUTOSCALED, StepTarget.FIXED));
        return new Outcome(new Report(SCENARIO, Machine.current(), params, harness, rows, ratios), traces);
    }

    private static Double p99Ratio(List<Row> rows) {
        Long a = null;
        Long b = null;
        for (Row r : rows) {
            if (r instanceof Row.Measured m && m.latency() != null) {
                if (m.target().equals(StepTarget.AUTOSCALED)) {
                    a = m.latency().p99();
                } else if (m.target().equals(StepTarget.FIXED)) {
                    b = m.latency().p99();
                }
            }
        }
        return a == null || b == null || b <= 0 ? null : a / (double) b;
    }
}
