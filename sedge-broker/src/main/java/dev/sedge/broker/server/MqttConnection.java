package dev.sedge.broker.server;

import dev.sedge.broker.BrokerSecurity;
import dev.sedge.broker.Message;
import dev.sedge.broker.Message.MessageProperties;
import dev.sedge.broker.auth.AuthResult;
import dev.sedge.broker.auth.Authenticator;
import dev.sedge.broker.flow.KeepAlive;
import dev.sedge.broker.flow.ReadGate;
import dev.sedge.broker.router.Backlog;
import dev.sedge.broker.router.Router;
import dev.sedge.broker.router.Topics;
import dev.sedge.broker.session.ClientLink;
import dev.sedge.broker.session.Session;
import dev.sedge.broker.session.SessionLimits;
import dev.sedge.broker.session.SessionRegistry;
import dev.sedge.broker.session.SubscriptionOptions;
import dev.sedge.broker.tls.PeerCertificates;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
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
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * One client connection: the MQTT protocol between a client and its {@link Session}. Decoding is
 * Netty's; this handler validates each packet, keeps the per-connection state (protocol version, topic
 * aliases, unacknowledged inbound PUBLISHes, the will) and writes the replies.
 *
 * <p>Not sharable: one instance per channel. Its fields are touched only on the channel's event loop;
 * the {@link ClientLink} methods may be called from any thread and only write to the channel.
 */
public final class MqttConnection extends ChannelInboundHandlerAdapter implements ClientLink {

    private static final System.Logger LOG = System.getLogger("dev.sedge.broker");

    private final ConnectionContext broker;

    private ChannelHandlerContext ctx;
    private Session session;
    private String clientId;
    private int protocolVersion;
    private int clientMaxPacket; // 0: no limit
    private final Map<Integer, CompletableFuture<Void>> pendingQos2 = new HashMap<>();
    private int unacknowledged;
    private ReadGate gate; // why the client is not read from: authentication, receive maximum, full backlogs
    /** {@code gate::congested}, made once: every routed PUBLISH hands it to the router. */
    private Consumer<Backlog> congested;

    private Message will;
    private long willDelaySeconds;
    private boolean normalDisconnect;
    private boolean closing;
    private String user;
    private boolean authenticating;
    /**
     * Packets read while reading is stopped: all of them during authentication, and from the first QoS 0
     * PUBLISH on while a full backlog or the receive maximum holds the connection. Netty delivers what one
     * read decoded even after auto-read is turned off, and with small packets that is thousands. They are
     * read, in order, when reading resumes.
     */
    private final java.util.ArrayDeque<MqttMessage> held = new java.util.ArrayDeque<>();
    /** The client half-closed: the connection closes once {@link #held} is read. */
    private boolean inputShutdown;

    public MqttConnection(ConnectionContext broker) {
        this.broker = broker;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        this.gate = new ReadGate(context.channel(), broker.stats().backPressure);
        this.congested = gate::congested;
        gate.onOpen(this::readHeld);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (msg instanceof MqttMessage m
                && (authenticating || !held.isEmpty() || !gate.isReading() && qos0Publish(m))) {
            held.add(m); // read when reading resumes, or released when the channel closes
            return;
        }
        handle(msg);
    }

    /**
     * A QoS 0 PUBLISH: what a client may send without bound. QoS 1 and 2 are bounded by the receive
     * maximum, so once stopped only QoS 0 starts the holding; after that everything waits its turn.
     */
    private static boolean qos0Publish(MqttMessage m) {
        return m.fixedHeader().messageType() == MqttMessageType.PUBLISH
                && m.fixedHeader().qosLevel() == io.netty.handler.codec.mqtt.MqttQoS.AT_MOST_ONCE;
    }

    /** Reads what was held while reading was stopped, until it stops again. On the event loop. */
    private void readHeld() {
        while (!held.isEmpty() && !authenticating && gate.isReading()) {
            handle(held.poll()); // guarded and released like any packet; skipped once closing
        }
        if (inputShutdown && held.isEmpty()) {
            ctx.close(); // the client half-closed while this was held: all of it is read now
        }
    }

