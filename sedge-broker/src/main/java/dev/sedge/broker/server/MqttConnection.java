package dev.sedge.broker.server;

import dev.sedge.broker.BrokerConfig;
import dev.sedge.broker.Message;
import dev.sedge.broker.router.Router;
import dev.sedge.broker.router.Router.Subscription;
import dev.sedge.broker.router.Subscriber;
import dev.sedge.broker.router.Topics;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client connection: the MQTT session state of a connected client, and the subscriber that writes
 * routed messages to it.
 *
 * <p>Not sharable: one instance per channel. Its state is touched only on the channel's event loop;
 * {@link #deliver} hops onto it.
 */
public final class MqttConnection extends ChannelInboundHandlerAdapter implements Subscriber {

    private static final System.Logger LOG = System.getLogger("dev.sedge.broker");
    private static final int MAX_PACKET_ID = 65_535;

    private final Router router;
    private final SessionRegistry sessions;
    private final BrokerConfig config;

    private ChannelHandlerContext ctx;
    private boolean connected;
    private String clientId;
    private int protocolVersion;
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final Set<Integer> inflightOut = new HashSet<>();
    private final Set<Integer> inboundQos2 = new HashSet<>();
    private int nextPacketId = 1;

    public MqttConnection(Router router, SessionRegistry sessions, BrokerConfig config) {
        this.router = router;
        this.sessions = sessions;
        this.config = config;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
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
            malformed(m.decoderResult().cause());
            return;
        }
        MqttMessageType type = m.fixedHeader().messageType();
        if (!connected) {
            if (type == MqttMessageType.CONNECT) {
                connect((MqttConnectMessage) m);
            } else {
                ctx.close(); // MQTT-3.1.0-1: the first packet must be CONNECT
            }
            return;
        }
        switch (type) {
            case PUBLISH -> publish((MqttPublishMessage) m);
            case PUBACK -> inflightOut.remove(packetId(m));
            case PUBREL -> pubrel(packetId(m));
            case SUBSCRIBE -> subscribe((MqttSubscribeMessage) m);
            case UNSUBSCRIBE -> unsubscribe((MqttUnsubscribeMessage) m);
            case PINGREQ ->
                ctx.writeAndFlush(new MqttMessage(
                        new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0)));
            case DISCONNECT -> ctx.close();
            case CONNECT -> disconnect(MqttReasonCodes.Disconnect.PROTOCOL_ERROR); // MQTT-3.1.0-2
            default -> disconnect(MqttReasonCodes.Disconnect.PROTOCOL_ERROR);
        }
    }

    private void malformed(Throwable cause) {
        if (!connected) {
            MqttConnectReturnCode code = null;
            if (cause instanceof MqttUnacceptableProtocolVersionException) {
                code = MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION;
            } else if (cause instanceof MqttIdentifierRejectedException) {
                code = MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED;
            }
            if (code != null) {
                ctx.writeAndFlush(connAck(code, MqttProperties.NO_PROPERTIES)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.close();
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "malformed packet from {0}: {1}", clientId, String.valueOf(cause));
        disconnect(MqttReasonCodes.Disconnect.MALFORMED_PACKET);
    }

    private void connect(MqttConnectMessage m) {
        protocolVersion = m.variableHeader().version();
        String id = m.payload().clientIdentifier();
        MqttProperties ackProps = new MqttProperties();
        if (id == null || id.isEmpty()) {
            if (protocolVersion < 5 && !m.variableHeader().isCleanSession()) {
                // MQTT-3.1.3-8: an empty identifier needs a clean session in 3.1.1.
                ctx.writeAndFlush(connAck(
                                MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                                MqttProperties.NO_PROPERTIES))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            id = "sedge-" + UUID.randomUUID();
            ackProps.add(new MqttProperties.StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, id));
        }
        clientId = id;
        connected = true;
        MqttConnection previous = sessions.register(clientId, this);
        if (previous != null) {
            previous.takenOver();
        }
        int keepAlive = m.variableHeader().keepAliveTimeSeconds();
        if (keepAlive > 0) {
            // MQTT-3.1.2-24: one and a half keep-alive periods without a packet close the connection.
            ctx.pipeline()
                    .addBefore(
                            ctx.name(),
                            "keepalive",
                            new IdleStateHandler(keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        }
        if (protocolVersion >= 5) {
            // What this broker does not offer yet, said up front so that clients do not try it.
            ackProps.add(new MqttProperties.IntegerProperty(MqttProperties.RETAIN_AVAILABLE, 0));
            ackProps.add(new MqttProperties.IntegerProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, 0));
            ackProps.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0));
            ackProps.add(
                    new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, config.maxPacketBytes()));
        }
        ctx.writeAndFlush(connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED, ackProps));
    }

    /** Another connection took this client identifier over (MQTT-3.1.4-3). */
    private void takenOver() {
        ctx.executor().execute(() -> disconnect(MqttReasonCodes.Disconnect.SESSION_TAKEN_OVER));
    }

    private MqttConnAckMessage connAck(MqttConnectReturnCode code, MqttProperties props) {
        return MqttMessageBuilders.connAck()
                .returnCode(code)
                .sessionPresent(false)
                .properties(props)
                .build();
    }

    private void publish(MqttPublishMessage m) {
        String topic = m.variableHeader().topicName();
        String error = Topics.nameError(topic);
        if (error != null) {
            disconnect(MqttReasonCodes.Disconnect.TOPIC_NAME_INVALID); // MQTT-3.3.2-2
            return;
        }
        MqttProperties props = m.variableHeader().properties();
        if (props.getProperty(MqttProperties.TOPIC_ALIAS) != null) {
            disconnect(MqttReasonCodes.Disconnect.TOPIC_ALIAS_INVALID); // none allowed: we offer maximum 0
            return;
        }
        int qos = m.fixedHeader().qosLevel().value();
        if (m.fixedHeader().isRetain() && protocolVersion >= 5) {
            disconnect(MqttReasonCodes.Disconnect.RETAIN_NOT_SUPPORTED); // MQTT-3.3.1-11
            return;
        }
        int packetId = m.variableHeader().packetId();
        if (qos == 2 && inboundQos2.contains(packetId)) {
            // A resent QoS 2 PUBLISH before PUBREL: acknowledge again, deliver once (MQTT-4.3.3-10).
            ctx.writeAndFlush(pubReply(MqttMessageType.PUBREC, packetId));
            return;
        }
        Message message = new Message(
                topic, ByteBufUtil.getBytes(m.payload()), qos, false, PropertiesCodec.fromPublish(props), clientId);
        CompletableFuture<Void> done = router.route(message);
        if (qos == 0) {
            return;
        }
        if (qos == 2) {
            inboundQos2.add(packetId);
        }
        MqttMessageType ack = qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
        if (done.isDone()) {
            ctx.writeAndFlush(pubReply(ack, packetId));
        } else {
            // The acknowledgement waits for the in-process subscribers that asked for it (ack: on-complete).
            done.whenComplete((v, e) -> ctx.writeAndFlush(pubReply(ack, packetId)));
        }
    }

    private void pubrel(int packetId) {
        inboundQos2.remove(packetId);
        ctx.writeAndFlush(pubReply(MqttMessageType.PUBCOMP, packetId));
    }

    private void subscribe(MqttSubscribeMessage m) {
        List<MqttTopicSubscription> requested = m.payload().topicSubscriptions();
        int[] codes = new int[requested.size()];
        for (int i = 0; i < codes.length; i++) {
            MqttTopicSubscription sub = requested.get(i);
            String filter = sub.topicFilter();
            if (!Topics.isValidFilter(filter)) {
                codes[i] = protocolVersion >= 5 ? 0x8F : 0x80; // topic filter invalid / failure
                continue;
            }
            if (filter.startsWith("$share/")) {
                codes[i] = protocolVersion >= 5 ? 0x9E : 0x80; // shared subscriptions not supported
                continue;
            }
            int qos = Math.min(sub.option().qos().value(), 1);
            Subscription s =
                    new Subscription(filter, qos, this, clientId, sub.option().isNoLocal());
            Subscription old = subscriptions.put(filter, s);
            if (old != null) {
                router.unsubscribe(old); // MQTT-3.8.4-3: replaces the existing subscription
            }
            router.subscribe(s);
            codes[i] = qos;
        }
        ctx.writeAndFlush(new MqttSubAckMessage(
                new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(
                        m.variableHeader().messageId(), MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(codes)));
    }

    private void unsubscribe(MqttUnsubscribeMessage m) {
        List<String> topics = m.payload().topics();
        short[] codes = new short[topics.size()];
        for (int i = 0; i < codes.length; i++) {
            Subscription s = subscriptions.remove(topics.get(i));
            if (s != null) {
                router.unsubscribe(s);
            }
            codes[i] = s != null ? (short) 0x00 : (short) 0x11; // success / no subscription existed
        }
        ctx.writeAndFlush(new MqttUnsubAckMessage(
                new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(
                        m.variableHeader().messageId(), MqttProperties.NO_PROPERTIES),
                protocolVersion >= 5 ? new MqttUnsubAckPayload(codes) : null));
    }

    @Override
    public CompletableFuture<Void> deliver(Message message, int qos) {
        if (ctx.executor().inEventLoop()) {
            write(message, qos);
        } else {
            ctx.executor().execute(() -> write(message, qos));
        }
        return Subscriber.DONE;
    }

    private void write(Message message, int qos) {
        if (!ctx.channel().isActive()) {
            return;
        }
        int packetId = 0;
        if (qos > 0) {
            packetId = allocatePacketId();
            if (packetId == 0) {
                qos = 0; // every identifier in flight: the client is not acknowledging; degrade, never block
            }
        }
        MqttPublishMessage publish = MqttMessageBuilders.publish()
                .topicName(message.topic())
                .qos(MqttQoS.valueOf(qos))
                .retained(false)
                .messageId(packetId)
                .properties(
                        protocolVersion >= 5
                                ? PropertiesCodec.toPublish(message.properties())
                                : MqttProperties.NO_PROPERTIES)
                .payload(Unpooled.wrappedBuffer(message.payload()))
                .build();
        ctx.writeAndFlush(publish);
    }

    private int allocatePacketId() {
        for (int tries = 0; tries < MAX_PACKET_ID; tries++) {
            int id = nextPacketId;
            nextPacketId = id == MAX_PACKET_ID ? 1 : id + 1;
            if (inflightOut.add(id)) {
                return id;
            }
        }
        return 0;
    }

    private MqttMessage pubReply(MqttMessageType type, int packetId) {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        return new MqttMessage(
                new MqttFixedHeader(type, false, qos, false, 0),
                new MqttPubReplyMessageVariableHeader(packetId, (byte) 0, MqttProperties.NO_PROPERTIES));
    }

    private static int packetId(MqttMessage m) {
        return ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
    }

    private void disconnect(MqttReasonCodes.Disconnect reason) {
        if (protocolVersion >= 5 && ctx.channel().isActive()) {
            ctx.writeAndFlush(MqttMessageBuilders.disconnect()
                            .reasonCode(reason.byteValue())
                            .build())
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) {
        if (evt instanceof IdleStateEvent) {
            disconnect(MqttReasonCodes.Disconnect.KEEP_ALIVE_TIMEOUT);
        } else {
            context.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        for (Subscription s : subscriptions.values()) {
            router.unsubscribe(s);
        }
        subscriptions.clear();
        if (clientId != null) {
            sessions.unregister(clientId, this);
        }
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        // An I/O error or a bug affects this connection only.
        LOG.log(System.Logger.Level.DEBUG, "connection {0} failed: {1}", clientId, String.valueOf(cause));
        context.close();
    }
}
