package dev.sedge.broker.bridge;

import dev.sedge.broker.flow.KeepAlive;
import dev.sedge.broker.flow.ReadGate;
import dev.sedge.broker.router.Backlog;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One connection of the bridge to its external broker, as an MQTT 5 client: CONNECT and CONNACK, keep
 * alive, the QoS flows in both directions, SUBSCRIBE and UNSUBSCRIBE. What the packets mean for the
 * bridge (routing, the outbox, the subscription table) is left to {@link MqttBridge}.
 *
 * <p>Not sharable: one instance per channel, touched only on the channel's event loop, which is the
 * bridge's own thread. An acknowledgement is bound to this connection: once it is closed, the messages
 * it brought in are left unacknowledged, so that the external broker sends them again on the next one.
 */
final class BridgeConnection extends ChannelInboundHandlerAdapter {

    static final long CONNACK_TIMEOUT_SECONDS = 10;

    private final MqttBridge bridge;
    private final BridgeConfig config;

    private ChannelHandlerContext ctx;
    private ReadGate gate; // stops reading the external broker while a local backlog it fed is full
    private boolean connected;
    private String closeReason;
    private ScheduledFuture<?> connAckTimeout;

    // What the external broker allows, from its CONNACK (MQTT 5.0 section 3.2.2.3).
    private int sendQuota = 65_535;
    private long maxPacketBytes = 268_435_460L;
    private int maxQos = 2;
    private boolean retainAvailable = true;
    private boolean identifiersAvailable = true;

    /** Inbound QoS 2: being routed, and acknowledged with PUBREC while PUBREL is awaited. */
    private final Set<Integer> inbound2Routing = new HashSet<>();

    private final Set<Integer> inbound2Received = new HashSet<>();

    BridgeConnection(MqttBridge bridge, BridgeConfig config) {
        this.bridge = bridge;
        this.config = config;
    }