    /** Reads one packet and releases it. */
    private void handle(Object msg) {
        try {
            if (msg instanceof MqttMessage m && !closing) {
                read(m);
            }
        } catch (RuntimeException e) {
            // A bug handling one packet closes this connection only.
            LOG.log(System.Logger.Level.WARNING, "client " + clientId + ": packet handling failed", e);
            disconnect(MqttReasonCodes.Disconnect.UNSPECIFIED_ERROR, "internal error");
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
        if (session == null) {
            if (type == MqttMessageType.CONNECT) {
                connect((MqttConnectMessage) m);
            } else {
                broker.stats().malformed.increment();
                ctx.close(); // MQTT-3.1.0-1: the first packet must be CONNECT
            }
            return;
        }
        switch (type) {
            case PUBLISH -> publish((MqttPublishMessage) m);
            case PUBACK -> session.puback(packetId(m));
            case PUBREC -> session.pubrec(packetId(m), reasonCode(m) >= 0x80);
            case PUBREL -> released(packetId(m));
            case PUBCOMP -> session.pubcomp(packetId(m));
            case SUBSCRIBE -> subscribe((MqttSubscribeMessage) m);
            case UNSUBSCRIBE -> unsubscribe((MqttUnsubscribeMessage) m);
            case PINGREQ ->
                ctx.writeAndFlush(new MqttMessage(
                        new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0)));
            case DISCONNECT -> clientDisconnect(m);
            case CONNECT -> protocolError("a second CONNECT"); // MQTT-3.1.0-2
            case AUTH -> protocolError("AUTH without an authentication method");
            default -> protocolError("unexpected " + type);
        }
    }

    private void malformed(Throwable cause) {
        broker.stats().malformed.increment();
        if (session == null) {
            MqttConnectReturnCode code = null;
            if (cause instanceof MqttUnacceptableProtocolVersionException) {
                code = MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION;
            } else if (cause instanceof MqttIdentifierRejectedException) {
                code = MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED;
            }
            if (code != null) {
                refuse(code, null);
            } else {
                ctx.close();
            }
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "malformed packet from {0}: {1}", clientId, String.valueOf(cause));
        if (cause instanceof TooLongFrameException) {
            disconnect(
                    MqttReasonCodes.Disconnect.PACKET_TOO_LARGE,
                    "packet larger than " + broker.config().maxPacketBytes());
        } else {
            disconnect(MqttReasonCodes.Disconnect.MALFORMED_PACKET, "malformed packet");
        }
    }

    // ---- CONNECT ----

