package dev.sedge.broker;

import dev.sedge.broker.retain.RetainedMessages;
import dev.sedge.broker.router.Backlog;
import dev.sedge.broker.router.Router;
import dev.sedge.broker.router.Subscriber;
import dev.sedge.broker.router.Topics;
import dev.sedge.broker.server.BrokerStats;
import dev.sedge.broker.server.ConnectionContext;
import dev.sedge.broker.server.MqttConnection;
import dev.sedge.broker.session.SessionRegistry;
import dev.sedge.broker.store.BrokerStore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The node's MQTT broker: the TCP listener, the sessions of clients, retained messages, and the
 * {@link Router} that in-process subscribers attach to. Durable state lives in a {@link BrokerStore}.
 *
 * <p>Lifecycle: construct, {@link #start()}, then {@link #close()}. Thread-safe after start.
 */
public final class MqttBroker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.sedge.broker");
    private static final String VERSION = "sedge "
            + (MqttBroker.class.getPackage().getImplementationVersion() == null
                    ? "dev"
                    : MqttBroker.class.getPackage().getImplementationVersion());

    private final BrokerConfig config;
    private final BrokerSecurity security;
    private final BrokerStore store;
    private final boolean ownsStore;
    private final LongSupplier clockMillis;
    private final Router router = new Router();
    private final BrokerStats stats = new BrokerStats();
    private final ScheduledExecutorService timer;
    private final RetainedMessages retained;
    private final SessionRegistry sessions;
    private final long startedAtMillis;
    private EventLoopGroup group;
    private Channel serverChannel;
    private Channel tlsChannel;

    /** A broker whose state lives in memory only, open to every client. */
    public MqttBroker(BrokerConfig config) {
        this(config, BrokerStore.inMemory(), true, System::currentTimeMillis, BrokerSecurity.NONE);
    }

    /** A broker whose state lives in memory only, secured as {@code security} says. */
    public MqttBroker(BrokerConfig config, BrokerSecurity security) {
        this(config, BrokerStore.inMemory(), true, System::currentTimeMillis, security);
    }

    /** A broker whose sessions and retained messages live in the given store (closed by the caller). */
    public MqttBroker(BrokerConfig config, BrokerStore store) {
        this(config, store, false, System::currentTimeMillis, BrokerSecurity.NONE);
    }

    /**
     * A broker with its own wall clock (epoch milliseconds), which decides message and session expiry.
     * Tests step a fake clock through it instead of waiting.
     */
    public MqttBroker(BrokerConfig config, BrokerStore store, LongSupplier clockMillis) {
        this(config, store, false, clockMillis, BrokerSecurity.NONE);
    }

    /** A broker with durable state that authenticates, authorizes and listens on TLS as {@code security} says. */
    public MqttBroker(BrokerConfig config, BrokerStore store, BrokerSecurity security) {
        this(config, store, false, System::currentTimeMillis, security);
    }

    private MqttBroker(
            BrokerConfig config,
            BrokerStore store,
            boolean ownsStore,
            LongSupplier clockMillis,
            BrokerSecurity security) {
        this.config = config;
        this.security = java.util.Objects.requireNonNull(security, "security");
        this.clockMillis = clockMillis;
        this.store = store;
        this.ownsStore = ownsStore;
        this.startedAtMillis = clockMillis.getAsLong();
        this.timer = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("sedge-broker-timer").daemon().unstarted(r));
        this.retained = new RetainedMessages(store, clockMillis);
        this.sessions =
                new SessionRegistry(store, router, config.sessionLimits(), timer, clockMillis, this::publishQuietly);
    }

    /** Restores persistent sessions and retained messages, then binds the listener. */
    public void start() throws InterruptedException {
        int restoredRetained = retained.restore();
        int restoredSessions = sessions.restore();
        if (restoredSessions > 0 || restoredRetained > 0) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "restored {0} session(s) and {1} retained message(s)",
                    restoredSessions,
                    restoredRetained);
        }
        ConnectionContext context = new ConnectionContext(
                config, router, sessions, retained, stats, this::publishFromClient, clockMillis, security);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelClass =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(io);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // A client's FIN does not close the channel at once: what it sent before is read first (a
                // connection stopped by back-pressure may hold it), then the connection closes itself.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("flush", new FlushConsolidationHandler(256, true))
                                .addLast("decoder", new MqttDecoder(config.maxPacketBytes()))
                                .addLast("encoder", MqttEncoder.INSTANCE)
                                .addLast("connection", new MqttConnection(context));
                    }
                });
        try {
            serverChannel = bootstrap.bind(config.host(), config.port()).sync().channel();
            if (security.tls() != null) {
                tlsChannel = security.tls().bind(bootstrap).sync().channel();
            }
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        if (config.sysIntervalSeconds() > 0) {
            timer.scheduleAtFixedRate(this::publishSys, 0, config.sysIntervalSeconds(), TimeUnit.SECONDS);
        }
        LOG.log(
                System.Logger.Level.INFO,
                "MQTT listening on {0}:{1,number,#} ({2} transport)",
                config.host(),
                port(),
                epoll ? "epoll" : "nio");
        if (tlsChannel != null) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "MQTT over TLS listening on {0}:{1,number,#}",
                    security.tls().host(),
                    tlsPort());
        }
    }

    /** The port the TLS listener is bound to, or -1 when there is none. */
    public int tlsPort() {
        return tlsChannel == null ? -1 : ((InetSocketAddress) tlsChannel.localAddress()).getPort();
    }

    /** Who may connect and what they may do: for the connection handler. */
    public BrokerSecurity security() {
        return security;
    }

    /** The port the listener is bound to (useful when configured with port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The router, where in-process subscribers attach. */
    public Router router() {
        return router;
    }

    /** Number of clients connected now. */
    public int connectedClients() {
        return sessions.connectedCount();
    }

    /** Sessions, counters and retained messages, for metrics. */
    public SessionRegistry sessions() {
        return sessions;
    }

    public BrokerStats stats() {
        return stats;
    }

    public RetainedMessages retained() {
        return retained;
    }

    /**
     * Publishes a message from inside the node, as a client would (a retained one is kept). Full
     * backlogs slow nobody down here: there is no connection to stop reading.
     *
     * @return a future that completes when every subscriber that gates acknowledgements has the message
     * @throws IllegalArgumentException if the topic is not a valid topic name
     */
    public CompletableFuture<Void> publish(Message message) {
        String error = Topics.nameError(message.topic());
        if (error != null) {
            throw new IllegalArgumentException("invalid topic \"" + message.topic() + "\": " + error);
        }
        return publishFromClient(message, null);
    }

    /** Retains, then routes; {@code congested} is told of full backlogs, null when nobody can be slowed. */
    private CompletableFuture<Void> publishFromClient(Message message, Consumer<Backlog> congested) {
        CompletableFuture<Void> kept = message.retain() ? retained.retain(message) : Subscriber.DONE;
        CompletableFuture<Void> routed = congested == null ? router.route(message) : router.route(message, congested);
        if (kept.isDone()) {
            return routed;
        }
        return routed.thenCombine(kept, (a, b) -> (Void) null).handle((v, e) -> null);
    }

    private void publishQuietly(Message message) {
        try {
            publishFromClient(message, null);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot publish will on " + message.topic(), e);
        }
    }

    /** Publishes the $SYS statistics as retained messages (not matched by '#', MQTT-4.7.2-1). */
    private void publishSys() {
        try {
            sys("version", VERSION);
            sys("uptime", (clockMillis.getAsLong() - startedAtMillis) / 1000 + " seconds");
            sys("clients/connected", sessions.connectedCount());
            sys("clients/sessions", sessions.sessionCount());
            sys("messages/received", stats.received());
            sys("messages/sent", sessions.sentCount());
            sys("messages/dropped", sessions.droppedCount());
            sys("messages/routed", router.routedCount());
            sys("retained/count", retained.size());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot publish $SYS statistics", e);
        }
    }

    private void sys(String topic, Object value) {
        Message m = new Message(
                "$SYS/broker/" + topic,
                String.valueOf(value).getBytes(StandardCharsets.UTF_8),
                0,
                true,
                Message.MessageProperties.NONE,
                null);
        retained.retainVolatile(m);
        router.route(m);
    }

    /** Closes the listener and every client connection. Idempotent. */
    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        if (tlsChannel != null) {
            tlsChannel.close().syncUninterruptibly();
            tlsChannel = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
        timer.shutdownNow();
        if (ownsStore) {
            store.close();
        }
    }
}
