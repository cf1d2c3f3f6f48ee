package dev.sedge.broker.bridge;

import dev.sedge.broker.Message;
import dev.sedge.broker.router.Router;
import dev.sedge.broker.router.Subscriber;
import dev.sedge.broker.router.Topics;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;

/**
 * A bridge from the node's router to an external MQTT broker (EMQX, HiveMQ, VerneMQ, Mosquitto...),
 * so that several nodes share one broker cluster's load. It is an MQTT 5 client of that broker:
 *
 * <ul>
 *   <li><b>In:</b> it holds shared subscriptions ({@code $share/GROUP/FILTER}) in a persistent session
 *       (clean start 0, a session expiry), routes each message it receives into the local {@link
 *       Router} like a local client's, and acknowledges it (PUBACK, PUBREC) only when the router's
 *       future completes, that is when every trigger with {@code ack: on-complete} has finished. A
 *       message whose node dies first is left unacknowledged, and the external broker sends it again.
 *       While a local subscriber's backlog it fed is full, the connection is not read from.
 *   <li><b>Out:</b> it subscribes to the local router and forwards every message published by the node
 *       itself (publisher id null: replies, dead letters) at its QoS, marked with {@link
 *       BridgeOrigin#MARKER} and {@link BridgeOrigin#SERVED}. Messages routed in by the bridge have a
 *       publisher id, so they never go back out; marked messages that come back to a group that had
 *       them already are acknowledged and dropped.
 *   <li><b>Link:</b> it reconnects after a lost connection, with {@link Backoff}, and logs one line per
 *       change of state, not per attempt.
 * </ul>
 *
 * <p>Lifecycle: construct, {@link #subscribe} any number of times, {@link #start()}, {@link #close()}.
 * Thread-safe: every public method may be called from any thread; the bridge's state lives on its own
 * single event-loop thread, which is also the connection's.
 */