    private void connect(MqttConnectMessage m) {
        MqttConnectVariableHeader h = m.variableHeader();
        MqttConnectPayload p = m.payload();
        protocolVersion = h.version();
        MqttProperties props = h.properties();
        if (protocolVersion >= 5 && props.getProperty(MqttProperties.AUTHENTICATION_METHOD) != null) {
            refuse(
                    MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD,
                    "enhanced authentication is not supported");
            return;
        }
        String id = p.clientIdentifier();
        MqttProperties ack = new MqttProperties();
        if (id == null || id.isEmpty()) {
            if (protocolVersion < 5 && !h.isCleanSession()) {
                // MQTT-3.1.3-8: an empty identifier needs a clean session in 3.1.1.
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, null);
                return;
            }
            id = "sedge-" + UUID.randomUUID();
            ack.add(new MqttProperties.StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, id));
        }
        if (!h.isWillFlag() && (h.willQos() != 0 || h.isWillRetain())) {
            // MQTT-3.1.2-11 and -13: without a will, Will QoS and Will Retain must be 0.
            broker.stats().malformed.increment();
            if (protocolVersion >= 5) {
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET, "will QoS or retain without a will");
            } else {
                closing = true;
                ctx.close();
            }
            return;
        }
        if (h.isWillFlag()) {
            if (h.willQos() > 2) {
                // MQTT-3.1.2-14: Will QoS 3 is malformed (Netty's decoder lets it through); MQTT 5 may say so.
                broker.stats().malformed.increment();
                if (protocolVersion >= 5) {
                    refuse(MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET, "will QoS 3");
                } else {
                    closing = true;
                    ctx.close();
                }
                return;
            }
            String error = Topics.nameError(p.willTopic());
            if (error != null) {
                refuse(
                        protocolVersion >= 5
                                ? MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID
                                : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                        "will topic " + error);
                return;
            }
            MqttProperties wp = protocolVersion >= 5 ? p.willProperties() : MqttProperties.NO_PROPERTIES;
            will = message(p.willTopic(), p.willMessageInBytes(), h.willQos(), h.isWillRetain(), wp, id);
            willDelaySeconds = unsigned(wp, MqttProperties.WILL_DELAY_INTERVAL, 0);
        }

        Authenticator authenticator = broker.security().authenticator();
        String commonName = PeerCertificates.verifiedCommonName(ctx.channel());
        String candidate = id;
        if (authenticator == BrokerSecurity.NONE.authenticator()) {
            admit(m, id, ack, authenticator.authenticate(id, p.userName(), p.passwordInBytes(), commonName));
            return;
        }
        // Password hashing is slow by design: decide off the event loop, hold what arrives meanwhile.
        authenticating = true;
        gate.hold(ReadGate.Reason.AUTHENTICATION);
        Thread.ofVirtual().name("mqtt-auth").start(() -> {
            AuthResult result;
            try {
                result = authenticator.authenticate(candidate, p.userName(), p.passwordInBytes(), commonName);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "authentication of " + candidate + " failed", e);
                result = AuthResult.refused(AuthResult.RefusalReason.NOT_AUTHORIZED);
            }
            AuthResult decided = result;
            try {
                ctx.executor().execute(() -> authenticated(m, candidate, ack, decided));
            } catch (RejectedExecutionException e) {
                // The broker closed and its event loops are gone, and with them this connection.
            }
        });
    }

    /** On the event loop, once the authenticator has decided: admit or refuse, then read what was held. */
    private void authenticated(MqttConnectMessage m, String id, MqttProperties ack, AuthResult decided) {
        authenticating = false;
        if (!ctx.channel().isActive()) {
            // The client left while its password was checked: admitting it now would attach a session to a
            // dead channel that no channelInactive will ever detach. What it sent is released there.
            return;
        }
        admit(m, id, ack, decided);
        gate.release(ReadGate.Reason.AUTHENTICATION); // reads what was held, unless something else holds it
    }

    /** The second half of CONNECT, once the client is authenticated (or refused). */
    private void admit(MqttConnectMessage m, String id, MqttProperties ack, AuthResult auth) {
        MqttConnectVariableHeader h = m.variableHeader();
        MqttProperties props = h.properties();
        if (auth instanceof AuthResult.Refused refused) {
            refuse(refused.reason().connectReturnCode(protocolVersion), "not authorized");
            return;
        }
        user = ((AuthResult.Allowed) auth).user();
        if (will != null && !broker.security().authorizer().canPublish(user, id, will.topic())) {
            refuse(
                    protocolVersion >= 5
                            ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                            : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                    "will topic not authorized");
            return;
        }
        boolean cleanStart = h.isCleanSession();
        long requestedExpiry = protocolVersion >= 5
                ? unsigned(props, MqttProperties.SESSION_EXPIRY_INTERVAL, 0)
                : (cleanStart ? 0 : SessionLimits.NEVER);
        long expiry = broker.sessions().grantExpiry(requestedExpiry);
        int clientReceiveMax = (int) unsigned(props, MqttProperties.RECEIVE_MAXIMUM, 65_535);
        clientMaxPacket = (int) Math.min(Integer.MAX_VALUE, unsigned(props, MqttProperties.MAXIMUM_PACKET_SIZE, 0));
        if (protocolVersion >= 5
                && (clientReceiveMax == 0
                        || props.getProperty(MqttProperties.MAXIMUM_PACKET_SIZE) != null && clientMaxPacket == 0)) {
            refuse(
                    MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR,
                    "receive maximum and maximum packet size must not be 0");
            return;
        }

        int keepAlive = h.keepAliveTimeSeconds();
        int maxKeepAlive = broker.config().maxKeepAliveSeconds();
        if (maxKeepAlive > 0 && (keepAlive == 0 || keepAlive > maxKeepAlive)) {
            keepAlive = maxKeepAlive;
            ack.add(new MqttProperties.IntegerProperty(MqttProperties.SERVER_KEEP_ALIVE, keepAlive));
        }
        if (keepAlive > 0) {
            // MQTT-3.1.2-24: one and a half keep-alive periods without a packet close the connection;
            // periods in which the broker itself does not read do not count.
            KeepAlive timer = new KeepAlive(keepAlive * 1500L, 0);
            ctx.pipeline().addBefore(ctx.name(), "keepalive", timer);
            gate.attach(timer);
        }

        clientId = id;
        SessionRegistry.Connected c = broker.sessions().connect(id, cleanStart, expiry, this);
        session = c.session();
        if (protocolVersion >= 5) {
            if (expiry != requestedExpiry) {
                ack.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, (int) expiry));
            }
            ack.add(new MqttProperties.IntegerProperty(
                    MqttProperties.RECEIVE_MAXIMUM, broker.config().receiveMaximum()));
            ack.add(new MqttProperties.IntegerProperty(
                    MqttProperties.TOPIC_ALIAS_MAXIMUM, broker.config().topicAliasMaximum()));
            ack.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MAXIMUM_PACKET_SIZE, broker.config().maxPacketBytes()));
            ack.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0));
        }
        ctx.writeAndFlush(MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(c.present())
                .properties(ack)
                .build());
        // After CONNACK: what was in flight is resent, then what is queued is sent (MQTT-4.4.0-1).
        session.attach(this, clientReceiveMax);
    }

    private void refuse(MqttConnectReturnCode code, String reason) {
        broker.stats().refusedConnects.increment();
        MqttConnectReturnCode sent = code;
        if (protocolVersion < 5 && (code.byteValue() & 0xFF) >= 0x80) {
            sent = MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE; // 3.1.1 has codes 1..5 only
        }
        MqttProperties props = new MqttProperties();
        if (reason != null && protocolVersion >= 5) {
            props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reason));
        }
        closing = true;
        MqttConnAckMessage ack = MqttMessageBuilders.connAck()
                .returnCode(sent)
                .sessionPresent(false)
                .properties(props)
                .build();
        ctx.writeAndFlush(ack).addListener(ChannelFutureListener.CLOSE);
    }

    // ---- PUBLISH from the client ----

    private void publish(MqttPublishMessage m) {
        MqttPublishVariableHeader vh = m.variableHeader();
        MqttProperties props = vh.properties();
        String topic = vh.topicName();
        if (props.getProperty(MqttProperties.TOPIC_ALIAS) instanceof MqttProperties.IntegerProperty alias) {
            int a = alias.value();
            if (a == 0 || a > broker.config().topicAliasMaximum()) {
                disconnect(
                        MqttReasonCodes.Disconnect.TOPIC_ALIAS_INVALID,
                        "topic alias " + a + " is out of range"); // MQTT-3.3.2-9
                return;
            }
            if (topic == null || topic.isEmpty()) {
                topic = session.topicAlias(a);
                if (topic == null) {
                    protocolError("topic alias " + a + " was never set"); // MQTT-3.3.4-? unknown alias
                    return;
                }
            } else {
                session.topicAlias(a, topic);
            }
        }
        String error = Topics.nameError(topic);
        if (error != null) {
            disconnect(MqttReasonCodes.Disconnect.TOPIC_NAME_INVALID, "topic " + error); // MQTT-3.3.2-2
            return;
        }
        int qos = m.fixedHeader().qosLevel().value();
        if (qos > 2) {
            disconnect(MqttReasonCodes.Disconnect.MALFORMED_PACKET, "QoS 3");
            return;
        }
        if (props.getProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER) != null) {
            protocolError("a PUBLISH from a client carries no subscription identifier"); // MQTT-3.3.4-6
            return;
        }
        if (props.getProperty(MqttProperties.RESPONSE_TOPIC) instanceof MqttProperties.StringProperty rt
                && Topics.nameError(rt.value()) != null) {
            protocolError("response topic " + Topics.nameError(rt.value())); // MQTT-3.3.2-14
            return;
        }
        broker.stats().received.increment();
        int packetId = vh.packetId();
        if (!broker.security().authorizer().canPublish(user, clientId, topic)) {
            // MQTT 5 says why in the acknowledgement; 3.1.1 acknowledges and drops (MQTT-3.3.5-2).
            if (qos > 0) {
                ctx.writeAndFlush(pubReply(
                        qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC,
                        packetId,
                        protocolVersion >= 5 ? 0x87 : 0));
            }
            return;
        }
        if (qos == 2 && session.hasQos2(packetId)) {
            // A resent QoS 2 PUBLISH before PUBREL: deliver once (MQTT-4.3.3-10), acknowledge when due.
            if (!pendingQos2.containsKey(packetId)) {
                ctx.writeAndFlush(pubReply(MqttMessageType.PUBREC, packetId));
            }
            return;
        }
        if (qos > 0 && ++unacknowledged > broker.config().receiveMaximum()) {
            if (protocolVersion >= 5) {
                disconnect(
                        MqttReasonCodes.Disconnect.RECEIVE_MAXIMUM_EXCEEDED,
                        "more than " + broker.config().receiveMaximum() + " unacknowledged QoS 1/2 messages");
                return;
            }
            gate.hold(ReadGate.Reason.RECEIVE_MAXIMUM); // 3.1.1 has no receive maximum: stop reading instead
        }
        Message message = message(
                topic, ByteBufUtil.getBytes(m.payload()), qos, m.fixedHeader().isRetain(), props, clientId);
        CompletableFuture<Void> done;
        if (qos == 2) {
            // The identifier and the message's copies for persistent sessions reach the store in one
            // commit: a restart then either knows both (a resent PUBLISH is acknowledged, not routed
            // again) or neither (the resent PUBLISH is routed) - never only one.
            java.util.concurrent.atomic.AtomicReference<CompletableFuture<Void>> routed =
                    new java.util.concurrent.atomic.AtomicReference<>();
            broker.sessions().atomically(() -> {
                session.receiveQos2(packetId);
                routed.set(broker.publish().apply(message, congested));
            });
            done = routed.get();
        } else {
            // A full backlog stops this client being read, at every QoS, until it drains.
            done = broker.publish().apply(message, congested);
        }
        if (qos == 0) {
            return;
        }
        if (qos == 2) {
            CompletableFuture<Void> recorded = done.thenCompose(v -> session.durable());
            pendingQos2.put(packetId, recorded);
            done = recorded;
        }
        MqttMessageType ackType = qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
        if (done.isDone() && ctx.executor().inEventLoop()) {
            acknowledge(ackType, packetId, qos);
        } else {
            // The acknowledgement waits for the subscribers that asked for it (ack: on-complete triggers,
            // persistent sessions' durable queues).
            done.whenComplete((v, e) -> ctx.executor().execute(() -> acknowledge(ackType, packetId, qos)));
        }
    }

    private void acknowledge(MqttMessageType type, int packetId, int qos) {
        if (qos == 2) {
            pendingQos2.remove(packetId);
        } else {
            slotFreed();
        }
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(pubReply(type, packetId));
        }
    }

    /** PUBREL: the client releases a QoS 2 identifier; PUBCOMP once that is on file. */
    private void released(int packetId) {
        session.releaseQos2(packetId)
                .whenComplete((v, e) -> ctx.executor().execute(() -> {
                    slotFreed();
                    if (ctx.channel().isActive()) {
                        ctx.writeAndFlush(pubReply(MqttMessageType.PUBCOMP, packetId));
                    }
                }));
    }

    /** One inbound QoS 1/2 exchange finished: a slot of the receive maximum is free again. */
    private void slotFreed() {
        if (unacknowledged > 0) {
            unacknowledged--;
        }
        if (unacknowledged < broker.config().receiveMaximum()) {
            gate.release(ReadGate.Reason.RECEIVE_MAXIMUM); // reading resumes unless a backlog still holds it
        }
    }

    private Message message(String topic, byte[] payload, int qos, boolean retain, MqttProperties props, String from) {
        MessageProperties mp = PropertiesCodec.fromPublish(props);
        long expiresAt = 0;
        if (mp.messageExpirySeconds() != null) {
            expiresAt = broker.clockMillis().getAsLong() + mp.messageExpirySeconds() * 1000;
        }
        return new Message(topic, payload, qos, retain, mp, from, expiresAt);
    }

    // ---- SUBSCRIBE / UNSUBSCRIBE ----

    private void subscribe(MqttSubscribeMessage m) {
        List<MqttTopicSubscription> requested = m.payload().topicSubscriptions();
        if (requested.isEmpty()) {
            protocolError("SUBSCRIBE without a topic filter"); // MQTT-3.8.3-2
            return;
        }
        int[] codes = new int[requested.size()];
        List<Runnable> retainedDeliveries = new java.util.ArrayList<>();
        for (int i = 0; i < codes.length; i++) {
            MqttTopicSubscription sub = requested.get(i);
            String filter = sub.topicFilter();
            MqttSubscriptionOption o = sub.option();
            Router.Share share;
            try {
                share = Router.Share.parse(filter);
            } catch (IllegalArgumentException e) {
                codes[i] = protocolVersion >= 5 ? 0x8F : 0x80; // topic filter invalid
                continue;
            }
            if (!Topics.isValidFilter(share == null ? filter : share.filter())) {
                codes[i] = protocolVersion >= 5 ? 0x8F : 0x80;
                continue;
            }
            if (!broker.security().authorizer().canSubscribe(user, clientId, filter)) {
                codes[i] = protocolVersion >= 5 ? 0x87 : 0x80; // not authorized
                continue;
            }
            if (share != null && o.isNoLocal()) {
                protocolError("No Local on a shared subscription"); // MQTT-3.8.3-4
                return;
            }
            int qos = o.qos().value();
            SubscriptionOptions options = new SubscriptionOptions(
                    qos,
                    o.isNoLocal(),
                    o.isRetainAsPublished(),
                    o.retainHandling().value());
            boolean existed = session.subscribe(filter, options);
            codes[i] = qos;
            int rh = options.retainHandling();
            if (share == null && (rh == 0 || (rh == 1 && !existed))) {
                retainedDeliveries.add(() -> {
                    for (Message r : broker.retained().matching(filter)) {
                        int q = Math.min(qos, r.qos());
                        session.deliver(r.withQosAndRetain(q, true), q); // MQTT-3.3.1-9: RETAIN set
                    }
                });
            }
        }
        int id = m.idAndPropertiesVariableHeader().messageId();
        // The subscription is on file before the client is told it exists.
        session.durable()
                .whenComplete((v, e) -> ctx.executor().execute(() -> {
                    ctx.writeAndFlush(new MqttSubAckMessage(
                            new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                            new MqttMessageIdAndPropertiesVariableHeader(id, MqttProperties.NO_PROPERTIES),
                            new MqttSubAckPayload(codes)));
                    retainedDeliveries.forEach(Runnable::run);
                }));
    }

    private void unsubscribe(MqttUnsubscribeMessage m) {
        List<String> topics = m.payload().topics();
        if (topics.isEmpty()) {
            protocolError("UNSUBSCRIBE without a topic filter"); // MQTT-3.10.3-2
            return;
        }
        short[] codes = new short[topics.size()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = session.unsubscribe(topics.get(i)) ? (short) 0x00 : (short) 0x11; // no subscription existed
        }
        int id = m.idAndPropertiesVariableHeader().messageId();
        ctx.writeAndFlush(new MqttUnsubAckMessage(
                new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(id, MqttProperties.NO_PROPERTIES),
                protocolVersion >= 5 ? new MqttUnsubAckPayload(codes) : null));
    }

    // ---- DISCONNECT ----

    private void clientDisconnect(MqttMessage m) {
        int reason = 0;
        if (m.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader vh) {
            reason = vh.reasonCode() & 0xFF;
            if (vh.properties().getProperty(MqttProperties.SESSION_EXPIRY_INTERVAL)
                    instanceof MqttProperties.IntegerProperty e) {
                long requested = Integer.toUnsignedLong(e.value());
                if (session.expirySeconds() == 0 && requested != 0) {
                    protocolError("session expiry set on DISCONNECT after 0 on CONNECT"); // MQTT-3.14.2-2
                    return;
                }
                session.updateExpiry(broker.sessions().grantExpiry(requested));
            }
        }
        // MQTT-3.14.4-3: a normal DISCONNECT discards the will; 0x04 asks for it to be sent.
        normalDisconnect = reason != 0x04;
        closing = true;
        ctx.close();
    }

    private void protocolError(String reason) {
        broker.stats().malformed.increment();
        disconnect(MqttReasonCodes.Disconnect.PROTOCOL_ERROR, reason);
    }

    /** Closes with a DISCONNECT and reason code where the protocol version has one (MQTT 5). */
    private void disconnect(MqttReasonCodes.Disconnect reason, String why) {
        closing = true;
        if (protocolVersion >= 5 && ctx.channel().isActive()) {
            MqttProperties props = new MqttProperties();
            if (why != null) {
                props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, why));
            }
            ctx.writeAndFlush(MqttMessageBuilders.disconnect()
                            .reasonCode(reason.byteValue())
                            .properties(props)
                            .build())
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) {
        if (evt instanceof IdleStateEvent) {
            disconnect(MqttReasonCodes.Disconnect.KEEP_ALIVE_TIMEOUT, "keep-alive timeout");
        } else if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
            // The client sent its last byte: close once everything it sent has been read (at once if it
            // left before it was admitted: what it sent is not read then).
            inputShutdown = true;
            if (held.isEmpty() || authenticating) {
                context.close();
            }
        } else {
            context.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        gate.channelClosed();
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.poll()); // never to be read: the client is gone
        }
        if (session != null) {
            broker.sessions().disconnected(session, this, normalDisconnect ? null : will, willDelaySeconds);
        }
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        // An I/O error affects this connection only.
        LOG.log(System.Logger.Level.DEBUG, "connection {0} failed: {1}", clientId, String.valueOf(cause));
        context.close();
    }

    // ---- ClientLink: called by the session, from any thread ----

    @Override
    public void publish(Message message, int packetId, boolean dup) {
        Long remaining = null;
        if (message.expiresAtMillis() != 0) {
            long left = message.expiresAtMillis() - broker.clockMillis().getAsLong();
            remaining = Math.max(1, (left + 999) / 1000);
        }
        MqttProperties props = protocolVersion >= 5
                ? PropertiesCodec.toPublish(message.properties(), remaining)
                : MqttProperties.NO_PROPERTIES;
        MqttPublishMessage publish = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(message.qos()), message.retain(), 0),
                new MqttPublishVariableHeader(message.topic(), packetId, props),
                Unpooled.wrappedBuffer(message.payload()));
        ctx.channel().writeAndFlush(publish, ctx.channel().voidPromise());
    }

    @Override
    public void pubrel(int packetId) {
        ctx.channel()
                .writeAndFlush(
                        pubReply(MqttMessageType.PUBREL, packetId),
                        ctx.channel().voidPromise());
    }

    @Override
    public boolean fits(Message message) {
        if (clientMaxPacket == 0) {
            return true;
        }
        long size = 5L
                + 2
                + PropertiesCodec.utf8Length(message.topic())
                + 2
                + message.payload().length
                + (protocolVersion >= 5 ? PropertiesCodec.estimatedSize(message.properties()) : 0);
        return size <= clientMaxPacket;
    }

    @Override
    public void takenOver() {
        ctx.executor().execute(() -> disconnect(MqttReasonCodes.Disconnect.SESSION_TAKEN_OVER, "session taken over"));
    }

    // ---- helpers ----

    private MqttMessage pubReply(MqttMessageType type, int packetId) {
        return pubReply(type, packetId, 0);
    }

    private MqttMessage pubReply(MqttMessageType type, int packetId, int reasonCode) {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        return new MqttMessage(
                new MqttFixedHeader(type, false, qos, false, 0),
                new MqttPubReplyMessageVariableHeader(packetId, (byte) reasonCode, MqttProperties.NO_PROPERTIES));
    }

    private static int packetId(MqttMessage m) {
        return ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
    }

    private static int reasonCode(MqttMessage m) {
        return m.variableHeader() instanceof MqttPubReplyMessageVariableHeader r ? r.reasonCode() & 0xFF : 0;
    }

    private static long unsigned(MqttProperties props, int id, long dflt) {
        return props.getProperty(id) instanceof MqttProperties.IntegerProperty i
                ? Integer.toUnsignedLong(i.value())
                : dflt;
    }
}
