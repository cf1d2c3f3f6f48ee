package dev.sedge.broker;

import dev.sedge.broker.router.Router;
import dev.sedge.broker.router.Topics;
import dev.sedge.broker.server.MqttConnection;
import dev.sedge.broker.server.SessionRegistry;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The node's MQTT broker: one TCP listener, the sessions of connected clients and the {@link Router}
 * that in-process subscribers attach to.
 *
 * <p>Lifecycle: construct, {@link #start()}, then {@link #close()}. Thread-safe after start.
 */
public final class MqttBroker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.sedge.broker");

    private final BrokerConfig config;
    private final BrokerSecurity security;
    private final Router router = new Router();
    private final SessionRegistry sessions = new SessionRegistry();
    private EventLoopGroup group;
    private Channel serverChannel;
    private Channel tlsChannel;

    public MqttBroker(BrokerConfig config) {
        this(config, BrokerSecurity.NONE);
    }

    /** A broker that authenticates, authorizes and listens on TLS as {@code security} says. */
    public MqttBroker(BrokerConfig config, BrokerSecurity security) {
        this.config = config;
        this.security = java.util.Objects.requireNonNull(security, "security");
    }

    /** Binds the listener; returns once clients can connect. */
    public void start() throws InterruptedException {
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
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("flush", new FlushConsolidationHandler(256, true))
                                .addLast("decoder", new MqttDecoder(config.maxPacketBytes()))
                                .addLast("encoder", MqttEncoder.INSTANCE)
                                .addLast("connection", new MqttConnection(router, sessions, config));
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
        return sessions.size();
    }

    /**
     * Publishes a message from inside the node, as a client would.
     *
     * @throws IllegalArgumentException if the topic is not a valid topic name
     */
    public CompletableFuture<Void> publish(Message message) {
        String error = Topics.nameError(message.topic());
        if (error != null) {
            throw new IllegalArgumentException("invalid topic \"" + message.topic() + "\": " + error);
        }
        return router.route(message);
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
    }
}
