package dev.sedge.broker.session;

import dev.sedge.broker.Message;
import dev.sedge.broker.router.Router;
import dev.sedge.broker.router.Subscriber;
import dev.sedge.broker.store.BrokerStore;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One client's MQTT session: its subscriptions, the QoS 1 and 2 messages queued for it or in flight to
 * it, and the QoS 2 packet identifiers it has sent and not yet released. It outlives connections when
 * its expiry interval is more than zero, and then every change is written to the {@link BrokerStore}.
 *
 * <p>Thread-safe: every method holds the session's monitor, and writes to the connection are
 * non-blocking.
 */
public final class Session implements Subscriber {

    private static final System.Logger LOG = System.getLogger("dev.sedge.broker");
    private static final int MAX_PACKET_ID = 65_535;

    private final String clientId;
    private final SessionRegistry registry;
    private final BrokerStore store;
    private final boolean persistent;
    private long expirySeconds;

    private ClientLink owner; // the connection the session belongs to, from its CONNECT on
    private ClientLink link; // where to send: the owner, once its CONNACK is out
    private int sendQuota = MAX_PACKET_ID;
    private final Map<String, Router.Subscription> subscriptions = new LinkedHashMap<>();
    private final ArrayDeque<Outbound> queue = new ArrayDeque<>();
    private final Map<Integer, Outbound> inflight = new LinkedHashMap<>();
    private final Set<Integer> inboundQos2 = new HashSet<>();
    private final Map<Integer, String> topicAliases = new java.util.HashMap<>();
    private int nextPacketId = 1;
    private long nextSeq = 1;
    private boolean dropping;
    private boolean ended;

    Session(String clientId, long expirySeconds, SessionRegistry registry) {
        this.clientId = clientId;
        this.registry = registry;
        this.store = registry.store();
        this.expirySeconds = expirySeconds;
        this.persistent = expirySeconds > 0;
    }

    public String clientId() {
        return clientId;
    }

    public synchronized long expirySeconds() {
        return expirySeconds;
    }

    synchronized void expirySeconds(long seconds) {
        this.expirySeconds = seconds;
        saveRecord(0);
    }

    /** Changes the expiry interval, as an MQTT 5 DISCONNECT may (MQTT-3.14.2-2 is checked by the caller). */
    public synchronized void updateExpiry(long seconds) {
        expirySeconds(seconds);
    }

    synchronized boolean persistent() {
        return persistent;
    }

    // ---- connection ----

    /** Attaches a connection: resends what is in flight (DUP), then sends what is queued (MQTT-4.4.0-1). */
    public synchronized void attach(ClientLink newLink, int clientReceiveMaximum) {
        if (owner != newLink) {
            return; // taken over by another connection before this one's CONNACK was out (MQTT-3.1.4-3)
        }
        this.link = newLink;
        this.sendQuota = clientReceiveMaximum;
        for (Outbound o : inflight.values()) {
            if (o.phase == Outbound.Phase.AWAIT_PUBCOMP) {
                newLink.pubrel(o.packetId);
            } else {
                newLink.publish(o.message, o.packetId, true);
            }
        }
        pump();
    }

    /**
     * Gives the session to a connection being admitted, before its CONNACK is written: from now on a
     * newer connection takes it over from this one. Called by the registry under its lock.
     */
    synchronized void claim(ClientLink newOwner) {
        owner = newOwner;
    }

    /** Detaches the connection if the session belongs to it; returns whether it did. */
    synchronized boolean detach(ClientLink oldLink) {
        if (owner != oldLink) {
            return false;
        }
        owner = null;
        link = null;
        if (persistent) {
            saveRecord(registry.nowMillis());
        }
        return true;
    }

    /** The connection the session belongs to, attached or still being admitted; null when offline. */
    synchronized ClientLink owner() {
        return owner;
    }

    @Override
    public synchronized boolean available() {
        return link != null;
    }

    // ---- outbound ----

    @Override
    public synchronized CompletableFuture<Void> deliver(Message message, int qos) {
        if (ended || message.expiredAt(registry.nowMillis())) {
            return DONE;
        }
        if (qos == 0) {
            if (link != null && link.fits(message)) {
                link.publish(message, 0, false);
                registry.countSent();
            }
            return DONE;
        }
        if (queue.size() + inflight.size() >= registry.limits().maxQueuedPerClient()) {
            registry.countDropped();
            if (!dropping) {
                dropping = true;
                LOG.log(
                        System.Logger.Level.WARNING,
                        "client {0}: {1} messages queued, the limit; dropping new QoS 1/2 messages until it drains",
                        clientId,
                        registry.limits().maxQueuedPerClient());
            }
            return DONE;
        }
        Outbound o = new Outbound(nextSeq++, message);
        queue.add(o);
        CompletableFuture<Void> durable = DONE;
        if (persistent && store.durable()) {
            store.messages().put(key(o.seq), o.encode());
            durable = store.barrier();
        }
        pump();
        return durable;
    }

