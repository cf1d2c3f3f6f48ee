package dev.sedge.broker.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CN a connection handler gets from a channel after a real TLS handshake: a server on 127.0.0.1
 * that records what the helper says once the handshake completes.
 */
@Timeout(60)
class PeerCertificatesTest {

    private static TestPki pki;
    private EventLoopGroup group;
    private Channel server;
    private final CompletableFuture<Optional<String>> seenCn = new CompletableFuture<>();

    @BeforeAll
    static void makePki() throws Exception {
        pki = TestPki.shared();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private int start(ClientAuthMode mode) throws Exception {
        TlsConfig config = new TlsConfig(
                pki.serverChainPem, pki.serverKeyPem, mode == ClientAuthMode.NONE ? null : pki.caPem, mode);
        TlsListener listener = new TlsListener("127.0.0.1", 0, config.newServerContext());
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ServerBootstrap plain = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
                                    seenCn.complete(
                                            Optional.ofNullable(PeerCertificates.verifiedCommonName(ctx.channel())));
                                }
                                ctx.fireUserEventTriggered(evt);
                            }
                        });
                    }
                });
        server = listener.bind(plain).sync().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private static void handshake(SSLContext ssl, int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            // TLS 1.3: the server verifies the client's certificate after the client has finished; one
            // round trip makes sure it has. The server sends nothing, so the read ends by timeout or close.
            socket.getOutputStream().write(0);
            socket.getOutputStream().flush();
        }
    }

    @Test
    void theVerifiedClientCertificatesCnIsTheClientsName() throws Exception {
        int port = start(ClientAuthMode.REQUIRED);
        handshake(pki.clientContext(pki.client), port);
        assertThat(seenCn.get(10, TimeUnit.SECONDS)).contains(TestPki.CLIENT_CN);
    }

    @Test
    void aClientWithoutCertificateHasNoCnWhenClientAuthenticationIsOptional() throws Exception {
        int port = start(ClientAuthMode.OPTIONAL);
        handshake(pki.clientContext(null), port);
        assertThat(seenCn.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void aChannelWithoutTlsHasNoCertificate() {
        EmbeddedChannel plain = new EmbeddedChannel();
        assertThat(PeerCertificates.verifiedCertificate(plain)).isNull();
        assertThat(PeerCertificates.verifiedCommonName(plain)).isNull();
        plain.finishAndReleaseAll();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            value = {
                "CN=device-42,O=Acme,C=DE        | device-42",
                "O=Acme,CN=outer                 | outer",
                "CN=inner,OU=x,CN=outer          | inner",
                "CN=a+OU=b,O=Acme                | a",
                "CN=with\\, comma,O=Acme         | 'with, comma'",
                "O=Acme,C=DE                     | null",
            })
    void commonNameIsTheMostSpecificCn(String dn, String cn) {
        assertThat(PeerCertificates.commonName(new X500Principal(dn))).isEqualTo(cn);
    }
}
