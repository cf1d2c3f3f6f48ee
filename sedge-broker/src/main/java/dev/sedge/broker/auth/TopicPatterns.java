package dev.sedge.broker.auth;

/**
 * The two operations ACL matching needs beyond {@code Topics.matches}: putting user name and client
 * identifier into a pattern, and deciding whether one filter covers another. Stateless and thread-safe.
 */
final class TopicPatterns {

    private TopicPatterns() {}

    /**
     * Replaces {@code %u} by the user and {@code %c} by the client identifier.
     *
     * @return the filter, or null when the rule cannot apply: it names {@code %u} and the client is
     *     anonymous, or a value it names is empty or contains {@code /}, {@code +} or {@code #}, which
     *     would change the pattern's shape (a user named {@code #} must not get {@code devices/#})
     */
    static String substitute(String pattern, String user, String clientId) {
        if (pattern.indexOf('%') < 0) {
            return pattern;
        }
        StringBuilder out = new StringBuilder(pattern.length() + 16);
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            if (ch == '%' && i + 1 < pattern.length()) {
                char kind = pattern.charAt(i + 1);
                String value = kind == 'u' ? user : kind == 'c' ? clientId : null;
                if (kind == 'u' || kind == 'c') {
                    if (!safe(value)) {
                        return null;
                    }
                    out.append(value);
                    i++;
                    continue;
                }
            }
            out.append(ch);
        }
        return out.toString();
    }

    private static boolean safe(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '/' || ch == '+' || ch == '#') {
                return false;
            }
        }
        return true;
    }

    /**
     * True when every topic that {@code filter} matches is also matched by {@code pattern}; both are
     * valid filters. Compared level by level: a {@code #} in the pattern covers whatever the filter has
     * from there on; a {@code +} covers any single filter level but {@code #}; a literal covers only the
     * same literal. The filter must then be used up; it may be one level shorter when the pattern's
     * last level is {@code #}, which also matches its parent (MQTT 4.7.1.2).
     *
     * <p>Sound but, for unions, not complete: the rules are looked at one at a time, so a filter that is
     * covered only by two rules together is not covered.
     */
    static boolean covers(String pattern, String filter) {
        String[] p = pattern.split("/", -1);
        String[] f = filter.split("/", -1);
        // MQTT-4.7.2-1: a pattern starting with a wildcard does not match $-topics, so cannot cover them.
        if (f[0].startsWith("$") && (p[0].equals("+") || p[0].equals("#"))) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            if (i >= p.length) {
                return false;
            }
            if (p[i].equals("#")) {
                return true;
            }
            if (f[i].equals("#")) {
                // The filter's '#' reaches arbitrarily deep and also matches the parent level. Only "+/#"
                // at the top also matches every topic (a topic has at least one level, there is no parent).
                return i == 0 && p[0].equals("+") && p.length == 2 && p[1].equals("#");
            }
            if (p[i].equals("+")) {
                continue;
            }
            if (!p[i].equals(f[i])) {
                return false; // a literal covers neither '+' nor another literal
            }
        }
        return p.length == f.length || (p.length == f.length + 1 && p[f.length].equals("#"));
    }
}
