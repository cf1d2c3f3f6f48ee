package dev.sedge.bench.targets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads sample values out of a Prometheus text exposition. Stateless. */
public final class PrometheusText {

    // name{labels} value [timestamp]
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})?\\s+(\\S+)");
    // name="value", the value with its escapes (\\, \", \n)
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample: its labels and its value. */
    public record Sample(Map<String, String> labels, double value) {}

    private PrometheusText() {}

    /** The sum of the samples of {@code metric} that carry the label {@code label="value"}; 0 when none. */
    public static double sum(String exposition, String metric, String label, String value) {
        double total = 0;
        for (Sample s : samples(exposition, metric)) {
            if (value.equals(s.labels().get(label))) {
                total += s.value();
            }
        }
        return total;
    }

    /** Every sample of {@code metric}, in the order of the exposition. */
    public static List<Sample> samples(String exposition, String metric) {
        List<Sample> out = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(metric)) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (m.find() && m.group(1).equals(metric)) {
                out.add(new Sample(labels(m.group(2)), Double.parseDouble(m.group(3))));
            }
        }
        return out;
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text != null) {
            Matcher m = LABEL.matcher(text);
            while (m.find()) {
                labels.put(
                        m.group(1),
                        m.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
            }
        }
        return labels;
    }
}
