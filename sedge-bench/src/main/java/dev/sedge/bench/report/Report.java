package dev.sedge.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one scenario run: where, with what parameters, one row per target, and the ratios of
 * targets measured side by side. Immutable.
 *
 * @param params the scenario's parameters, in the order reports print them
 * @param settings how the harness ran, beyond the schema's parameters (warm-up, rounds); printed in the
 *     markdown table's heading, not in the JSON, whose schema is fixed
 * @param ratios named ratios such as {@code sedge/mosquitto}; a null value when one side did not run
 */
public record Report(
        String scenario,
        Machine machine,
        Map<String, Object> params,
        Map<String, Object> settings,
        List<Row> rows,
        Map<String, Double> ratios) {

    public Report {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        rows = List.copyOf(rows);
        ratios = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ratios));
    }

    /** The throughput ratio {@code a/b}, or null unless both rows were measured and b is above zero. */
    public static Double throughputRatio(List<Row> rows, String a, String b) {
        Row.Measured ra = measured(rows, a);
        Row.Measured rb = measured(rows, b);
        if (ra == null || rb == null || rb.throughputPerSecond() <= 0) {
            return null;
        }
        return ra.throughputPerSecond() / rb.throughputPerSecond();
    }

    /** The CPU-per-message ratio {@code a/b}, or null unless both rows have it and b's is above zero. */
    public static Double cpuRatio(List<Row> rows, String a, String b) {
        Row.Measured ra = measured(rows, a);
        Row.Measured rb = measured(rows, b);
        if (ra == null || rb == null || ra.cpuSecondsPer1k() == null || rb.cpuSecondsPer1k() == null) {
            return null;
        }
        return rb.cpuSecondsPer1k() <= 0 ? null : ra.cpuSecondsPer1k() / rb.cpuSecondsPer1k();
    }

    private static Row.Measured measured(List<Row> rows, String target) {
        for (Row r : rows) {
            if (r instanceof Row.Measured m && m.target().equals(target)) {
                return m;
            }
        }
        return null;
    }
}
