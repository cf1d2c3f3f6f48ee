package dev.sedge.bench.replay;

import dev.sedge.bench.report.Machine;
import dev.sedge.bench.report.Report;
import dev.sedge.bench.report.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A replay's report in the shape of shared/BENCHMARKS.md's {@code serverless-vs-serverful} scenario: one
 * row per mode, named {@code serverless} or {@code serverful}, with the schema's names where they apply
 * ({@code sent}, {@code completed}, {@code lost}, {@code p50_us}...), the simulator's for cold starts
 * ({@code cold_starts}, {@code cold_start_ratio}), and the ratios of the two modes when both ran.
 *
 * <p>What the latency cold starts added is read two ways, both in each row: {@code cold_start_ms_mean} is
 * the node's own timing of each cold start (every phase from fetching the artifact through the first
 * call, from {@code sedge_cold_start_phase_seconds}), exact per start but blind to what the path around
 * it adds; {@code p99_over_p50_ms} is the reply latency's p99 less its median, the tail a device sees
 * over the warm median, which holds the cold starts when they are more than 1 % of the events and noise
 * when they are fewer. Stateless.
 */
final class ReplayReport {

    static final String SCENARIO = "serverless-vs-serverful";

    private ReplayReport() {}

    /**
     * @param trace the trace's file name
     * @param spanMillis the trace time the replayed events span
     */
    static Report of(
            ReplaySettings settings,
            String trace,
            int functions,
            int events,
            long spanMillis,
            List<TraceReplay.Outcome> outcomes) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("trace", trace);
        params.put("key", settings.key());
        params.put("functions", functions);
        params.put("events", events);
        params.put("span_h", hundredths(spanMillis / 3_600_000.0));
        params.put("speedup", plain(settings.speedup()));
        params.put("replay_min", hundredths(spanMillis / settings.speedup() / 60_000.0));
        params.put("runtime", settings.runtime());
        params.put("memory_mib", settings.memoryMib());
        params.put("warmup_events", settings.warmupEvents());
        List<Row> rows = new ArrayList<>();
        for (TraceReplay.Outcome o : outcomes) {
            rows.add(new Row.Figures(o.mode().name(), figures(o, settings.memoryMib())));
        }
        Map<String, Double> ratios = new LinkedHashMap<>();
        if (outcomes.size() == 2) {
            Map<String, Object> a = ((Row.Figures) rows.get(0)).figures();
            Map<String, Object> b = ((Row.Figures) rows.get(1)).figures();
            String pair = rows.get(0).target() + "/" + rows.get(1).target();
            for (String measure : List.of("memory_gib_s", "cpu_s", "p50_us", "p99_us")) {
                ratios.put(measure + ":" + pair, ratio(a.get(measure), b.get(measure)));
            }
        }
        return new Report(SCENARIO, Machine.current(), params, Map.of(), rows, ratios);
    }

    private static Map<String, Object> figures(TraceReplay.Outcome o, int memoryMib) {
        ReplayLedger.Tally t = o.tally();
        NodeReading n = o.node();
        Histogram h = t.latencyNanos();
        boolean anyReply = h.getTotalCount() > 0;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("sent", t.sent());
        f.put("completed", t.replied());
        f.put("lost", t.sent() - t.replied());
        f.put("late_sends", t.lateSends());
        f.put("max_send_lag_ms", t.maxLagNanos() / 1e6);
        f.put("p50_us", anyReply ? h.getValueAtPercentile(50) / 1000 : null);
        f.put("p99_us", anyReply ? h.getValueAtPercentile(99) / 1000 : null);
        f.put("p999_us", anyReply ? h.getValueAtPercentile(99.9) / 1000 : null);
        f.put("max_us", anyReply ? h.getMaxValue() / 1000 : null);
        long coldStarts = Math.round(n.coldStarts());
        long invocations = Math.round(n.invocations());
        f.put("cold_starts", coldStarts);
        f.put("cold_start_ratio", invocations == 0 ? null : (double) coldStarts / invocations);
        f.put("cold_start_ms_mean", coldStarts == 0 ? null : n.coldStartSeconds() * 1000 / coldStarts);
        f.put("p99_over_p50_ms", anyReply ? (h.getValueAtPercentile(99) - h.getValueAtPercentile(50)) / 1e6 : null);
        Double instanceSeconds = o.instanceSecondsCounted() ? n.instanceSeconds() : null;
        f.put("instance_s", instanceSeconds);
        f.put("instances_mean", instanceSeconds == null ? null : instanceSeconds / o.wallSeconds());
        f.put("memory_gib_s", instanceSeconds == null ? null : instanceSeconds * memoryMib / 1024);
        f.put("cpu_s", Double.isNaN(n.cpuSeconds()) ? null : n.cpuSeconds());
        f.put("wall_s", o.wallSeconds());
        f.put("errors", Math.round(n.errors()));
        return f;
    }

    private static double hundredths(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** A whole number without its ".0", as the user wrote it. */
    private static Object plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v;
    }

    private static Double ratio(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y && y.doubleValue() > 0) {
            return x.doubleValue() / y.doubleValue();
        }
        return null;
    }
}