    /** The CONNECT this bridge sends: MQTT 5, clean start 0, a session expiry, flow control and limits. */
    static MqttConnectMessage connect(BridgeConfig config) {
        MqttProperties props = new MqttProperties();
        // A four-byte unsigned integer; the cast keeps the bits of values above Integer.MAX_VALUE.
        props.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, (int)
                config.sessionExpiry().toSeconds()));
        props.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, config.receiveMaximum()));
        props.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, config.maxPacketBytes()));
        MqttMessageBuilders.ConnectBuilder b = MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_5)
                .clientId(config.clientId())
                .cleanSession(false) // MQTT-3.1.2-5: resume the session, and its queued messages
                .keepAlive((int) config.keepAlive().toSeconds())
                .properties(props);
        if (config.username() != null) {
            b.hasUser(true).username(config.username());
        }
        if (config.password() != null) {
            b.hasPassword(true).password(config.password().getBytes(StandardCharsets.UTF_8));
        }
        return b.build();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        this.gate = new ReadGate(context.channel(), ReadGate.Listener.NONE);
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        context.writeAndFlush(connect(config));
        connAckTimeout = context.executor()
                .schedule(
                        () -> {
                            if (!connected) {
                                close("no CONNACK within " + CONNACK_TIMEOUT_SECONDS + " s");
                            }
                        },
                        CONNACK_TIMEOUT_SECONDS,
                        TimeUnit.SECONDS);
        context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        try {
            if (msg instanceof MqttMessage m) {
                read(m);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void read(MqttMessage m) {
        if (m.decoderResult().isFailure()) {
            close("malformed packet from the broker: "
                    + MqttBridge.describe(m.decoderResult().cause()));
            return;
        }
        MqttMessageType type = m.fixedHeader().messageType();
        if (!connected && type != MqttMessageType.CONNACK && type != MqttMessageType.DISCONNECT) {
            close("protocol error: " + type + " before CONNACK");
            return;
        }
        switch (type) {
            case CONNACK -> connAck((MqttConnAckMessage) m);
            case PUBLISH -> publish((MqttPublishMessage) m);
            case PUBACK -> bridge.pubAck(this, packetId(m), reasonCode(m));
            case PUBREC -> bridge.pubRec(this, packetId(m), reasonCode(m));
            case PUBCOMP -> bridge.pubComp(this, packetId(m));
            case PUBREL -> {
                inbound2Received.remove(packetId(m));
                ctx.writeAndFlush(reply(MqttMessageType.PUBCOMP, packetId(m)));
            }
            case SUBACK ->
                bridge.subAck(
                        this, packetId(m), ((MqttSubAckMessage) m).payload().reasonCodes());
            case UNSUBACK -> bridge.unsubAck(this, packetId(m));
            case PINGRESP -> {
                // Its arrival is what keeps the reader-idle timer from closing the connection.
            }
            case DISCONNECT -> {
                String reason = m.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h
                        ? describeDisconnect(h.reasonCode()) + reasonString(h.properties())
                        : "no reason code";
                close("disconnected by the broker: " + reason);
            }
            default -> close("protocol error: unexpected " + type);
        }
    }

    private void connAck(MqttConnAckMessage m) {
        if (connected) {
            close("protocol error: a second CONNACK");
            return;
        }
        MqttConnAckVariableHeader h = m.variableHeader();
        if (h.connectReturnCode() != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            close("refused by the broker: " + describe(h.connectReturnCode()) + reasonString(h.properties()));
            return;
        }
        MqttProperties p = h.properties();
        sendQuota = intProperty(p, MqttProperties.RECEIVE_MAXIMUM, 65_535);
        maxPacketBytes = Integer.toUnsignedLong(intProperty(p, MqttProperties.MAXIMUM_PACKET_SIZE, -1));
        maxQos = intProperty(p, MqttProperties.MAXIMUM_QOS, 2);
        retainAvailable = intProperty(p, MqttProperties.RETAIN_AVAILABLE, 1) == 1;
        identifiersAvailable = intProperty(p, MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1) == 1;
        long keepAlive = intProperty(
                p, MqttProperties.SERVER_KEEP_ALIVE, (int) config.keepAlive().toSeconds());
        if (keepAlive > 0) {
            // PINGREQ after keepAlive without sending; give up after one and a half without hearing back,
            // not counting the time the bridge itself does not read.
            KeepAlive timer = new KeepAlive(keepAlive * 1500, keepAlive * 1000);
            ctx.pipeline().addBefore(ctx.name(), "keepalive", timer);
            gate.attach(timer);
        }
        connected = true;
        connAckTimeout.cancel(false);
        bridge.connected(this, h.isSessionPresent());
    }

    private void publish(MqttPublishMessage m) {
        int qos = m.fixedHeader().qosLevel().value();
        int packetId = m.variableHeader().packetId();
        if (qos == 2) {
            if (inbound2Received.contains(packetId)) {
                ctx.writeAndFlush(reply(MqttMessageType.PUBREC, packetId)); // MQTT-4.3.3-10: deliver once
                return;
            }
            if (!inbound2Routing.add(packetId)) {
                return; // already being routed; its PUBREC follows when that is done
            }
        }
        MqttProperties props = m.variableHeader().properties();
        List<Integer> identifiers = new ArrayList<>(1);
        for (Object p : props.getProperties(MqttProperties.SUBSCRIPTION_IDENTIFIER)) {
            if (p instanceof MqttProperties.IntegerProperty i) {
                identifiers.add(i.value());
            }
        }
        bridge.received(
                this,
                m.variableHeader().topicName(),
                ByteBufUtil.getBytes(m.payload()),
                qos,
                packetId,
                PublishProperties.decode(props),
                identifiers);
    }

    /** A message this connection brought in went into a full backlog: stop reading until it drains. */
    void congested(Backlog backlog) {
        gate.congested(backlog);
    }

    /**
     * Acknowledges a message this connection brought in: PUBACK for QoS 1, PUBREC for QoS 2. Does nothing
     * once the connection is closed: the external broker then sends the message again.
     */
    void acknowledge(int packetId, int qos) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (qos == 1) {
            ctx.writeAndFlush(reply(MqttMessageType.PUBACK, packetId));
        } else if (qos == 2) {
            inbound2Routing.remove(packetId);
            inbound2Received.add(packetId);
            ctx.writeAndFlush(reply(MqttMessageType.PUBREC, packetId));
        }
    }

    void publish(Outbox.Entry e, int qos, int packetId, boolean dup, String clientId) {
        MqttPublishMessage publish = new MqttPublishMessage(
                new MqttFixedHeader(
                        MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), retainAvailable && e.message.retain(), 0),
                new MqttPublishVariableHeader(
                        e.message.topic(),
                        packetId,
                        PublishProperties.encode(e.message.properties(), clientId, e.served)),
                Unpooled.wrappedBuffer(e.message.payload()));
        ctx.writeAndFlush(publish);
    }

    void pubRel(int packetId) {
        ctx.writeAndFlush(reply(MqttMessageType.PUBREL, packetId));
    }

    void subscribe(int packetId, SubscriptionTable.Change change) {
        MqttProperties props = new MqttProperties();
        if (identifiersAvailable) {
            props.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, change.identifier()));
        }
        ctx.writeAndFlush(MqttMessageBuilders.subscribe()
                .messageId(packetId)
                .properties(props)
                .addSubscription(
                        change.sharedFilter(),
                        new MqttSubscriptionOption(
                                MqttQoS.valueOf(Math.min(change.qos(), maxQos)),
                                false, // No Local is a protocol error on a shared subscription (MQTT-3.8.3-4)
                                false,
                                MqttSubscriptionOption.RetainedHandlingPolicy.DONT_SEND_AT_SUBSCRIBE))
                .build());
    }

    void unsubscribe(int packetId, String sharedFilter) {
        ctx.writeAndFlush(MqttMessageBuilders.unsubscribe()
                .messageId(packetId)
                .addTopicFilter(sharedFilter)
                .build());
    }

    /** Ends the session's connection normally: the external broker keeps the session (MQTT-3.14.4-3). */
    ChannelFuture disconnect() {
        if (ctx.channel().isActive() && connected) {
            ctx.writeAndFlush(MqttMessageBuilders.disconnect()
                            .reasonCode((byte) 0)
                            .build())
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
        return ctx.channel().closeFuture();
    }

    int sendQuota() {
        return sendQuota;
    }

    long maxPacketBytes() {
        return maxPacketBytes;
    }

    int maxQos() {
        return maxQos;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.WRITER_IDLE) {
                context.writeAndFlush(new MqttMessage(
                        new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0)));
            } else if (idle.state() == IdleState.READER_IDLE) {
                close("no packet from the broker within one and a half keep-alive periods");
            }
        } else if (evt instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
            close("TLS handshake failed: " + MqttBridge.describe(tls.cause()));
        } else {
            context.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        close(MqttBridge.describe(cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        gate.channelClosed();
        if (connAckTimeout != null) {
            connAckTimeout.cancel(false);
        }
        bridge.closed(this, connected, closeReason != null ? closeReason : "connection closed by the broker");
        context.fireChannelInactive();
    }

    /** Closes with a reason; the first reason given is the one reported. */
    private void close(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        ctx.close();
    }

    private static MqttMessage reply(MqttMessageType type, int packetId) {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        return new MqttMessage(
                new MqttFixedHeader(type, false, qos, false, 0),
                new MqttPubReplyMessageVariableHeader(packetId, (byte) 0, MqttProperties.NO_PROPERTIES));
    }

    private static int packetId(MqttMessage m) {
        return ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
    }

    private static int reasonCode(MqttMessage m) {
        return m.variableHeader() instanceof MqttPubReplyMessageVariableHeader r ? r.reasonCode() & 0xFF : 0;
    }

    private static int intProperty(MqttProperties p, int id, int absent) {
        return p.getProperty(id) instanceof MqttProperties.IntegerProperty i ? i.value() : absent;
    }

    private static String reasonString(MqttProperties p) {
        return p != null && p.getProperty(MqttProperties.REASON_STRING) instanceof MqttProperties.StringProperty s
                ? ": " + s.value()
                : "";
    }

    /** {@code not authorized (0x87)} for {@code CONNECTION_REFUSED_NOT_AUTHORIZED_5}. */
    static String describe(MqttConnectReturnCode code) {
        String name = code.name().replace("CONNECTION_REFUSED_", "").replaceFirst("_5$", "");
        return name.toLowerCase(Locale.ROOT).replace('_', ' ') + " (" + hex(code.byteValue()) + ")";
    }

    /** {@code session taken over (0x8E)}, with a hint for the one an operator can act on. */
    static String describeDisconnect(byte code) {
        String name;
        try {
            name = MqttReasonCodes.Disconnect.valueOf(code)
                    .name()
                    .toLowerCase(Locale.ROOT)
                    .replace('_', ' ');
        } catch (IllegalArgumentException e) {
            name = "reason";
        }
        String hint = code == MqttReasonCodes.Disconnect.SESSION_TAKEN_OVER.byteValue()
                ? "; another client connected with the same client id"
                : "";
        return name + " (" + hex(code) + ")" + hint;
    }

    static String hex(byte code) {
        return String.format("0x%02X", code & 0xFF);
    }
}
