package dev.sedge.broker.bridge;

import dev.sedge.broker.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The messages the bridge forwards to the external broker: those waiting to be sent, and those sent at
 * QoS 1 or 2 and not yet acknowledged, by packet identifier in the order they were sent. Bounded: when
 * full, the oldest waiting message is dropped. Not thread-safe: used on the bridge's thread only.
 */
final class Outbox {

    /** One message to forward. */
    static final class Entry {
        final Message message;
        final int qos;
        /** The node's shared subscriptions that matched the message when it was published. */
        final List<String> served;
        /** Completes when the external broker has acknowledged, or the bridge let go of the message. */
        final CompletableFuture<Void> done;

        int packetId;
        /** QoS 2: PUBREC received and PUBREL sent; only PUBCOMP is awaited. */
        boolean released;

        /** Connections lost while this message was in flight. */
        int lostWith;

        Entry(Message message, int qos, List<String> served, CompletableFuture<Void> done) {
            this.message = message;
            this.qos = qos;
            this.served = served;
            this.done = done;
        }
    }

    private final int limit;
    private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    private final Map<Integer, Entry> inFlight = new LinkedHashMap<>();

    Outbox(int limit) {
        this.limit = limit;
    }

    /**
     * Queues a message.
     *
     * @return the entry dropped to make room (the oldest waiting one, or this one when every kept message
     *     is in flight), or null
     */
    Entry offer(Entry e) {
        if (waiting.size() + inFlight.size() < limit) {
            waiting.addLast(e);
            return null;
        }
        Entry oldest = waiting.pollFirst();
        if (oldest == null) {
            return e;
        }
        waiting.addLast(e);
        return oldest;
    }

    /** The next message to send, or null when none waits or {@code quota} messages are in flight. */
    Entry next(int quota) {
        return inFlight.size() >= quota ? null : waiting.pollFirst();
    }

    void sent(Entry e) {
        inFlight.put(e.packetId, e);
    }

    /** Puts a message back at the head of the queue, when no packet identifier was free for it. */
    void putBack(Entry e) {
        waiting.addFirst(e);
    }

    Entry inFlight(int packetId) {
        return inFlight.get(packetId);
    }

    Entry finished(int packetId) {
        return inFlight.remove(packetId);
    }

    /** The messages in flight, in the order they were first sent. */
    List<Entry> inFlight() {
        return new ArrayList<>(inFlight.values());
    }

    /** Everything kept, in flight first. */
    List<Entry> all() {
        List<Entry> all = new ArrayList<>(inFlight.values());
        all.addAll(waiting);
        return all;
    }

    /** Everything kept, in flight first, emptying the outbox. */
    List<Entry> drainAll() {
        List<Entry> all = new ArrayList<>(inFlight.values());
        all.addAll(waiting);
        inFlight.clear();
        waiting.clear();
        return all;
    }

    int size() {
        return waiting.size() + inFlight.size();
    }
}
