package dev.sedge.node.descriptor;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations ({@code 500ms}, {@code 5s}) and sizes ({@code 64Mi}) of descriptors. Stateless. */
public final class Quantities {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern DURATION_PART = Pattern.compile("(?:\\d+(?:ms|s|m|h))+");
    private static final Pattern SIZE = Pattern.compile("(\\d+)(Ki|Mi|Gi|k|M|G)?");

    private Quantities() {}

    /**
     * Parses a duration made of one or more number-and-unit parts: {@code 250ms}, {@code 5s},
     * {@code 1m30s}, {@code 2h}.
     *
     * @throws IllegalArgumentException with the allowed forms in the message
     */
    public static Duration duration(String text) {
        if (text == null || !DURATION_PART.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    "invalid duration \"" + text + "\" (use a number and a unit ms, s, m or h: 500ms, 5s, 1m30s)");
        }
        Duration total = Duration.ZERO;
        Matcher m = DURATION.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(
                    switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofHours(n);
                    });
        }
        return total;
    }

    /** Formats a duration the way {@link #duration} reads it. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /**
     * Parses a size in bytes, Kubernetes style: {@code 64Mi}, {@code 1Gi}, {@code 500k}, {@code 1048576}.
     *
     * @throws IllegalArgumentException with the allowed forms in the message
     */
    public static long bytes(String text) {
        Matcher m = text == null ? null : SIZE.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException(
                    "invalid size \"" + text + "\" (use bytes or a unit Ki, Mi, Gi, k, M, G: 64Mi)");
        }
        long n = Long.parseLong(m.group(1));
        long unit = m.group(2) == null
                ? 1
                : switch (m.group(2)) {
                    case "Ki" -> 1L << 10;
                    case "Mi" -> 1L << 20;
                    case "Gi" -> 1L << 30;
                    case "k" -> 1_000L;
                    case "M" -> 1_000_000L;
                    default -> 1_000_000_000L;
                };
        return Math.multiplyExact(n, unit);
    }
}
