package dev.sedge.broker.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Valid MQTT 3.1.1 and 5 packets, encoded by Netty's {@link MqttEncoder}, that the fuzzer sends as they
 * are or mutates. Topics, filters, client identifiers and packet identifiers come from small vocabularies
 * so that packets of one connection meet each other: a PUBREL finds its QoS 2 PUBLISH, a PUBLISH finds a
 * subscription, a CONNECT finds the session another connection left.
 *
 * <p>Immutable once built, so fuzzing threads share one.
 */
final class PacketCorpus {

    /** The packets a client sends. */
    enum Kind {
        CONNECT,
        PUBLISH,
        SUBSCRIBE,
        UNSUBSCRIBE,
        PINGREQ,
        PUBACK,
        PUBREC,
        PUBREL,
        PUBCOMP,
        DISCONNECT,
        AUTH
    }

    /** The user the secured broker knows, and its password. */
    static final String USER = "fuzzer";

    static final String PASSWORD = "fuzz-pw";

    static final List<String> TOPICS = List.of(
            "fz/a",
            "fz/a/b",
            "fz/b/c",
            "fz/deny/x",
            "sensors/s1/temperature",
            "$SYS/broker/fake",
            "a",
            "a/b/c/d/e/f",
            "fz/\u00fcn\u00efc\u00f8d\u00e9",
            "/leading",
            "trailing/",
            "fz//empty");
    static final List<String> FILTERS = List.of(
            "fz/#",
            "fz/+",
            "#",
            "+",
            "+/+",
            "fz/a/b",
            "fz/+/c",
            "sensors/+/temperature",
            "$SYS/#",
            "$share/g/fz/#",
            "$share/g/#",
            "$share/h/fz/a",
            "$share//fz",
            "$share/g",
            "a/#/b",
            "fz/a+",
            "fz/deny/#",
            "/#");
    private static final List<String> CLIENT_IDS = List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7");
    private static final int MAX_PACKET_ID = 16;

    private final Map<Kind, List<byte[]>> v311;
    private final Map<Kind, List<byte[]>> v5;

    private PacketCorpus(Map<Kind, List<byte[]>> v311, Map<Kind, List<byte[]>> v5) {
        this.v311 = v311;
        this.v5 = v5;
    }

    /** Encodes {@code perKind} packets of each kind and version (fewer for the small kinds). */
    static PacketCorpus build(Random random, int perKind) {
        return new PacketCorpus(
                encodeAll(random, MqttVersion.MQTT_3_1_1, perKind), encodeAll(random, MqttVersion.MQTT_5, perKind));
    }

    /** One packet of the kind, as protocol level 4 (3.1.1) or 5 encodes it; CONNECT of level 4 may be 3.1. */
    byte[] pick(int version, Kind kind, Random random) {
        List<byte[]> packets = (version >= 5 ? v5 : v311).get(kind);
        if (packets == null || packets.isEmpty()) {
            packets = v5.get(kind); // AUTH exists in MQTT 5 only: a 3.1.1 connection may still receive one
        }
        return packets.get(random.nextInt(packets.size()));
    }

    int size() {
        return v311.values().stream().mapToInt(List::size).sum()
                + v5.values().stream().mapToInt(List::size).sum();
    }

