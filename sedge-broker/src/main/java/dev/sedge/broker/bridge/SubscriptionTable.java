package dev.sedge.broker.bridge;

import dev.sedge.broker.router.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bridge's shared subscriptions on the external broker: those wanted (with their holders), those
 * that may exist in the external session (persisted, with subscription identifiers), and those asked for
 * on the current connection. {@link #changes()} says what to SUBSCRIBE and UNSUBSCRIBE to bring the
 * session to what is wanted. Not thread-safe: used on the bridge's thread only.
 */
final class SubscriptionTable {

    /** The largest subscription identifier (MQTT 5.0 section 3.8.2.1.2). */
    private static final int MAX_IDENTIFIER = 268_435_455;

    /**
     * One request to send.
     *
     * @param subscribe SUBSCRIBE when true, UNSUBSCRIBE when false
     */
    record Change(String sharedFilter, int qos, int identifier, boolean subscribe) {}

    private final BridgeSessionStore store;
    private final Map<String, List<BridgeSubscription>> wanted = new LinkedHashMap<>();
    private final Map<String, BridgeSessionStore.Entry> session = new LinkedHashMap<>();
    private final Map<Integer, String> byIdentifier = new HashMap<>();
    private final Map<String, Integer> requested = new HashMap<>();
    private final Set<String> leaving = new HashSet<>();
    private int nextIdentifier = 1;

    SubscriptionTable(BridgeSessionStore store) {
        this.store = store;
        for (Map.Entry<String, BridgeSessionStore.Entry> e : store.load().entrySet()) {
            session.put(e.getKey(), e.getValue());
            byIdentifier.put(e.getValue().identifier(), e.getKey());
            nextIdentifier = Math.max(nextIdentifier, e.getValue().identifier() + 1);
        }
    }

    void add(BridgeSubscription s) {
        wanted.computeIfAbsent(s.sharedFilter(), f -> new ArrayList<>(1)).add(s);
    }

    void remove(BridgeSubscription s) {
        List<BridgeSubscription> holders = wanted.get(s.sharedFilter());
        if (holders != null && holders.remove(s) && holders.isEmpty()) {
            wanted.remove(s.sharedFilter());
        }
    }

    /** The shared filters wanted now. */
    Set<String> wanted() {
        return wanted.keySet();
    }

    /** The wanted shared filters whose topic filter matches the topic. */
    List<String> matching(String topic) {
        List<String> out = List.of();
        for (String f : wanted.keySet()) {
            if (Topics.matches(BridgeOrigin.plainFilter(f), topic)) {
                if (out.isEmpty()) {
                    out = new ArrayList<>(2);
                }
                out.add(f);
            }
        }
        return out;
    }

    /** A new connection: with {@code sessionPresent} false the external broker has forgotten everything. */
    void connected(boolean sessionPresent) {
        requested.clear();
        leaving.clear();
        if (!sessionPresent) {
            session.clear();
            byIdentifier.clear();
            store.clear();
        }
    }

    void disconnected() {
        requested.clear();
        leaving.clear();
    }

    /**
     * What to send now. Every wanted filter is subscribed once per connection (again when its QoS
     * changes), and every filter of the session no longer wanted is unsubscribed; each is recorded
     * as sent, and persisted before it is sent.
     */
    List<Change> changes() {
        List<Change> out = new ArrayList<>();
        for (Map.Entry<String, List<BridgeSubscription>> e : wanted.entrySet()) {
            String filter = e.getKey();
            int qos = e.getValue().stream()
                    .mapToInt(BridgeSubscription::qos)
                    .max()
                    .orElse(0);
            Integer asked = requested.get(filter);
            if (asked != null && asked == qos) {
                continue;
            }
            BridgeSessionStore.Entry known = session.get(filter);
            int id = known != null ? known.identifier() : newIdentifier(filter);
            BridgeSessionStore.Entry entry = new BridgeSessionStore.Entry(qos, id);
            session.put(filter, entry);
            store.put(filter, entry);
            requested.put(filter, qos);
            out.add(new Change(filter, qos, id, true));
        }
        for (String filter : session.keySet()) {
            if (!wanted.containsKey(filter) && leaving.add(filter)) {
                requested.remove(filter);
                out.add(new Change(filter, 0, session.get(filter).identifier(), false));
            }
        }
        return out;
    }

    /** The external broker confirmed an UNSUBSCRIBE. */
    void unsubscribed(String filter) {
        leaving.remove(filter);
        if (!wanted.containsKey(filter)) {
            BridgeSessionStore.Entry gone = session.remove(filter);
            if (gone != null) {
                byIdentifier.remove(gone.identifier());
            }
            store.remove(filter);
        }
    }

    /**
     * The shared subscription a PUBLISH arrived through: by its subscription identifier, else the only
     * subscription of the session whose filter matches the topic.
     *
     * @return the shared filter, or null when it cannot be told
     */
    String via(String topic, List<Integer> identifiers) {
        if (identifiers.size() == 1) {
            String f = byIdentifier.get(identifiers.getFirst());
            if (f != null && Topics.matches(BridgeOrigin.plainFilter(f), topic)) {
                return f;
            }
        }
        String found = null;
        for (String f : session.keySet()) {
            if (Topics.matches(BridgeOrigin.plainFilter(f), topic)) {
                if (found != null) {
                    return null; // overlapping subscriptions and no identifier to choose between them
                }
                found = f;
            }
        }
        return found;
    }

    private int newIdentifier(String filter) {
        while (byIdentifier.containsKey(nextIdentifier) || nextIdentifier > MAX_IDENTIFIER) {
            nextIdentifier = nextIdentifier >= MAX_IDENTIFIER ? 1 : nextIdentifier + 1;
        }
        int id = nextIdentifier++;
        byIdentifier.put(id, filter);
        return id;
    }
}
