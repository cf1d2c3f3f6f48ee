package dev.sedge.broker.auth;

import dev.sedge.broker.router.Topics;
import java.util.List;
import java.util.Map;

/**
 * The {@link Authorizer} of an ACL file: deny by default; a client may publish to a topic when a
 * {@code write} or {@code readwrite} rule that applies to it matches the topic, and subscribe to a filter
 * when one {@code read} or {@code readwrite} rule that applies to it covers the whole filter (see
 * {@link TopicPatterns#covers}). The rules that apply to a client are those for everyone, those for its
 * user (or for anonymous clients, when it has none) and those for its client identifier.
 *
 * <p>Immutable and thread-safe. Built by {@link AclFile}.
 */
public final class AclAuthorizer implements Authorizer {

    private static final String SHARE_PREFIX = "$share/";

    private final List<AclRule> everyone;
    private final List<AclRule> anonymous;
    private final Map<String, List<AclRule>> byUser;
    private final Map<String, List<AclRule>> byClient;

    AclAuthorizer(
            List<AclRule> everyone,
            List<AclRule> anonymous,
            Map<String, List<AclRule>> byUser,
            Map<String, List<AclRule>> byClient) {
        this.everyone = List.copyOf(everyone);
        this.anonymous = List.copyOf(anonymous);
        this.byUser = copy(byUser);
        this.byClient = copy(byClient);
    }

    private static Map<String, List<AclRule>> copy(Map<String, List<AclRule>> rules) {
        return rules.entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(
                        Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    }

    @Override
    public boolean canPublish(String user, String clientId, String topic) {
        return allows(user, clientId, topic, false);
    }

    @Override
    public boolean canSubscribe(String user, String clientId, String filter) {
        if (filter.startsWith(SHARE_PREFIX)) {
            // MQTT 5.0 section 4.8.2: $share/{ShareName}/{filter}; the group does not change what is read.
            int slash = filter.indexOf('/', SHARE_PREFIX.length());
            if (slash < 0) {
                return false;
            }
            filter = filter.substring(slash + 1);
        }
        return allows(user, clientId, filter, true);
    }

    private boolean allows(String user, String clientId, String topicOrFilter, boolean read) {
        return anyAllows(everyone, user, clientId, topicOrFilter, read)
                || anyAllows(user == null ? anonymous : byUser.get(user), user, clientId, topicOrFilter, read)
                || anyAllows(byClient.get(clientId), user, clientId, topicOrFilter, read);
    }

    private static boolean anyAllows(
            List<AclRule> rules, String user, String clientId, String topicOrFilter, boolean read) {
        if (rules == null) {
            return false;
        }
        for (AclRule rule : rules) {
            if (read ? !rule.access().read() : !rule.access().write()) {
                continue;
            }
            String pattern = TopicPatterns.substitute(rule.pattern(), user, clientId);
            if (pattern == null) {
                continue;
            }
            if (read ? TopicPatterns.covers(pattern, topicOrFilter) : Topics.matches(pattern, topicOrFilter)) {
                return true;
            }
        }
        return false;
    }

    /** Number of rules, for the start-up log. */
    public int size() {
        return everyone.size()
                + anonymous.size()
                + byUser.values().stream().mapToInt(List::size).sum()
                + byClient.values().stream().mapToInt(List::size).sum();
    }
}
