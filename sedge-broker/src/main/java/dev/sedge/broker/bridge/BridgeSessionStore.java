package dev.sedge.broker.bridge;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the bridge remembers about its session on the external broker across restarts: the shared
 * subscriptions that may exist there, each with its MQTT 5 subscription identifier. With it, a
 * subscription that is no longer wanted (a {@code --bridge-topic} removed while the node was down) is
 * unsubscribed instead of silently taking the group's messages, and messages queued under an identifier
 * before a restart are still told apart after it.
 *
 * <p>Called only from the bridge's own thread; implementations persist before returning.
 */
public interface BridgeSessionStore {

    /**
     * One subscription as last requested.
     *
     * @param qos the maximum QoS requested
     * @param identifier the subscription identifier, 1..268435455
     */
    record Entry(int qos, int identifier) {}

    /** Everything stored, by shared filter. */
    Map<String, Entry> load();

    void put(String sharedFilter, Entry entry);

    void remove(String sharedFilter);

    /** Forgets everything: the external broker started a new session. */
    void clear();

    /** A store that forgets on restart: for tests and for nodes that keep no state. */
    static BridgeSessionStore inMemory() {
        Map<String, Entry> entries = new LinkedHashMap<>();
        return new BridgeSessionStore() {
            @Override
            public synchronized Map<String, Entry> load() {
                return Map.copyOf(entries);
            }

            @Override
            public synchronized void put(String sharedFilter, Entry entry) {
                entries.put(sharedFilter, entry);
            }

            @Override
            public synchronized void remove(String sharedFilter) {
                entries.remove(sharedFilter);
            }

            @Override
            public synchronized void clear() {
                entries.clear();
            }
        };
    }
}
