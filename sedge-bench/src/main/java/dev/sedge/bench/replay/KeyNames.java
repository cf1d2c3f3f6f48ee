package dev.sedge.bench.replay;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What each trace key is called on the node: a function name and the topic its events are published to.
 *
 * <ul>
 *   <li>Topic: {@code sensors/<level>/events}, where the level is the key with every character other
 *       than {@code A-Z a-z 0-9 . _ : -} replaced by {@code _}: so no {@code /} adds a level, no
 *       {@code +} or {@code #} makes a wildcard, no {@code $}, space or control character reaches the
 *       broker. A level that an earlier key already has gets {@code ~N} appended (N the key's number);
 *       {@code ~} is never left by the replacement, so two keys never share a topic.
 *   <li>Function: {@code replay-NNN-<slug>}, NNN the key's number in order of first event (from 001), the
 *       slug the key in lower case with each run of other characters made one {@code -}, cut so that the
 *       name stays a DNS label of at most 63 characters. The number alone keeps names apart.
 * </ul>
 *
 * Stateless.
 */
final class KeyNames {

    static final String TOPIC_PREFIX = "sensors/";
    static final String TOPIC_SUFFIX = "/events";
    static final String FUNCTION_PREFIX = "replay-";
    private static final int NAME_MAX = 63;

    private KeyNames() {}

    /** The topic of each key, in the keys' order. */
    static List<String> topics(List<String> keys) {
        List<String> topics = new ArrayList<>(keys.size());
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            String level = level(keys.get(i));
            if (!taken.add(level)) {
                level = level + "~" + (i + 1);
                taken.add(level);
            }
            topics.add(TOPIC_PREFIX + level + TOPIC_SUFFIX);
        }
        return topics;
    }

    /** The key as one topic level: the characters outside {@code A-Z a-z 0-9 . _ : -} made {@code _}. */
    static String level(String key) {
        StringBuilder b = new StringBuilder(key.length());
        key.codePoints().forEach(c -> b.append(keptInTopic(c) ? (char) c : '_'));
        return b.toString();
    }

    private static boolean keptInTopic(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '.'
                || c == '_'
                || c == ':'
                || c == '-';
    }

    /** The function name of key number {@code index} (from 0). */
    static String function(int index, String key) {
        String number = String.format(Locale.ROOT, "%03d", index + 1);
        StringBuilder slug = new StringBuilder();
        for (char c : key.toLowerCase(Locale.ROOT).toCharArray()) {
            boolean kept = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (kept) {
                slug.append(c);
            } else if (!slug.isEmpty() && slug.charAt(slug.length() - 1) != '-') {
                slug.append('-');
            }
        }
        String name = FUNCTION_PREFIX + number + (slug.isEmpty() ? "" : "-" + slug);
        if (name.length() > NAME_MAX) {
            name = name.substring(0, NAME_MAX);
        }
        while (name.endsWith("-")) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }
}
