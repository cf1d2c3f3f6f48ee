package dev.sedge.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Writes a {@link Report} as the JSON object of {@code shared/BENCHMARKS.md} (one object per scenario;
 * a skipped row keeps every field, null, and says why) or as a markdown table. Stateless.
 */
public final class ReportWriter {

    // Plain numbers (1500, not 1.5E+3), as a person reads them and every JSON reader parses them.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private static final List<String> MEASURED_FIELDS = List.of(
            "throughput_per_s",
            "p50_us",
            "p99_us",
            "p999_us",
            "cpu_s_per_1k",
            "sent",
            "completed",
            "lost",
            "cpu_wait_per_s");

    private ReportWriter() {}

    public static String json(Report report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("scenario", report.scenario());
        ObjectNode machine = root.putObject("machine");
        machine.put("cores", report.machine().cores());
        machine.put("jdk", report.machine().jdk());
        machine.put("kernel", report.machine().kernel());
        machine.put("memory", report.machine().memory());
        root.set("params", JSON.valueToTree(report.params()));
        var rows = root.putArray("rows");
        for (Row r : report.rows()) {
            ObjectNode o = rows.addObject();
            o.put("target", r.target());
            switch (r) {
                case Row.Measured m -> {
                    o.put("throughput_per_s", round(m.throughputPerSecond(), 1));
                    if (m.latency() != null) {
                        o.put("p50_us", m.latency().p50());
                        o.put("p99_us", m.latency().p99());
                        o.put("p999_us", m.latency().p999());
                    } else {
                        o.putNull("p50_us");
                        o.putNull("p99_us");
                        o.putNull("p999_us");
                    }
                    o.put("cpu_s_per_1k", significant(m.cpuSecondsPer1k()));
                    o.put("sent", m.sent());
                    o.put("completed", m.completed());
                    o.put("lost", m.lost());
                    o.put("cpu_wait_per_s", m.cpuWaitPerSecond() == null ? null : round(m.cpuWaitPerSecond(), 2));
                    ObjectNode g = o.putObject("generator");
                    g.put("acked", m.generator().acked());
                    g.put("cpu_s_per_1k", significant(m.generator().cpuSecondsPer1k()));
                    g.put("busiest_thread_util", round(m.generator().busiestThreadUtilisation(), 2));
                    m.extras().forEach((k, v) -> o.set(k, JSON.valueToTree(jsonValue(v))));
                }
                case Row.Figures f -> f.figures().forEach((k, v) -> o.set(k, JSON.valueToTree(jsonValue(v))));
                case Row.Skipped s -> {
                    for (String field : MEASURED_FIELDS) {
                        o.putNull(field); // every field stays, so that scripts read one shape; no number is made up
                    }
                    o.put("skipped", s.reason());
                }
            }
        }
        ObjectNode ratios = root.putObject("ratios");
        for (Map.Entry<String, Double> e : report.ratios().entrySet()) {
            if (e.getValue() == null) {
                ratios.putNull(e.getKey());
            } else {
                ratios.put(e.getKey(), round(e.getValue(), 3));
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report tree is always writable", e);
        }
    }

    /** A markdown section: the machine and parameters, one table row per target, the ratios. */
    public static String markdown(Report report) {
        StringBuilder out = new StringBuilder();
        heading(out, report);
        if (report.rows().stream().noneMatch(r -> r instanceof Row.Measured)) {
            figuresTable(out, report.rows());
        } else {
            measuredTable(out, report.rows());
        }
        ratios(out, report);
        return out.toString();
    }

    private static void heading(StringBuilder out, Report report) {
        Machine m = report.machine();
        out.append("### ").append(report.scenario()).append("\n\n");
        out.append(String.format(
                Locale.ROOT,
                "Machine: %d cores, %s memory, kernel %s, JDK %s.%n",
                m.cores(),
                m.memory(),
                m.kernel(),
                m.jdk()));
        StringJoiner params = new StringJoiner(", ", "Parameters: ", ".\n");
        report.params().forEach((k, v) -> params.add(k + " " + v));
        out.append(params);
        StringJoiner settings = new StringJoiner(", ", "Settings: ", ".\n");
        report.settings().forEach((k, v) -> settings.add(k + " " + v));
        out.append(report.settings().isEmpty() ? "" : settings).append('\n');
    }

    /** Rows of their own figures only: one column per figure, in the order the rows name them. */
    private static void figuresTable(StringBuilder out, List<Row> rows) {
        List<String> keys = figureKeys(rows);
        StringBuilder head = new StringBuilder("| target");
        keys.forEach(k -> head.append(" | ").append(k.replace('_', ' ')));
        out.append(head).append(" |\n|---|").append("--:|".repeat(keys.size())).append('\n');
        for (Row r : rows) {
            List<String> cells = new ArrayList<>();
            cells.add(r.target());
            switch (r) {
                case Row.Figures f ->
                    keys.forEach(k -> cells.add(
                            f.figures().containsKey(k) ? cell(f.figures().get(k)) : ""));
                case Row.Skipped s -> {
                    cells.add("skipped: " + s.reason().replace("|", "\\|"));
                    while (cells.size() < keys.size() + 1) {
                        cells.add("");
                    }
                }
                case Row.Measured x ->
                    keys.forEach(k -> cells.add(cell(x.extras().get(k))));
            }
            out.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
    }

    private static List<String> figureKeys(List<Row> rows) {
        List<String> keys = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> own = switch (r) {
                case Row.Measured x -> x.extras();
                case Row.Figures f -> f.figures();
                case Row.Skipped s -> Map.of();
            };
            own.keySet().stream().filter(k -> !keys.contains(k)).forEach(keys::add);
        }
        return keys;
    }

    private static void measuredTable(StringBuilder out, List<Row> rows) {
        List<String> extraKeys = figureKeys(rows);
        StringBuilder extraHeads = new StringBuilder();
        extraKeys.forEach(k -> extraHeads.append(" | ").append(k.replace('_', ' ')));
        out.append("| target | msg/s | p50 µs | p99 µs | p99.9 µs | CPU s / 1k msg | sent | completed | lost"
                + " | waiting for a CPU | generator CPU s / 1k msg | generator busiest thread"
                + extraHeads + " |\n");
        out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
                .append("--:|".repeat(extraKeys.size()))
                .append('\n');
        for (Row r : rows) {
            List<String> cells = new ArrayList<>();
            cells.add(r.target());
            switch (r) {
                case Row.Measured x -> {
                    cells.add(String.format(Locale.ROOT, "%,.0f", x.throughputPerSecond()));
                    if (x.latency() != null) {
                        cells.add(String.format(Locale.ROOT, "%,d", x.latency().p50()));
                        cells.add(String.format(Locale.ROOT, "%,d", x.latency().p99()));
                        cells.add(String.format(Locale.ROOT, "%,d", x.latency().p999()));
                    } else {
                        cells.addAll(List.of("n/a (QoS 0)", "n/a", "n/a"));
                    }
                    cells.add(text(significant(x.cpuSecondsPer1k())));
                    cells.add(String.format(Locale.ROOT, "%,d", x.sent()));
                    cells.add(String.format(Locale.ROOT, "%,d", x.completed()));
                    cells.add(String.format(Locale.ROOT, "%,d", x.lost()));
                    cells.add(
                            x.cpuWaitPerSecond() == null
                                    ? "n/a"
                                    : String.format(Locale.ROOT, "%.2f threads", x.cpuWaitPerSecond()));
                    cells.add(text(significant(x.generator().cpuSecondsPer1k())));
                    cells.add(String.format(
                            Locale.ROOT, "%.0f%% of a core", 100 * x.generator().busiestThreadUtilisation()));
                    for (String k : extraKeys) {
                        cells.add(cell(x.extras().get(k)));
                    }
                }
                case Row.Figures f -> {
                    for (int i = 0; i < 11; i++) {
                        cells.add(""); // none of the message path's columns
                    }
                    extraKeys.forEach(k -> cells.add(
                            f.figures().containsKey(k) ? cell(f.figures().get(k)) : ""));
                }
                case Row.Skipped s -> {
                    cells.add("skipped: " + s.reason().replace("|", "\\|"));
                    for (int i = 0; i < 10 + extraKeys.size(); i++) {
                        cells.add("");
                    }
                }
            }
            out.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
    }

    private static void ratios(StringBuilder out, Report report) {
        if (!report.ratios().isEmpty()) {
            out.append('\n');
            report.ratios()
                    .forEach((k, v) -> out.append("Ratio ")
                            .append(ratioName(k))
                            .append(" (")
                            .append(ratioMeasure(k))
                            .append("): ")
                            .append(
                                    v == null
                                            ? "n/a (one side did not run)"
                                            : round(v, 3).toPlainString())
                            .append('\n'));
        }
    }

    /** A ratio's key is {@code a/b} for throughput, or {@code measure:a/b} for another measure. */
    private static String ratioName(String key) {
        int colon = key.indexOf(':');
        return colon < 0 ? key : key.substring(colon + 1);
    }

    private static String ratioMeasure(String key) {
        int colon = key.indexOf(':');
        return colon < 0 ? "throughput" : key.substring(0, colon).replace('_', ' ');
    }

    /** Extra fields as JSON: doubles to four significant digits, maps field by field. */
    private static Object jsonValue(Object v) {
        return switch (v) {
            case Double d -> significant(d);
            case Map<?, ?> map -> {
                Map<Object, Object> out = new java.util.LinkedHashMap<>();
                map.forEach((k, x) -> out.put(k, jsonValue(x)));
                yield out;
            }
            case null, default -> v;
        };
    }

    private static String cell(Object v) {
        return switch (v) {
            case null -> "n/a";
            case Double d -> text(significant(d));
            case Long l -> String.format(Locale.ROOT, "%,d", l);
            case Integer i -> String.format(Locale.ROOT, "%,d", i);
            case Map<?, ?> map -> {
                StringJoiner j = new StringJoiner(", ");
                map.forEach((k, x) -> j.add(k + " " + cell(x)));
                yield j.toString();
            }
            default -> v.toString().replace("|", "\\|");
        };
    }

    private static BigDecimal round(double v, int decimals) {
        return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_EVEN);
    }

    /** Four significant digits, as CPU per message spans orders of magnitude between targets; null stays null. */
    private static BigDecimal significant(Double v) {
        return v == null
                ? null
                : new BigDecimal(v)
                        .round(new MathContext(4, RoundingMode.HALF_EVEN))
                        .stripTrailingZeros();
    }

    private static String text(BigDecimal v) {
        return v == null ? "n/a" : v.toPlainString();
    }
}