    private static Map<Kind, List<byte[]>> encodeAll(Random random, MqttVersion version, int perKind) {
        boolean five = version == MqttVersion.MQTT_5;
        Map<Kind, List<byte[]>> out = new EnumMap<>(Kind.class);
        // The encoder learns the protocol version from the CONNECT it encodes: one channel per version.
        EmbeddedChannel encoder = new EmbeddedChannel(false, false, MqttEncoder.INSTANCE);
        encoder.config().setAllocator(new UnpooledByteBufAllocator(false, true));
        try {
            encoder.register();
            for (Kind kind : Kind.values()) {
                List<byte[]> packets = new ArrayList<>();
                int n = switch (kind) {
                    case PINGREQ -> 1;
                    case DISCONNECT, AUTH -> five ? perKind / 10 + 1 : (kind == Kind.AUTH ? 0 : 1);
                    case PUBLISH -> perKind * 4;
                    default -> perKind;
                };
                for (int i = 0; i < n; i++) {
                    MqttMessage m = message(kind, random, version, i);
                    byte[] bytes = encode(encoder, m);
                    if (bytes != null) {
                        packets.add(bytes);
                    }
                    if (kind == Kind.CONNECT && version != MqttVersion.MQTT_5) {
                        // A 3.1 CONNECT switched the encoder to 3.1; later packets are the same in 3.1.1.
                        encode(encoder, connect(random, MqttVersion.MQTT_3_1_1, "reset"));
                    }
                }
                out.put(kind, List.copyOf(packets));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the packet corpus", e);
        } finally {
            encoder.finishAndReleaseAll();
        }
        return out;
    }

    /** The encoded bytes, or null when the encoder refuses the message (then it is not a valid packet). */
    private static byte[] encode(EmbeddedChannel encoder, MqttMessage m) {
        try {
            encoder.writeOutbound(m);
        } catch (RuntimeException refused) {
            encoder.releaseOutbound();
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (ByteBuf b = encoder.readOutbound(); b != null; b = encoder.readOutbound()) {
            bytes.writeBytes(ByteBufUtil.getBytes(b));
            b.release();
        }
        return bytes.toByteArray();
    }

    private static MqttMessage message(Kind kind, Random r, MqttVersion version, int i) {
        boolean five = version == MqttVersion.MQTT_5;
        return switch (kind) {
            case CONNECT -> {
                MqttVersion v = !five && r.nextInt(10) == 0 ? MqttVersion.MQTT_3_1 : version;
                yield connect(r, v, clientId(r));
            }
            case PUBLISH -> publish(r, five);
            case SUBSCRIBE -> {
                MqttMessageBuilders.SubscribeBuilder b =
                        MqttMessageBuilders.subscribe().messageId(packetId(r));
                int n = 1 + r.nextInt(4);
                for (int k = 0; k < n; k++) {
                    String filter = pick(r, FILTERS);
                    // No Local on a shared subscription is a protocol error (MQTT-3.8.3-4): rare, it ends the
                    // connection.
                    boolean noLocal = five && r.nextInt(filter.startsWith("$share/") ? 50 : 5) == 0;
                    b.addSubscription(
                            filter,
                            new MqttSubscriptionOption(
                                    MqttQoS.valueOf(r.nextInt(3)),
                                    noLocal,
                                    five && r.nextInt(5) == 0,
                                    MqttSubscriptionOption.RetainedHandlingPolicy.valueOf(five ? r.nextInt(3) : 0)));
                }
                MqttProperties p = new MqttProperties();
                if (five && r.nextInt(5) == 0) {
                    p.add(new MqttProperties.IntegerProperty(
                            MqttProperties.SUBSCRIPTION_IDENTIFIER, 1 + r.nextInt(10)));
                }
                if (five && r.nextInt(5) == 0) {
                    p.add(new MqttProperties.UserProperty("k", "v"));
                }
                yield b.properties(p).build();
            }
            case UNSUBSCRIBE -> {
                MqttMessageBuilders.UnsubscribeBuilder b =
                        MqttMessageBuilders.unsubscribe().messageId(packetId(r));
                int n = 1 + r.nextInt(3);
                for (int k = 0; k < n; k++) {
                    b.addTopicFilter(pick(r, FILTERS));
                }
                yield b.build();
            }
            case PINGREQ ->
                new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0));
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> {
                MqttMessageType type = MqttMessageType.valueOf(kind.name());
                MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
                byte reason = five ? (byte) new int[] {0x00, 0x00, 0x10, 0x80, 0x92}[r.nextInt(5)] : 0;
                MqttProperties p = new MqttProperties();
                if (five && r.nextInt(8) == 0) {
                    p.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, "why"));
                }
                yield new MqttMessage(
                        new MqttFixedHeader(type, false, qos, false, 0),
                        new MqttPubReplyMessageVariableHeader(packetId(r), reason, p));
            }
            case DISCONNECT -> {
                MqttProperties p = new MqttProperties();
                if (five && r.nextInt(3) == 0) {
                    p.add(new MqttProperties.IntegerProperty(
                            MqttProperties.SESSION_EXPIRY_INTERVAL, new int[] {0, 10, -1}[r.nextInt(3)]));
                }
                byte reason = five ? (byte) new int[] {0x00, 0x04, 0x80, 0x8E}[r.nextInt(4)] : 0;
                yield MqttMessageBuilders.disconnect()
                        .reasonCode(reason)
                        .properties(p)
                        .build();
            }
            case AUTH -> {
                MqttProperties p = new MqttProperties();
                p.add(new MqttProperties.StringProperty(MqttProperties.AUTHENTICATION_METHOD, "SCRAM-SHA-1"));
                yield MqttMessageBuilders.auth()
                        .reasonCode((byte) (r.nextBoolean() ? 0x18 : 0x19))
                        .properties(p)
                        .build();
            }
        };
    }

    private static MqttMessage connect(Random r, MqttVersion version, String clientId) {
        boolean five = version == MqttVersion.MQTT_5;
        MqttMessageBuilders.ConnectBuilder b = MqttMessageBuilders.connect()
                .protocolVersion(version)
                .clientId(clientId)
                .cleanSession(clientId.isEmpty() || r.nextBoolean())
                .keepAlive(new int[] {0, 0, 1, 2, 60, 65_535}[r.nextInt(6)]);
        if (r.nextInt(5) < 2) {
            MqttProperties wp = new MqttProperties();
            if (five) {
                if (r.nextBoolean()) {
                    wp.add(new MqttProperties.IntegerProperty(
                            MqttProperties.WILL_DELAY_INTERVAL, new int[] {0, 1, 3600}[r.nextInt(3)]));
                }
                if (r.nextInt(4) == 0) {
                    wp.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL, 1));
                }
                if (r.nextInt(4) == 0) {
                    wp.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, pick(r, TOPICS)));
                }
            }
            b.willFlag(true)
                    .willQoS(MqttQoS.valueOf(r.nextInt(3)))
                    .willRetain(r.nextInt(4) == 0)
                    .willTopic(r.nextInt(10) == 0 ? pick(r, FILTERS) : pick(r, TOPICS))
                    .willMessage(payload(r))
                    .willProperties(wp);
        }
        if (r.nextInt(5) < 2) {
            int who = r.nextInt(4);
            b.hasUser(true).username(who < 2 ? USER : who == 2 ? "alice" : "");
            if (r.nextInt(5) > 0) {
                b.hasPassword(true).password(utf8(who == 0 ? PASSWORD : who == 1 ? "wrong" : "x"));
            }
        }
        if (five) {
            MqttProperties p = new MqttProperties();
            if (r.nextBoolean()) {
                p.add(new MqttProperties.IntegerProperty(
                        MqttProperties.SESSION_EXPIRY_INTERVAL, new int[] {0, 1, 2, 300, -1}[r.nextInt(5)]));
            }
            if (r.nextInt(4) == 0) {
                p.add(new MqttProperties.IntegerProperty(
                        MqttProperties.RECEIVE_MAXIMUM, new int[] {0, 1, 2, 10, 65_535}[r.nextInt(5)]));
            }
            if (r.nextInt(4) == 0) {
                p.add(new MqttProperties.IntegerProperty(
                        MqttProperties.MAXIMUM_PACKET_SIZE, new int[] {0, 20, 64, 200, 1 << 20}[r.nextInt(5)]));
            }
            if (r.nextInt(4) == 0) {
                p.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, r.nextInt(6)));
            }
            if (r.nextInt(6) == 0) {
                p.add(new MqttProperties.IntegerProperty(MqttProperties.REQUEST_RESPONSE_INFORMATION, 1));
            }
            if (r.nextInt(6) == 0) {
                p.add(new MqttProperties.UserProperty("device", "fuzz"));
            }
            if (r.nextInt(30) == 0) {
                p.add(new MqttProperties.StringProperty(MqttProperties.AUTHENTICATION_METHOD, "SCRAM-SHA-1"));
            }
            b.properties(p);
        }
        return b.build();
    }

    private static MqttMessage publish(Random r, boolean five) {
        MqttQoS qos = MqttQoS.valueOf(r.nextInt(3));
        String topic = pick(r, TOPICS);
        MqttProperties p = new MqttProperties();
        if (five) {
            if (r.nextInt(8) == 0) {
                // Mostly aliases every broker configuration allows; now and then one out of range, which
                // ends the connection (so rarely, or clean connections would never get deep).
                int alias = r.nextInt(20) > 0 ? 1 + r.nextInt(3) : new int[] {0, 63, 64, 65, 65_535}[r.nextInt(5)];
                p.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, alias));
                if (r.nextInt(10) == 0) {
                    topic = ""; // the alias stands for the topic: a protocol error if it was never set
                }
            }
            if (r.nextInt(5) == 0) {
                p.add(new MqttProperties.IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR, r.nextInt(2)));
            }
            if (r.nextInt(5) == 0) {
                p.add(new MqttProperties.IntegerProperty(
                        MqttProperties.PUBLICATION_EXPIRY_INTERVAL, new int[] {0, 1, 2, 60, -1}[r.nextInt(5)]));
            }
            if (r.nextInt(5) == 0) {
                // Wildcards are not allowed in a response topic (MQTT-3.3.2-14); the vocabulary has some.
                p.add(new MqttProperties.StringProperty(
                        MqttProperties.RESPONSE_TOPIC, r.nextBoolean() ? pick(r, TOPICS) : pick(r, FILTERS)));
            }
            if (r.nextInt(5) == 0) {
                p.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, payload(r)));
            }
            if (r.nextInt(5) == 0) {
                p.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, "application/json"));
            }
            for (int k = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0; k > 0; k--) {
                p.add(new MqttProperties.UserProperty("k" + k, "v" + r.nextInt(100)));
            }
            if (r.nextInt(40) == 0) {
                // Only a server sends a Subscription Identifier in a PUBLISH (MQTT-3.3.4-6).
                p.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, 7));
            }
        }
        return MqttMessageBuilders.publish()
                .topicName(topic)
                .qos(qos)
                .retained(r.nextInt(5) == 0)
                .messageId(qos == MqttQoS.AT_MOST_ONCE ? 0 : packetId(r))
                .properties(p)
                .payload(Unpooled.wrappedBuffer(payload(r)))
                .build();
    }

    private static String clientId(Random r) {
        int k = r.nextInt(20);
        if (k == 0) {
            return "";
        }
        if (k < 17) {
            return pick(r, CLIENT_IDS);
        }
        return "fz-" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36);
    }

    private static int packetId(Random r) {
        return r.nextInt(50) == 0 ? 65_535 : 1 + r.nextInt(MAX_PACKET_ID);
    }

    private static byte[] payload(Random r) {
        int k = r.nextInt(100);
        int n = k < 20 ? 0 : k < 70 ? 1 + r.nextInt(16) : k < 99 ? 17 + r.nextInt(496) : 513 + r.nextInt(7680);
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static String pick(Random r, List<String> from) {
        return from.get(r.nextInt(from.size()));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
