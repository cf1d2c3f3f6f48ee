package dev.sedge.broker.store;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The broker's durable state in one embedded MVStore file: sessions, subscriptions, queued and
 * in-flight messages, inbound QoS 2 identifiers and retained messages.
 *
 * <p>Writes go to the maps at once; {@link #barrier()} returns a future that completes when a commit
 * covering every write made before the call has reached the file. Commits are grouped: while one runs,
 * the next collects every waiter that arrives, so a busy broker commits far fewer times than it writes.
 * A commit writes to the file system (surviving a killed process); it does not fsync.
 *
 * <p>Keys are strings {@code clientId + '\u0000' + rest}, so one client's entries are contiguous.
 * Thread-safe.
 */
public final class BrokerStore implements AutoCloseable {

    /** Separates the client identifier from the rest of a key; not allowed in MQTT strings. */
    public static final char SEP = '\u0000';

    private final MVStore store;
    private final MVMap<String, byte[]> sessions;
    private final MVMap<String, byte[]> subscriptions;
    private final MVMap<String, byte[]> messages;
    private final MVMap<String, Boolean> inboundQos2;
    private final MVMap<String, byte[]> retained;
    private final MVMap<String, String> topicAliases;
    private final boolean durable;

    private final ExecutorService committer;
    /** Held shared by writes that must land in one commit, and exclusively by the commit itself. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock commitLock =
            new java.util.concurrent.locks.ReentrantReadWriteLock();

    private final Object lock = new Object();
    private CompletableFuture<Void> next;
    private boolean running;

    private BrokerStore(MVStore store, boolean durable) {
        this.store = store;
        this.durable = durable;
        this.sessions = store.openMap("sessions");
        this.subscriptions = store.openMap("subscriptions");
        this.messages = store.openMap("messages");
        this.inboundQos2 = store.openMap("inboundQos2");
        this.retained = store.openMap("retained");
        this.topicAliases = store.openMap("topicAliases");
        this.committer = Executors.newSingleThreadExecutor(
                r -> Thread.ofPlatform().name("sedge-store-commit").daemon().unstarted(r));
    }

    /** Opens (or creates) the store file. */
    public static BrokerStore open(Path file) {
        return new BrokerStore(
                new MVStore.Builder()
                        .fileName(file.toString())
                        .autoCommitDisabled()
                        .open(),
                true);
    }

    /** A store that keeps everything in memory: nothing survives a restart. For tests and embedding. */
    public static BrokerStore inMemory() {
        return new BrokerStore(new MVStore.Builder().autoCommitDisabled().open(), false);
    }

    public boolean durable() {
        return durable;
    }

    public MVMap<String, byte[]> sessions() {
        return sessions;
    }

    public MVMap<String, byte[]> subscriptions() {
        return subscriptions;
    }

    public MVMap<String, byte[]> messages() {
        return messages;
    }

    public MVMap<String, Boolean> inboundQos2() {
        return inboundQos2;
    }

    public MVMap<String, byte[]> retained() {
        return retained;
    }

    public MVMap<String, String> topicAliases() {
        return topicAliases;
    }

    /** Removes every key of one client from a map. */
    public static <V> void removeClient(MVMap<String, V> map, String clientId) {
        String prefix = clientId + SEP;
        String key = map.ceilingKey(prefix);
        while (key != null && key.startsWith(prefix)) {
            map.remove(key);
            key = map.higherKey(key);
        }
    }

    /**
     * Runs writes to several maps so that no commit falls between them: after a crash the store holds
     * all of them or none. The writes must be quick and must not wait for a commit.
     */
    public void atomically(Runnable writes) {
        commitLock.readLock().lock();
        try {
            writes.run();
        } finally {
            commitLock.readLock().unlock();
        }
    }

    /** A future that completes once every write made before this call is committed to the file. */
    public CompletableFuture<Void> barrier() {
        synchronized (lock) {
            if (next == null) {
                next = new CompletableFuture<>();
            }
            CompletableFuture<Void> mine = next;
            if (!running) {
                running = true;
                committer.execute(this::commitLoop);
            }
            return mine;
        }
    }

    private void commitLoop() {
        while (true) {
            CompletableFuture<Void> waiting;
            synchronized (lock) {
                waiting = next;
                next = null;
                if (waiting == null) {
                    running = false;
                    return;
                }
            }
            commitLock.writeLock().lock();
            try {
                store.commit();
            } catch (RuntimeException e) {
                waiting.completeExceptionally(e);
                continue;
            } finally {
                commitLock.writeLock().unlock();
            }
            waiting.complete(null);
        }
    }

    /** Commits what is left and closes the file. */
    @Override
    public void close() {
        committer.shutdown();
        synchronized (lock) {
            if (next != null) {
                next.complete(null);
            }
        }
        store.close();
    }
}
