package dev.sedge.broker.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A trie of topic filters, one level per node, with the values subscribed at each filter.
 *
 * <p>Matching a topic walks only the branches that can match it: the literal level, {@code +} and
 * {@code #}. Thread-safe: matching runs concurrently with changes and sees each change entirely or not
 * at all per value. Emptied branches are pruned lazily, never while a match may be using them.
 *
 * @param <V> the subscribed value; values are compared with {@code equals}
 */
public final class TopicTree<V> {

    private static final class Node<V> {
        final Map<String, Node<V>> children = new ConcurrentHashMap<>();
        final List<V> values = new CopyOnWriteArrayList<>();
    }

    private final Node<V> root = new Node<>();

    /** Adds a value at a valid filter. The same value may be added at many filters. */
    public void add(String filter, V value) {
        Node<V> node = root;
        for (String level : levels(filter)) {
            node = node.children.computeIfAbsent(level, k -> new Node<>());
        }
        node.values.add(value);
    }

    /** Removes one occurrence of the value at the filter; returns whether it was there. */
    public boolean remove(String filter, V value) {
        Node<V> node = root;
        for (String level : levels(filter)) {
            node = node.children.get(level);
            if (node == null) {
                return false;
            }
        }
        return node.values.remove(value);
    }

    /** Calls the consumer for each value whose filter matches the topic name. */
    public void match(String topic, Consumer<? super V> consumer) {
        boolean dollar = topic.startsWith("$");
        match(root, topic, 0, dollar, consumer);
    }

    /** Returns the values whose filters match the topic name. */
    public List<V> match(String topic) {
        List<V> out = new ArrayList<>();
        match(topic, out::add);
        return out;
    }

    private void match(Node<V> node, String topic, int start, boolean firstLevelDollar, Consumer<? super V> consumer) {
        // firstLevelDollar: at the first level of a $-topic, wildcards do not match (MQTT-4.7.2-1).
        if (!firstLevelDollar) {
            Node<V> hash = node.children.get("#");
            if (hash != null) {
                hash.values.forEach(consumer);
            }
        }
        if (start > topic.length()) {
            node.values.forEach(consumer);
            return;
        }
        int slash = topic.indexOf('/', start);
        int end = slash < 0 ? topic.length() : slash;
        int next = slash < 0 ? topic.length() + 1 : slash + 1;
        Node<V> exact = node.children.get(topic.substring(start, end));
        if (exact != null) {
            match(exact, topic, next, false, consumer);
        }
        if (!firstLevelDollar) {
            Node<V> plus = node.children.get("+");
            if (plus != null) {
                match(plus, topic, next, false, consumer);
            }
        }
    }

    private static String[] levels(String filter) {
        return filter.split("/", -1);
    }
}
