package dev.sedge.broker.session;

import dev.sedge.broker.Message;
import dev.sedge.broker.router.Router;
import dev.sedge.broker.store.BrokerStore;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Every session by client identifier: creating, resuming, taking over and expiring them, delaying
 * wills, and restoring persistent sessions from the store after a restart. Thread-safe; changes to
 * one client identifier are serialised.
 */
public final class SessionRegistry {

    private static final System.Logger LOG = System.getLogger("dev.sedge.broker");

    /** The outcome of a CONNECT: the session to use and whether it existed (CONNACK Session Present). */
    public record Connected(Session session, boolean present) {}

    private final BrokerStore store;
    private final Router router;
    private final SessionLimits limits;
    private final ScheduledExecutorService timer;
    private final LongSupplier clockMillis;
    private final Consumer<Message> willPublisher;

    private final Object[] locks = new Object[64];
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> expiries = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> delayedWills = new ConcurrentHashMap<>();
    private final AtomicInteger connected = new AtomicInteger();
    private final LongAdder sent = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    /**
     * @param willPublisher routes a will message when it is due
     * @param clockMillis the wall clock in epoch milliseconds (message and session expiry)
     */
    public SessionRegistry(
            BrokerStore store,
            Router router,
            SessionLimits limits,
            ScheduledExecutorService timer,
            LongSupplier clockMillis,
            Consumer<Message> willPublisher) {
        this.store = store;
        this.router = router;
        this.limits = limits;
        this.timer = timer;
        this.clockMillis = clockMillis;
        this.willPublisher = willPublisher;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    BrokerStore store() {
        return store;
    }

    Router router() {
        return router;
    }

    SessionLimits limits() {
        return limits;
    }

    long nowMillis() {
        return clockMillis.getAsLong();
    }

    void countSent() {
        sent.increment();
    }

    void countDropped() {
        dropped.increment();
    }

    /**
     * Runs writes that must reach the store in one commit or not at all, such as an inbound QoS 2
     * identifier and the copies of its message queued for persistent sessions.
     */
    public void atomically(Runnable writes) {
        store.atomically(writes);
    }

    /** The session expiry the broker grants for a requested one. */
    public long grantExpiry(long requestedSeconds) {
        return Math.min(requestedSeconds, limits.maxSessionExpirySeconds());
    }

    /**
     * Finds or creates the session of a connecting client and gives it to {@code link}; a connection
     * holding it, attached or itself still being admitted, is told it was taken over. The caller writes
     * CONNACK, then calls {@link Session#attach}.
     *
     * @param cleanStart discard an existing session (MQTT 5 Clean Start, MQTT 3.1.1 Clean Session)
     * @param expirySeconds the granted session expiry interval
     * @param link the connecting client's connection
     */
    public Connected connect(String clientId, boolean cleanStart, long expirySeconds, ClientLink link) {
        synchronized (lockFor(clientId)) {
            cancel(expiries.remove(clientId));
            cancel(delayedWills.remove(clientId)); // MQTT-3.1.3-9: a reconnect cancels a delayed will
            Session existing = sessions.get(clientId);
            if (existing != null) {
                ClientLink old = existing.owner();
                if (old != null) {
                    old.takenOver();
                    if (existing.detach(old)) {
                        connected.decrementAndGet();
                    }
                }
                if (cleanStart) {
                    existing.end();
                    sessions.remove(clientId);
                    existing = null;
                }
            }
            boolean present = existing != null;
            Session session = existing;
            if (session == null) {
                session = new Session(clientId, expirySeconds, this);
                sessions.put(clientId, session);
            } else {
                session.expirySeconds(expirySeconds);
            }
            session.claim(link); // before the lock is released, so the next CONNECT sees whom to take it from
            session.saveRecord(0);
            connected.incrementAndGet();
            return new Connected(session, present);
        }
    }

    /**
     * A connection ended. The session expires at once (expiry 0) or after its expiry interval; a will
     * is published now, after its delay, or when the session ends, whichever comes first.
     *
     * @param will the will to publish, or null (normal DISCONNECT, or none)
     * @param willDelaySeconds MQTT 5 Will Delay Interval
     */
    public void disconnected(Session session, ClientLink link, Message will, long willDelaySeconds) {
        String clientId = session.clientId();
        synchronized (lockFor(clientId)) {
            if (!session.detach(link)) {
                // Taken over: the new connection owns the session; only the will of this one is due.
                if (will != null) {
                    willPublisher.accept(will);
                }
                return;
            }
            connected.decrementAndGet();
            long expiry = session.expirySeconds();
            if (expiry == 0) {
                session.end();
                sessions.remove(clientId, session);
                if (will != null) {
                    willPublisher.accept(will);
                }
                return;
            }
            if (will != null) {
                if (willDelaySeconds == 0) {
                    willPublisher.accept(will);
                } else {
                    long delay = Math.min(willDelaySeconds, expiry);
                    delayedWills.put(
                            clientId,
                            timer.schedule(
                                    () -> {
                                        delayedWills.remove(clientId);
                                        willPublisher.accept(will);
                                    },
                                    delay,
                                    TimeUnit.SECONDS));
                }
            }
            scheduleExpiry(session, expiry);
        }
    }

    private void scheduleExpiry(Session session, long seconds) {
        if (seconds >= SessionLimits.NEVER) {
            return;
        }
        String clientId = session.clientId();
        expiries.put(clientId, timer.schedule(() -> expire(session), seconds, TimeUnit.SECONDS));
    }

    private void expire(Session session) {
        String clientId = session.clientId();
        synchronized (lockFor(clientId)) {
            if (sessions.get(clientId) != session || session.owner() != null) {
                return;
            }
            expiries.remove(clientId);
            ScheduledFuture<?> will = delayedWills.remove(clientId);
            session.end();
            sessions.remove(clientId);
            if (will != null && will.cancel(false)) {
                LOG.log(System.Logger.Level.DEBUG, "session {0} expired before its will delay", clientId);
            }
        }
        session.durable();
    }

    /** Rebuilds persistent sessions from the store: subscriptions, queues, in-flight state and expiry. */
    public int restore() {
        int n = 0;
        long now = nowMillis();
        for (String clientId : List.copyOf(store.sessions().keySet())) {
            ByteBuffer record = ByteBuffer.wrap(store.sessions().get(clientId));
            long expiry = record.getLong();
            long disconnectedAt = record.getLong();
            Session s = new Session(clientId, expiry, this);
            // A session that was connected when the node stopped was disconnected then.
            long since = disconnectedAt == 0 ? 0 : Math.max(0, now - disconnectedAt) / 1000;
            if (expiry < SessionLimits.NEVER && since >= expiry) {
                s.end();
                continue;
            }
            s.restore();
            sessions.put(clientId, s);
            scheduleExpiry(s, expiry >= SessionLimits.NEVER ? expiry : expiry - since);
            s.saveRecord(disconnectedAt == 0 ? now : disconnectedAt);
            n++;
        }
        store.barrier();
        return n;
    }

    private Object lockFor(String clientId) {
        // Striped: changes to one identifier are serialised, different identifiers rarely contend.
        return locks[Math.floorMod(clientId.hashCode(), locks.length)];
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    /** Clients connected now. */
    public int connectedCount() {
        return connected.get();
    }

    /** Sessions held now, connected or not. */
    public int sessionCount() {
        return sessions.size();
    }

    /** QoS 1/2 messages dropped because a client's queue was full. */
    public long droppedCount() {
        return dropped.sum();
    }

    /** PUBLISH packets sent to clients. */
    public long sentCount() {
        return sent.sum();
    }

    /** The session of a client, or null. */
    public Session get(String clientId) {
        return sessions.get(clientId);
    }
}
