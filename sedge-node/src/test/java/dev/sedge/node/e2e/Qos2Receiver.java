package dev.sedge.node.e2e;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A QoS 2 subscriber that keeps the receiver's side of exactly-once as MQTT 5.0 section 4.3.3 words it
 * (method B): a message is handed over when its PUBLISH first arrives, its packet identifier is kept
 * until PUBREL, and a PUBLISH with a kept identifier is acknowledged again but not handed over. The
 * session (kept identifiers included) outlives connections; the client reconnects by itself.
 *
 * <p>Written for the crash test: the Eclipse Paho and libmosquitto receivers each hand over or count a
 * resent QoS 2 PUBLISH a second time after a reconnect. Thread-safe.
 */
final class Qos2Receiver implements AutoCloseable {

    final Set<String> distinct = ConcurrentHashMap.newKeySet();
    final AtomicInteger arrivals = new AtomicInteger();
    private final Set<Integer> held = ConcurrentHashMap.newKeySet();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final int port;
    private final String clientId;
    private final String filter;
    private volatile boolean closed;
    private volatile Channel channel;
    private boolean subscribed;

    Qos2Receiver(int port, String clientId, String filter) {
        this.port = port;
        this.clientId = clientId;
        this.filter = filter;
        connect();
    }

    boolean connected() {
        Channel c = channel;
        return c != null && c.isActive() && subscribed;
    }

    private void connect() {
        if (closed) {
            return;
        }
        new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new MqttDecoder(1 << 20), MqttEncoder.INSTANCE, new Handler());
                    }
                })
                .connect("127.0.0.1", port)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        retry(); // the node is down: try again shortly
                    }
                });
    }

    private void retry() {
        if (!closed) {
            group.schedule(this::connect, 200, TimeUnit.MILLISECONDS);
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<MqttMessage> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            MqttProperties props = new MqttProperties();
            props.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, 3600));
            ctx.writeAndFlush(MqttMessageBuilders.connect()
                    .clientId(clientId)
                    .protocolVersion(MqttVersion.MQTT_5)
                    .cleanSession(false)
                    .keepAlive(0)
                    .properties(props)
                    .build());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage m) {
            switch (m.fixedHeader().messageType()) {
                case CONNACK -> {
                    if (!((MqttConnAckMessage) m).variableHeader().isSessionPresent()) {
                        ctx.writeAndFlush(MqttMessageBuilders.subscribe()
                                .messageId(1)
                                .addSubscription(MqttQoS.EXACTLY_ONCE, filter)
                                .build());
                    } else {
                        subscribed = true;
                    }
                }
                case SUBACK -> subscribed = true;
                case PUBLISH -> {
                    MqttPublishMessage p = (MqttPublishMessage) m;
                    int id = p.variableHeader().packetId();
                    if (held.add(id)) {
                        arrivals.incrementAndGet();
                        distinct.add(
                                ByteBufUtil.getBytes(p.payload()).length == 0
                                        ? ""
                                        : new String(ByteBufUtil.getBytes(p.payload()), StandardCharsets.UTF_8));
                    }
                    ctx.writeAndFlush(reply(MqttMessageType.PUBREC, id));
                }
                case PUBREL -> {
                    int id = ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
                    held.remove(id);
                    ctx.writeAndFlush(reply(MqttMessageType.PUBCOMP, id));
                }
                default -> {
                    // Nothing else is expected.
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            subscribed = false;
            retry();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static MqttMessage reply(MqttMessageType type, int id) {
        return new MqttMessage(
                new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttPubReplyMessageVariableHeader(id, (byte) 0, MqttProperties.NO_PROPERTIES));
    }

    @Override
    public void close() {
        closed = true;
        Channel c = channel;
        if (c != null) {
            c.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
