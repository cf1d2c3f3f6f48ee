package dev.sedge.node.bridge;

import dev.sedge.broker.bridge.BridgeSessionStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * What a node's bridge keeps in the data directory, in its own MVStore file: the MQTT client id, made
 * once per data directory so that the node resumes its session on the external broker after a restart,
 * and the session's subscriptions ({@link BridgeSessionStore}). Every change is committed before the
 * call returns. Thread-safe.
 */
public final class BridgeState implements BridgeSessionStore, AutoCloseable {

    private static final String CLIENT_ID = "client-id";

    private final MVStore store;
    private final MVMap<String, String> identity;
    private final MVMap<String, String> subscriptions;

    public BridgeState(Path file) {
        this.store = new MVStore.Builder()
                .fileName(file.toString())
                .autoCommitDisabled()
                .open();
        this.identity = store.openMap("identity");
        this.subscriptions = store.openMap("subscriptions");
    }

    /**
     * The client id of this data directory: {@code sedge} and 16 random hexadecimal digits, made on first
     * use. Random rather than derived from the path, because nodes on different machines often use the
     * same path, and two nodes with one client id would take each other's session over. At most 23
     * letters and digits, which every MQTT 5 server accepts (MQTT-3.1.3-5).
     */
    public synchronized String clientId() {
        String id = identity.get(CLIENT_ID);
        if (id == null) {
            byte[] random = new byte[8];
            new SecureRandom().nextBytes(random);
            id = "sedge" + HexFormat.of().formatHex(random);
            identity.put(CLIENT_ID, id);
            store.commit();
        }
        return id;
    }

    @Override
    public synchronized Map<String, Entry> load() {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : subscriptions.entrySet()) {
            String[] parts = e.getValue().split(":", 2);
            out.put(e.getKey(), new Entry(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
        }
        return out;
    }

    @Override
    public synchronized void put(String sharedFilter, Entry entry) {
        subscriptions.put(sharedFilter, entry.qos() + ":" + entry.identifier());
        store.commit();
    }

    @Override
    public synchronized void remove(String sharedFilter) {
        if (subscriptions.remove(sharedFilter) != null) {
            store.commit();
        }
    }

    @Override
    public synchronized void clear() {
        if (!subscriptions.isEmpty()) {
            subscriptions.clear();
            store.commit();
        }
    }

    @Override
    public synchronized void close() {
        store.close();
    }
}
