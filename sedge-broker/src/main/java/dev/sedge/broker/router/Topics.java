package dev.sedge.broker.router;

/**
 * Validation and matching of MQTT topic names and topic filters (MQTT 3.1.1 section 4.7, MQTT 5.0
 * section 4.7). Stateless and thread-safe.
 */
public final class Topics {

    /** Topic names and filters are UTF-8 strings of at most this many bytes (MQTT-1.5.3-2). */
    public static final int MAX_LENGTH_BYTES = 65_535;

    private Topics() {}

    /**
     * Checks a topic filter.
     *
     * @return null when valid, else a short reason such as {@code "'#' must be the last level"}
     */
    public static String filterError(String filter) {
        String common = commonError(filter);
        if (common != null) {
            return common;
        }
        int levelStart = 0;
        for (int i = 0; i <= filter.length(); i++) {
            if (i == filter.length() || filter.charAt(i) == '/') {
                String level = filter.substring(levelStart, i);
                if (level.contains("#") && (!level.equals("#") || i != filter.length())) {
                    // MQTT-4.7.1-2: '#' stands alone and last.
                    return "'#' must be the whole last level";
                }
                if (level.contains("+") && !level.equals("+")) {
                    // MQTT-4.7.1-3: '+' occupies an entire level.
                    return "'+' must be a whole level";
                }
                levelStart = i + 1;
            }
        }
        return null;
    }

    /**
     * Checks a topic name, as published to.
     *
     * @return null when valid, else a short reason
     */
    public static String nameError(String topic) {
        String common = commonError(topic);
        if (common != null) {
            return common;
        }
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            return "wildcards '+' and '#' are not allowed in a topic name"; // MQTT-3.3.2-2
        }
        return null;
    }

    private static String commonError(String s) {
        if (s == null || s.isEmpty()) {
            return "must not be empty"; // MQTT-4.7.3-1
        }
        if (s.indexOf('\u0000') >= 0) {
            return "must not contain U+0000"; // MQTT-1.5.3-2
        }
        if (s.length() > MAX_LENGTH_BYTES / 3
                && s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_LENGTH_BYTES) {
            return "is longer than " + MAX_LENGTH_BYTES + " bytes";
        }
        return null;
    }

    /** True for a valid filter. */
    public static boolean isValidFilter(String filter) {
        return filterError(filter) == null;
    }

    /**
     * True when the (valid) topic name matches the (valid) filter. A filter starting with a wildcard does
     * not match a topic starting with {@code $} (MQTT-4.7.2-1).
     */
    public static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        int f = 0;
        int t = 0;
        while (true) {
            int fEnd = levelEnd(filter, f);
            String fLevel = filter.substring(f, fEnd);
            if (fLevel.equals("#")) {
                return true; // also matches the parent level (MQTT 4.7.1.2)
            }
            if (t > topic.length()) {
                return false;
            }
            int tEnd = levelEnd(topic, t);
            if (!fLevel.equals("+") && !fLevel.equals(topic.substring(t, tEnd))) {
                return false;
            }
            boolean fLast = fEnd == filter.length();
            boolean tLast = tEnd == topic.length();
            if (fLast || tLast) {
                if (fLast && tLast) {
                    return true;
                }
                // "a/#" matches "a": the filter may have exactly one more level, and it must be '#'.
                return tLast && filter.substring(fEnd + 1).equals("#");
            }
            f = fEnd + 1;
            t = tEnd + 1;
        }
    }

    private static int levelEnd(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }
}
