package dev.sedge.broker.tls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import java.util.Objects;

/**
 * A second MQTT listener that speaks TLS: the same pipeline as the plain listener, behind an
 * {@code SslHandler} named {@value #HANDLER_NAME}. Immutable.
 *
 * @param host the address to bind
 * @param port the TCP port, 0 for any free port (8883 is MQTT over TLS's registered port)
 * @param sslContext a server context, as built by {@link TlsConfig#newServerContext()}
 */
public record TlsListener(String host, int port, SslContext sslContext) {

    public static final int PORT_DEFAULT = 8883;
    /** The name of the TLS handler in the pipeline; {@link PeerCertificates} finds it by type. */
    public static final String HANDLER_NAME = "tls";

    public TlsListener {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("tls listener host must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("tls port must be 0..65535, was " + port);
        }
        Objects.requireNonNull(sslContext, "sslContext");
        if (!sslContext.isServer()) {
            throw new IllegalArgumentException("tls listener needs a server SslContext");
        }
    }

    /**
     * Binds this listener with a copy of the plain listener's bootstrap: same event loops, options and
     * child handler, with TLS put first in each new channel's pipeline.
     *
     * @param plain a configured bootstrap whose child handler sets up the MQTT pipeline; not changed
     */
    public ChannelFuture bind(ServerBootstrap plain) {
        ChannelHandler mqttPipeline = Objects.requireNonNull(plain.config().childHandler(), "child handler");
        return plain.clone()
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addFirst(HANDLER_NAME, sslContext.newHandler(ch.alloc()));
                        ch.pipeline().addLast(mqttPipeline);
                    }
                })
                .bind(host, port);
    }
}
