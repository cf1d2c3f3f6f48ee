package dev.sedge.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Event loops for the harness's MQTT client connections, on the native epoll transport where it is
 * available, as the broker under test uses it.
 *
 * <p>Thread-safe. Lifecycle: construct, connect, {@link #close()}, which closes every connection.
 */
public final class MqttClientGroup implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final EventLoopGroup group;
    private final boolean epoll = Epoll.isAvailable();

    /** Starts {@code threads} event loops named {@code name-N}. */
    public MqttClientGroup(String name, int threads) {
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), io);
    }

    /**
     * Opens a TCP connection with the MQTT codec and {@code handler} as its last handler.
     *
     * @throws IOException if it cannot connect within the timeout
     */
    public Channel connect(String host, int port, ChannelHandler handler, Duration timeout)
            throws IOException, InterruptedException {
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("decoder", new MqttDecoder(MqttPackets.MAX_PACKET_BYTES))
                                .addLast("encoder", MqttEncoder.INSTANCE)
                                .addLast("client", handler);
                    }
                });
        ChannelFuture f = b.connect(host, port);
        if (!f.await(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
            f.cancel(false);
            throw new IOException("cannot connect to " + host + ":" + port + " within " + timeout.toSeconds() + " s");
        }
        if (!f.isSuccess()) {
            throw new IOException(
                    "cannot connect to " + host + ":" + port + ": " + f.cause().getMessage(), f.cause());
        }
        return f.channel();
    }

    /** Waits for a connection step (CONNACK, SUBACK) with a bound; a failure becomes an IOException. */
    public static void await(CompletableFuture<Void> step, Duration timeout, String what)
            throws IOException, InterruptedException {
        try {
            step.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException(what + ": no answer from the broker within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(what + ": " + cause, cause);
        }
    }

    /** Closes every connection and stops the event loops. Idempotent. */
    @Override
    public void close() {
        group.shutdownGracefully(0, CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .awaitUninterruptibly(CLOSE_TIMEOUT.toMillis() * 2);
    }
}
