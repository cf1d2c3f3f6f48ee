package dev.sedge.bench.startup;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.bench.report.Machine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The report of {@code sedge bench cold-start} or {@code sedge bench reset}: rows of percentiles in
 * microseconds and the ratios between rows measured in the same run. Immutable.
 *
 * @param ratios named ratios of two rows' medians, such as {@code wasm/fork+exec}; null when a side did not run
 */
record StartupReport(
        String scenario,
        Machine machine,
        Map<String, Object> params,
        List<StartupRow> rows,
        Map<String, Double> ratios) {

    StartupReport {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        rows = List.copyOf(rows);
        ratios = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ratios));
    }

    /** The ratio of two rows' medians, a/b, or null unless both were measured. */
    static Double medianRatio(List<StartupRow> rows, String a, String b) {
        Double ma = median(rows, a);
        Double mb = median(rows, b);
        return ma == null || mb == null || mb <= 0 ? null : ma / mb;
    }

    private static Double median(List<StartupRow> rows, String name) {
        for (StartupRow r : rows) {
            if (r instanceof StartupRow.Measured m && m.name().equals(name)) {
                return m.p50Micros();
            }
        }
        return null;
    }

    String json() {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode root = json.createObjectNode();
        root.put("scenario", scenario);
        root.set("machine", json.valueToTree(machine));
        root.set("params", json.valueToTree(params));
        var rowsNode = root.putArray("rows");
        for (StartupRow r : rows) {
            ObjectNode o = rowsNode.addObject().put("name", r.name());
            switch (r) {
                case StartupRow.Measured m -> {
                    o.put("what", m.what()).put("samples", m.samples());
                    if (!Double.isNaN(m.firstMicros())) {
                        o.put("firstUs", round(m.firstMicros()));
                    }
                    o.put("p50Us", round(m.p50Micros()))
                            .put("p90Us", round(m.p90Micros()))
                            .put("p99Us", round(m.p99Micros()));
                    if (!m.phasesP50Micros().isEmpty()) {
                        ObjectNode p = o.putObject("phasesP50Us");
                        m.phasesP50Micros().forEach((k, v) -> p.put(k, round(v)));
                    }
                }
                case StartupRow.Skipped s -> o.put("skipped", s.reason());
            }
        }
        ObjectNode ratiosNode = root.putObject("ratios");
        ratios.forEach((k, v) -> {
            if (v == null) {
                ratiosNode.putNull(k);
            } else {
                ratiosNode.put(k, Math.round(v * 1000) / 1000.0);
            }
        });
        return root.toPrettyString();
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("### ").append(scenario).append('\n').append('\n');
        b.append(String.format(
                Locale.ROOT,
                "%d cores, JDK %s, kernel %s, %s; %s%n%n",
                machine.cores(),
                machine.jdk(),
                machine.kernel(),
                machine.memory(),
                params));
        Set<String> phases = new LinkedHashSet<>();
        for (StartupRow r : rows) {
            if (r instanceof StartupRow.Measured m) {
                phases.addAll(m.phasesP50Micros().keySet());
            }
        }
        List<String> head =
                new ArrayList<>(List.of("row", "one sample is", "n", "first µs", "p50 µs", "p90 µs", "p99 µs"));
        for (String p : phases) {
            head.add(p + " p50 µs");
        }
        b.append("| ").append(String.join(" | ", head)).append(" |\n");
        b.append("|").append("---|".repeat(head.size())).append('\n');
        for (StartupRow r : rows) {
            List<String> cells = new ArrayList<>();
            cells.add(r.name());
            switch (r) {
                case StartupRow.Measured m -> {
                    cells.add(m.what());
                    cells.add(String.valueOf(m.samples()));
                    cells.add(Double.isNaN(m.firstMicros()) ? "" : num(m.firstMicros()));
                    cells.add(num(m.p50Micros()));
                    cells.add(num(m.p90Micros()));
                    cells.add(num(m.p99Micros()));
                    for (String p : phases) {
                        Double v = m.phasesP50Micros().get(p);
                        cells.add(v == null ? "" : num(v));
                    }
                }
                case StartupRow.Skipped s -> {
                    cells.add("skipped: " + s.reason());
                    while (cells.size() < head.size()) {
                        cells.add("");
                    }
                }
            }
            b.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        if (!ratios.isEmpty()) {
            b.append('\n');
            ratios.forEach((k, v) -> b.append("- ")
                    .append(k)
                    .append(" (medians): ")
                    .append(v == null ? "n/a (a side did not run)" : String.format(Locale.ROOT, "%.3f", v))
                    .append('\n'));
        }
        return b.toString();
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String num(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