    /** Sends queued messages while the client's receive maximum allows. */
    private void pump() {
        while (link != null && !queue.isEmpty() && inflight.size() < sendQuota) {
            Outbound o = queue.poll();
            if (o.message.expiredAt(registry.nowMillis()) || !link.fits(o.message)) {
                forget(o); // MQTT-3.1.2-25: too large for the client is discarded as if delivered
                continue;
            }
            int id = allocatePacketId();
            if (id == 0) {
                queue.addFirst(o);
                return;
            }
            o.packetId = id;
            o.phase = o.message.qos() == 1 ? Outbound.Phase.AWAIT_PUBACK : Outbound.Phase.AWAIT_PUBREC;
            inflight.put(id, o);
            registry.countSent();
            if (persistent && store.durable() && o.message.qos() == 2) {
                // The identifier must be on file before the client can see it, or a restart could
                // send the same message under a new identifier: a duplicate at QoS 2.
                store.messages().put(key(o.seq), o.encode());
                ClientLink target = link;
                store.barrier().thenRun(() -> target.publish(o.message, id, false));
            } else {
                link.publish(o.message, id, false);
            }
        }
        if (dropping && queue.size() + inflight.size() < registry.limits().maxQueuedPerClient() / 2) {
            dropping = false;
        }
    }

    /** PUBACK from the client. */
    public synchronized void puback(int packetId) {
        Outbound o = inflight.get(packetId);
        if (o != null && o.phase == Outbound.Phase.AWAIT_PUBACK) {
            inflight.remove(packetId);
            forget(o);
            pump();
        }
    }

    /** PUBREC from the client; a failure reason code ends the exchange (MQTT 5 section 4.3.3). */
    public synchronized void pubrec(int packetId, boolean failed) {
        Outbound o = inflight.get(packetId);
        if (o == null || o.phase == Outbound.Phase.AWAIT_PUBACK) {
            return;
        }
        if (failed) {
            inflight.remove(packetId);
            forget(o);
            pump();
            return;
        }
        boolean first = o.phase == Outbound.Phase.AWAIT_PUBREC;
        o.phase = Outbound.Phase.AWAIT_PUBCOMP;
        ClientLink target = link;
        if (first && persistent && store.durable()) {
            store.messages().put(key(o.seq), o.encode());
            store.barrier().thenRun(() -> target.pubrel(packetId));
        } else if (target != null) {
            target.pubrel(packetId);
        }
    }

    /** PUBCOMP from the client. */
    public synchronized void pubcomp(int packetId) {
        Outbound o = inflight.get(packetId);
        if (o != null && o.phase == Outbound.Phase.AWAIT_PUBCOMP) {
            inflight.remove(packetId);
            forget(o);
            pump();
        }
    }

    private void forget(Outbound o) {
        if (persistent && store.durable()) {
            store.messages().remove(key(o.seq));
        }
    }

    private int allocatePacketId() {
        for (int tries = 0; tries < MAX_PACKET_ID; tries++) {
            int id = nextPacketId;
            nextPacketId = id == MAX_PACKET_ID ? 1 : id + 1;
            if (!inflight.containsKey(id)) {
                return id;
            }
        }
        return 0;
    }

    /** Messages queued and in flight, for statistics. */
    public synchronized int pending() {
        return queue.size() + inflight.size();
    }

    // ---- inbound QoS 2 ----

    /** Whether an inbound QoS 2 identifier is recorded and not yet released (a resent PUBLISH). */
    public synchronized boolean hasQos2(int packetId) {
        return inboundQos2.contains(packetId);
    }

    /** Records an inbound QoS 2 identifier; false when it is already recorded (a resend). */
    public synchronized boolean receiveQos2(int packetId) {
        if (!inboundQos2.add(packetId)) {
            return false;
        }
        if (persistent && store.durable()) {
            store.inboundQos2().put(clientId + BrokerStore.SEP + packetId, Boolean.TRUE);
        }
        return true;
    }

    /** Releases an inbound QoS 2 identifier (PUBREL); the future completes when that is on file. */
    public synchronized CompletableFuture<Void> releaseQos2(int packetId) {
        inboundQos2.remove(packetId);
        if (persistent && store.durable()) {
            store.inboundQos2().remove(clientId + BrokerStore.SEP + packetId);
            return store.barrier();
        }
        return DONE;
    }

    /** A future that completes when every change so far is on file (immediately for a clean session). */
    public CompletableFuture<Void> durable() {
        return persistent && store.durable() ? store.barrier() : DONE;
    }

    // ---- topic aliases ----

