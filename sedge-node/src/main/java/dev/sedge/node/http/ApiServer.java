package dev.sedge.node.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP listener of the node's API. Lifecycle: construct, {@link #start}, {@link #close}.
 * Requests are handled off the event loop, on virtual threads, by {@link ApiHandler}.
 */
public final class ApiServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.sedge.node");

    /** The largest request body accepted: an uploaded artifact fits. */
    public static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    private final String host;
    private final int port;
    private final ApiHandler handler;
    private EventLoopGroup group;
    private Channel channel;

    public ApiServer(String host, int port, ApiHandler handler) {
        this.host = host;
        this.port = port;
        this.handler = handler;
    }

    public void start() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpServerKeepAliveHandler())
                                    .addLast(new HttpObjectAggregator(MAX_BODY_BYTES))
                                    .addLast(handler);
                        }
                    })
                    .bind(host, port)
                    .sync()
                    .channel();
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "HTTP API listening on {0}:{1,number,#}", host, port());
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
            channel = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
    }
}