public final class MqttBridge implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.sedge.bridge");

    /**
     * The local filters whose messages the bridge forwards: every topic, and the node's own {@code
     * $sedge/...} topics (dead letters), which {@code #} does not match (MQTT-4.7.2-1). Other
     * {@code $}-topics stay local.
     */
    public static final List<String> FORWARDED_FILTERS = List.of("#", "$sedge/#");

    /** A connection that lasted this long starts the backoff from the beginning when it is lost. */
    static final Duration STABLE_CONNECTION = Duration.ofSeconds(30);

    static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    /**
     * A message in flight on this many connections that were lost before they became stable is dropped: a
     * broker that disconnects whoever sends it would otherwise be sent it again after every reconnection.
     */
    static final int LOST_CONNECTIONS_MAX = 3;

    private final BridgeConfig config;
    private final Router router;
    private final SslContext ssl;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Class<? extends Channel> channelClass;
    private final LongSupplier nanoTime;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Router.Subscription> forwarders = new ArrayList<>();

    private final LongAdder received = new LongAdder();
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder echoes = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private volatile boolean up;
    private volatile Set<String> confirmed = Set.of();

    // Confined to the loop.
    private final SubscriptionTable subscriptions;
    private final Outbox outbox;
    private final PacketIds packetIds = new PacketIds();
    private final Map<Integer, SubscriptionTable.Change> awaitingSubAck = new HashMap<>();
    private final Map<Integer, String> awaitingUnsubAck = new HashMap<>();
    private final Set<Integer> warnedReasonCodes = new HashSet<>();
    private final Set<String> confirmedNow = new LinkedHashSet<>();
    private BridgeConnection connection;
    private int failures;
    private String lastFailure;
    private long connectedAtNanos;
    private boolean warnedOutboxFull;

    /**
     * @param config how to connect
     * @param router the local router: where messages from the external broker go, and where the node's
     *     own messages are picked up
     * @param store where the session's subscriptions are remembered across restarts
     * @throws IllegalArgumentException if the CA file cannot be used
     */
    public MqttBridge(BridgeConfig config, Router router, BridgeSessionStore store) {
        this(config, router, store, System::nanoTime);
    }

    MqttBridge(BridgeConfig config, Router router, BridgeSessionStore store, LongSupplier nanoTime) {
        this.config = config;
        this.router = router;
        this.nanoTime = nanoTime;
        this.ssl = config.endpoint().tls() ? sslContext(config) : null;
        this.subscriptions = new SubscriptionTable(store);
        this.outbox = new Outbox(config.outboxLimit());
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.channelClass = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sedge-bridge", true), io);
        this.loop = group.next();
    }

    private static SslContext sslContext(BridgeConfig config) {
        SslContextBuilder b = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
        if (config.caFile() != null) {
            b.trustManager(config.caFile().toFile());
        } // else the JDK's default trust store
        try {
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("CA file " + config.caFile() + ": " + describe(e), e);
        }
    }

    /**
     * Asks for a shared subscription {@code $share/GROUP/FILTER} on the external broker, held until
     * {@link #unsubscribe}. Returns at once; the SUBSCRIBE is sent when connected.
     *
     * @throws IllegalArgumentException if the group or the filter is invalid
     */
    public BridgeSubscription subscribe(String group, String filter, int qos) {
        String groupError = BridgeOrigin.groupError(group);
        if (groupError != null) {
            throw new IllegalArgumentException("invalid share name \"" + group + "\": " + groupError);
        }
        String filterError = Topics.filterError(filter);
        if (filterError == null && filter.startsWith("$share/")) {
            filterError = "give the plain filter; the bridge makes it a shared subscription";
        }
        if (filterError != null) {
            throw new IllegalArgumentException("invalid topic filter \"" + filter + "\": " + filterError);
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2, was " + qos);
        }
        BridgeSubscription s = new BridgeSubscription(BridgeOrigin.sharedFilter(group, filter), qos);
        onLoop(() -> {
            subscriptions.add(s);
            sync();
        });
        return s;
    }

    /** Gives a subscription back; the last holder of a shared filter unsubscribes it. */
    public void unsubscribe(BridgeSubscription s) {
        onLoop(() -> {
            subscriptions.remove(s);
            sync();
        });
    }

    /** Starts forwarding and connecting; returns at once. Connection problems are logged, never thrown. */
    public void start() {
        if (closed.get() || !started.compareAndSet(false, true)) {
            return;
        }
        Subscriber forwarder = this::forward;
        for (String filter : FORWARDED_FILTERS) {
            forwarders.add(router.subscribe(new Router.Subscription(filter, 2, forwarder, null, false)));
        }
        LOG.log(
                System.Logger.Level.INFO,
                "bridge to {0} as client {1}: connecting",
                config.endpoint().url(),
                config.clientId());
        onLoop(this::connect);
    }

    public String clientId() {
        return config.clientId();
    }

    public BridgeEndpoint endpoint() {
        return config.endpoint();
    }

    /** Whether the bridge is connected to the external broker now. */
    public boolean isConnected() {
        return up;
    }

    /** The shared subscriptions the external broker has confirmed on the current connection. */
    public Set<String> subscribed() {
        return confirmed;
    }

    /** Messages received from the external broker and routed into the node. */
    public long receivedCount() {
        return received.sum();
    }

    /** Messages of the node sent to the external broker. */
    public long forwardedCount() {
        return forwarded.sum();
    }

    /**
     * Messages dropped on arrival because the group they came through had them already: this node's own
     * forwarded messages coming back, and those another member of the group forwarded after handling them.
     */
    public long echoCount() {
        return echoes.sum();
    }

    /**
     * Messages to forward that were dropped: the outbox was full, a message was too large for the broker
     * or refused by it, or in flight on {@value #LOST_CONNECTIONS_MAX} short-lived connections.
     */
    public long droppedCount() {
        return dropped.sum();
    }

    // ---- Out: the node's own messages to the external broker.

    private CompletableFuture<Void> forward(Message m, int qos) {
        if (m.publisherId() != null) {
            return Subscriber.DONE; // a client's message, or one the bridge routed in: never sent back out
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!onLoop(() -> enqueue(m, qos, done))) {
            return Subscriber.DONE;
        }
        return qos == 0 ? Subscriber.DONE : done;
    }

    private void enqueue(Message m, int qos, CompletableFuture<Void> done) {
        if (closed.get()) {
            done.complete(null);
            return;
        }
        // The node's own triggers and subscribers in these groups have it already, here.
        Outbox.Entry e = new Outbox.Entry(m, qos, subscriptions.matching(m.topic()), done);
        Outbox.Entry gone = outbox.offer(e);
        if (gone != null) {
            dropped.increment();
            gone.done.complete(null);
            if (!warnedOutboxFull) {
                warnedOutboxFull = true;
                LOG.log(
                        System.Logger.Level.WARNING,
                        "bridge outbox full ({0} messages): dropping the oldest until {1} is reachable again",
                        config.outboxLimit(),
                        config.endpoint().url());
            }
        }
        if (connection == null) {
            // Kept for when the broker is back; the local publisher's acknowledgement does not wait for it.
            e.done.complete(null);
        } else {
            drain();
        }
    }

    /** Sends what waits, as far as the broker's Receive Maximum allows (MQTT-4.9.0-2). */
    private void drain() {
        BridgeConnection c = connection;
        if (c == null) {
            return;
        }
        Outbox.Entry e;
        while ((e = outbox.next(c.sendQuota())) != null) {
            long size = PublishProperties.packetSizeBound(
                    e.message.topic(), e.message.payload(), e.message.properties(), config.clientId(), e.served);
            if (size > c.maxPacketBytes()) {
                dropped.increment();
                e.done.complete(null);
                LOG.log(
                        System.Logger.Level.WARNING,
                        "bridge: a message on {0} ({1} bytes) is larger than {2} accepts ({3} bytes); not forwarded",
                        e.message.topic(),
                        size,
                        config.endpoint().url(),
                        c.maxPacketBytes());
                continue;
            }
            int qos = Math.min(e.qos, c.maxQos()); // MQTT-3.2.2-11
            if (qos == 0) {
                c.publish(e, 0, 0, false, config.clientId());
                forwarded.increment();
                e.done.complete(null);
                continue;
            }
            int id = packetIds.allocate();
            if (id == 0) {
                outbox.putBack(e);
                return;
            }
            e.packetId = id;
            outbox.sent(e);
            c.publish(e, qos, id, false, config.clientId());
            forwarded.increment();
        }
    }

    void pubAck(BridgeConnection c, int packetId, int reasonCode) {
        Outbox.Entry e = outbox.finished(packetId);
        if (e == null) {
            return; // not ours (any more): nothing to do
        }
        packetIds.release(packetId);
        refused(e, reasonCode);
        e.done.complete(null);
        drain();
    }

    void pubRec(BridgeConnection c, int packetId, int reasonCode) {
        Outbox.Entry e = outbox.inFlight(packetId);
        if (e == null || reasonCode >= 0x80) {
            if (e != null) {
                outbox.finished(packetId);
                packetIds.release(packetId);
                refused(e, reasonCode);
                e.done.complete(null);
                drain();
            }
            return;
        }
        e.released = true;
        c.pubRel(packetId);
    }

    void pubComp(BridgeConnection c, int packetId) {
        Outbox.Entry e = outbox.finished(packetId);
        if (e != null) {
            packetIds.release(packetId);
            e.done.complete(null);
            drain();
        }
    }

    private void refused(Outbox.Entry e, int reasonCode) {
        if (reasonCode >= 0x80) {
            dropped.increment();
        }
        if (reasonCode >= 0x80 && warnedReasonCodes.add(reasonCode)) {
            // Once per reason and connection: a broker that refuses one message usually refuses them all.
            LOG.log(
                    System.Logger.Level.WARNING,
                    "bridge: {0} refused a message on {1} (reason code {2}); such messages are not forwarded",
                    config.endpoint().url(),
                    e.message.topic(),
                    BridgeConnection.hex((byte) reasonCode));
        }
    }

    // ---- In: messages from the external broker into the router.

    void received(
            BridgeConnection c,
            String topic,
            byte[] payload,
            int qos,
            int packetId,
            PublishProperties.Inbound props,
            List<Integer> identifiers) {
        String via = subscriptions.via(topic, identifiers);
        if (props.origins().contains(config.clientId())
                || (via != null && props.served().contains(via))) {
            // Back from this node, or from a node of the same group that had it already: the group has it.
            echoes.increment();
            c.acknowledge(packetId, qos);
            return;
        }
        received.increment();
        Message m = new Message(topic, payload, qos, false, props.properties(), BridgeOrigin.publisherId(via));
        CompletableFuture<Void> done;
        try {
            done = router.route(m, c::congested); // a full trigger stops the link being read, as a client
        } catch (RuntimeException e) {
            // The router isolates its subscribers; this is a bug, and the message must not stay unacknowledged.
            LOG.log(System.Logger.Level.ERROR, "bridge: routing a message on " + topic + " failed", e);
            done = Subscriber.DONE;
        }
        if (qos == 0) {
            return;
        }
        if (done.isDone()) {
            c.acknowledge(packetId, qos);
        } else {
            // The ack rule: only once the local triggers that asked for it (ack: on-complete) have finished.
            done.whenComplete((v, t) -> onLoop(() -> c.acknowledge(packetId, qos)));
        }
    }

    // ---- Subscriptions.

    private void sync() {
        BridgeConnection c = connection;
        if (c == null) {
            return;
        }
        for (SubscriptionTable.Change change : subscriptions.changes()) {
            int id = packetIds.allocate();
            if (id == 0) {
                LOG.log(System.Logger.Level.WARNING, "bridge: no packet identifier free for {0}", change);
                continue;
            }
            if (change.subscribe()) {
                awaitingSubAck.put(id, change);
                c.subscribe(id, change);
            } else {
                awaitingUnsubAck.put(id, change.sharedFilter());
                c.unsubscribe(id, change.sharedFilter());
            }
        }
    }

    void subAck(BridgeConnection c, int packetId, List<Integer> reasonCodes) {
        SubscriptionTable.Change change = awaitingSubAck.remove(packetId);
        if (change == null) {
            return;
        }
        packetIds.release(packetId);
        int code = reasonCodes.isEmpty() ? 0x80 : reasonCodes.getFirst();
        if (code >= 0x80) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "bridge: {0} refused the subscription {1} (reason code {2}); it is asked for again on the next"
                            + " connection",
                    config.endpoint().url(),
                    change.sharedFilter(),
                    BridgeConnection.hex((byte) code));
        } else {
            LOG.log(System.Logger.Level.INFO, "bridge: subscribed {0} at QoS {1}", change.sharedFilter(), code);
            confirmedNow.add(change.sharedFilter());
            confirmed = Set.copyOf(confirmedNow);
        }
    }

    void unsubAck(BridgeConnection c, int packetId) {
        String filter = awaitingUnsubAck.remove(packetId);
        if (filter == null) {
            return;
        }
        packetIds.release(packetId);
        subscriptions.unsubscribed(filter);
        if (!subscriptions.wanted().contains(filter) && confirmedNow.remove(filter)) {
            confirmed = Set.copyOf(confirmedNow);
        }
        LOG.log(System.Logger.Level.INFO, "bridge: unsubscribed {0}", filter);
    }

    // ---- The link.

    private void connect() {
        if (closed.get()) {
            return;
        }
        String host = config.endpoint().host();
        // Name resolution blocks: it runs off the event loop.
        Thread.ofVirtual().name("sedge-bridge-resolve").start(() -> {
            try {
                InetSocketAddress address = new InetSocketAddress(
                        InetAddress.getByName(host), config.endpoint().port());
                onLoop(() -> open(address));
            } catch (UnknownHostException e) {
                onLoop(() -> closed(null, false, "unknown host " + host));
            }
        });
    }

    private void open(InetSocketAddress address) {
        if (closed.get()) {
            return;
        }
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (ssl != null) {
                            // The URL's host name, for SNI and for checking the certificate against it.
                            ch.pipeline()
                                    .addLast(
                                            "tls",
                                            ssl.newHandler(
                                                    ch.alloc(),
                                                    config.endpoint().host(),
                                                    config.endpoint().port()));
                        }
                        ch.pipeline()
                                .addLast("decoder", new MqttDecoder(config.maxPacketBytes()))
                                .addLast("encoder", MqttEncoder.INSTANCE)
                                .addLast("bridge", new BridgeConnection(MqttBridge.this, config));
                    }
                });
        b.connect(address).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                closed(null, false, describe(f.cause()));
            }
        });
    }

    void connected(BridgeConnection c, boolean sessionPresent) {
        if (closed.get()) {
            c.disconnect();
            return;
        }
        connection = c;
        up = true;
        connectedAtNanos = nanoTime.getAsLong();
        lastFailure = null;
        warnedOutboxFull = false;
        warnedReasonCodes.clear();
        subscriptions.connected(sessionPresent);
        LOG.log(
                System.Logger.Level.INFO,
                "bridge connected to {0} as {1} ({2}); {3} subscription(s), {4} message(s) to forward",
                config.endpoint().url(),
                config.clientId(),
                sessionPresent ? "session resumed" : "new session",
                subscriptions.wanted().size(),
                outbox.size());
        sync();
        // Messages in flight when the last connection was lost: sent again (MQTT-4.4.0-1).
        for (Outbox.Entry e : outbox.inFlight()) {
            if (e.lostWith >= LOST_CONNECTIONS_MAX) {
                outbox.finished(e.packetId);
                packetIds.release(e.packetId);
                dropped.increment();
                LOG.log(
                        System.Logger.Level.WARNING,
                        "bridge: dropped a message on {0}: in flight on {1} connections lost soon after they began",
                        e.message.topic(),
                        e.lostWith);
            } else if (sessionPresent) {
                if (e.released) {
                    c.pubRel(e.packetId);
                } else {
                    c.publish(e, Math.min(e.qos, c.maxQos()), e.packetId, true, config.clientId());
                }
            } else if (e.released) {
                outbox.finished(e.packetId); // the old session had it (PUBREC); it is gone with the session
                packetIds.release(e.packetId);
            } else {
                c.publish(e, Math.min(e.qos, c.maxQos()), e.packetId, false, config.clientId());
            }
        }
        drain();
    }

    void closed(BridgeConnection c, boolean wasConnected, String reason) {
        boolean stable = wasConnected && nanoTime.getAsLong() - connectedAtNanos >= STABLE_CONNECTION.toNanos();
        if (c != null && c == connection) {
            connection = null;
            up = false;
            subscriptions.disconnected();
            confirmedNow.clear();
            confirmed = Set.of();
            awaitingSubAck.keySet().forEach(packetIds::release);
            awaitingUnsubAck.keySet().forEach(packetIds::release);
            awaitingSubAck.clear();
            awaitingUnsubAck.clear();
            if (!stable) {
                // A broker that drops the connection over a message does so soon after it is sent.
                outbox.inFlight().forEach(e -> e.lostWith++);
            }
            // Kept to be sent again; the local publishers do not wait for the broker's return.
            outbox.all().forEach(e -> e.done.complete(null));
        }
        if (closed.get()) {
            return;
        }
        failures = stable ? 1 : failures + 1;
        Duration delay =
                config.backoff().delay(failures, ThreadLocalRandom.current().nextDouble());
        String in = seconds(delay);
        if (wasConnected) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "bridge to {0} lost: {1}; reconnecting in {2}",
                    config.endpoint().url(),
                    reason,
                    in);
        } else if (!reason.equals(lastFailure)) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "bridge cannot connect to {0}: {1}; retrying in {2}, then backing off up to {3}"
                            + " (logged again when the reason changes)",
                    config.endpoint().url(),
                    reason,
                    in,
                    seconds(config.backoff().max()));
        } else {
            LOG.log(System.Logger.Level.DEBUG, "bridge: still cannot connect ({0}); retrying in {1}", reason, in);
        }
        lastFailure = reason;
        loop.schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Stops: the node's messages are no longer forwarded, and the connection ends with a normal
     * DISCONNECT, so the external broker keeps the session and queues for it until it expires. Messages
     * still waiting to be forwarded are dropped. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Router.Subscription s : forwarders) {
            router.unsubscribe(s);
        }
        try {
            ChannelFuture closing = loop.submit(() -> {
                        for (Outbox.Entry e : outbox.drainAll()) {
                            e.done.complete(null);
                        }
                        BridgeConnection c = connection;
                        connection = null;
                        up = false;
                        return c == null ? null : c.disconnect();
                    })
                    .get();
            if (closing != null) {
                closing.awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        } catch (RejectedExecutionException | ExecutionException e) {
            // Nothing left to stop on the loop.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (started.get()) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "bridge to {0} closed",
                    config.endpoint().url());
        }
    }

    /** Runs a task on the bridge's thread; false when the bridge is closed. */
    private boolean onLoop(Runnable task) {
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** The innermost message of a cause, for one log line. */
    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null || message.isBlank()) {
            return root.getClass().getSimpleName();
        }
        // Netty's native transport prefixes the system call: "finishConnect(..) failed with error(-111): ".
        return message.replaceFirst("^\\S+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ", "");
    }

    private static String seconds(Duration d) {
        return d.toMillis() < 1000
                ? d.toMillis() + " ms"
                : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
