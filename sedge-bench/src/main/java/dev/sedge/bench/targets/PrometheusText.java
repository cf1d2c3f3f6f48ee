package dev.sedge.bench.targets;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads sample values out of a Prometheus text exposition. Stateless. */
final class PrometheusText {

    // name{labels} value [timestamp]
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})?\\s+(\\S+)");

    private PrometheusText() {}

    /** The sum of the samples of {@code metric} that carry the label {@code label="value"}; 0 when none. */
    static double sum(String exposition, String metric, String label, String value) {
        String wanted = label + "=\"" + value + "\"";
        double total = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (m.find() && m.group(1).equals(metric) && hasLabel(m.group(2), wanted)) {
                total += Double.parseDouble(m.group(3));
            }
        }
        return total;
    }

    private static boolean hasLabel(String labels, String wanted) {
        if (labels == null) {
            return false;
        }
        // Label values here are function names (letters, digits, '-'), so a plain split is exact.
        for (String l : labels.split(",")) {
            if (l.trim().equals(wanted)) {
                return true;
            }
        }
        return false;
    }
}
