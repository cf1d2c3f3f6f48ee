package dev.sedge.broker.retain;

import dev.sedge.broker.Message;
import dev.sedge.broker.router.Subscriber;
import dev.sedge.broker.router.Topics;
import dev.sedge.broker.store.BrokerStore;
import dev.sedge.broker.store.MessageCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The last retained message of each topic, kept in memory for lookups and in the store for restarts.
 * A retained message with an empty payload removes the topic's (MQTT-3.3.1-6). Thread-safe.
 */
public final class RetainedMessages {

    private final BrokerStore store;
    private final LongSupplier clockMillis;
    private final Map<String, Message> byTopic = new ConcurrentHashMap<>();

    public RetainedMessages(BrokerStore store, LongSupplier clockMillis) {
        this.store = store;
        this.clockMillis = clockMillis;
    }

    /** Loads what the store holds. */
    public int restore() {
        for (Map.Entry<String, byte[]> e : store.retained().entrySet()) {
            byTopic.put(e.getKey(), MessageCodec.decode(e.getValue()));
        }
        return byTopic.size();
    }

    /**
     * Keeps (or, for an empty payload, removes) the topic's retained message.
     *
     * @return a future that completes when the change is on file
     */
    public CompletableFuture<Void> retain(Message message) {
        if (message.payload().length == 0) {
            byTopic.remove(message.topic());
            if (store.durable()) {
                store.retained().remove(message.topic());
            }
        } else {
            Message kept = message.withQosAndRetain(message.qos(), true);
            byTopic.put(message.topic(), kept);
            if (store.durable()) {
                store.retained().put(message.topic(), MessageCodec.encode(kept));
            }
        }
        return store.durable() ? store.barrier() : Subscriber.DONE;
    }

    /** Keeps a retained message in memory only: statistics that are republished anyway. */
    public void retainVolatile(Message message) {
        byTopic.put(message.topic(), message);
    }

    /** The retained messages whose topics match a filter, leaving out expired ones. */
    public List<Message> matching(String filter) {
        long now = clockMillis.getAsLong();
        List<Message> out = new ArrayList<>();
        for (Message m : byTopic.values()) {
            if (Topics.matches(filter, m.topic())) {
                if (m.expiredAt(now)) {
                    byTopic.remove(m.topic(), m);
                } else {
                    out.add(m);
                }
            }
        }
        return out;
    }

    public int size() {
        return byTopic.size();
    }
}