    /**
     * Sets a client-to-server topic alias. MQTT-3.3.2-7 scopes aliases to one connection; the session
     * keeps them, because widely used clients resend in-flight PUBLISHes after a reconnect with the
     * alias alone. A conforming client sets each alias again and loses nothing by this.
     */
    public synchronized void topicAlias(int alias, String topic) {
        if (!topic.equals(topicAliases.put(alias, topic)) && persistent && store.durable()) {
            store.topicAliases().put(clientId + BrokerStore.SEP + alias, topic);
        }
    }

    /** The topic of an alias, or null when it was never set. */
    public synchronized String topicAlias(int alias) {
        return topicAliases.get(alias);
    }

    // ---- subscriptions ----

    /**
     * Adds or replaces a subscription (MQTT-3.8.4-3).
     *
     * @return true when a subscription with this filter existed
     */
    public synchronized boolean subscribe(String filter, SubscriptionOptions options) {
        Router.Subscription s = new Router.Subscription(
                filter, options.qos(), this, clientId, options.noLocal(), options.retainAsPublished());
        Router.Subscription old = subscriptions.put(filter, s);
        if (old != null) {
            registry.router().unsubscribe(old);
        }
        registry.router().subscribe(s);
        if (persistent && store.durable()) {
            store.subscriptions().put(clientId + BrokerStore.SEP + filter, new byte[] {options.encode()});
        }
        return old != null;
    }

    /** Removes a subscription; returns whether it existed. */
    public synchronized boolean unsubscribe(String filter) {
        Router.Subscription old = subscriptions.remove(filter);
        if (old == null) {
            return false;
        }
        registry.router().unsubscribe(old);
        if (persistent && store.durable()) {
            store.subscriptions().remove(clientId + BrokerStore.SEP + filter);
        }
        return true;
    }

    public synchronized int subscriptionCount() {
        return subscriptions.size();
    }

    // ---- life ----

    /** Ends the session: its subscriptions leave the router and its state leaves the store. */
    synchronized void end() {
        ended = true;
        for (Router.Subscription s : subscriptions.values()) {
            registry.router().unsubscribe(s);
        }
        subscriptions.clear();
        queue.clear();
        inflight.clear();
        inboundQos2.clear();
        topicAliases.clear();
        if (persistent && store.durable()) {
            store.sessions().remove(clientId);
            BrokerStore.removeClient(store.subscriptions(), clientId);
            BrokerStore.removeClient(store.messages(), clientId);
            BrokerStore.removeClient(store.inboundQos2(), clientId);
            BrokerStore.removeClient(store.topicAliases(), clientId);
        }
    }

    synchronized boolean ended() {
        return ended;
    }

    /** Writes the session record: expiry interval and when it was last disconnected (0 = connected). */
    void saveRecord(long disconnectedAtMillis) {
        if (persistent && store.durable() && !ended) {
            store.sessions()
                    .put(
                            clientId,
                            ByteBuffer.allocate(16)
                                    .putLong(expirySeconds)
                                    .putLong(disconnectedAtMillis)
                                    .array());
        }
    }

    // ---- restore ----

    /** Rebuilds the session's state from the store after a restart. */
    synchronized void restore() {
        String prefix = clientId + BrokerStore.SEP;
        for (String k = store.subscriptions().ceilingKey(prefix);
                k != null && k.startsWith(prefix);
                k = store.subscriptions().higherKey(k)) {
            SubscriptionOptions o =
                    SubscriptionOptions.decode(store.subscriptions().get(k)[0]);
            String filter = k.substring(prefix.length());
            Router.Subscription s =
                    new Router.Subscription(filter, o.qos(), this, clientId, o.noLocal(), o.retainAsPublished());
            subscriptions.put(filter, s);
            registry.router().subscribe(s);
        }
        for (String k = store.messages().ceilingKey(prefix);
                k != null && k.startsWith(prefix);
                k = store.messages().higherKey(k)) {
            long seq = Long.parseUnsignedLong(k.substring(prefix.length()), 16);
            Outbound o = Outbound.decode(seq, store.messages().get(k));
            if (o.phase == Outbound.Phase.QUEUED) {
                queue.add(o);
            } else {
                inflight.put(o.packetId, o);
            }
            nextSeq = Math.max(nextSeq, seq + 1);
        }
        for (String k = store.topicAliases().ceilingKey(prefix);
                k != null && k.startsWith(prefix);
                k = store.topicAliases().higherKey(k)) {
            topicAliases.put(
                    Integer.parseInt(k.substring(prefix.length())),
                    store.topicAliases().get(k));
        }
        for (String k = store.inboundQos2().ceilingKey(prefix);
                k != null && k.startsWith(prefix);
                k = store.inboundQos2().higherKey(k)) {
            inboundQos2.add(Integer.parseInt(k.substring(prefix.length())));
        }
    }

    private String key(long seq) {
        return clientId + BrokerStore.SEP + String.format("%016x", seq);
    }

    @Override
    public String toString() {
        return "Session[" + clientId + "]";
    }
}
