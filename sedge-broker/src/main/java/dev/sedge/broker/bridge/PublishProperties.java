package dev.sedge.broker.bridge;

import dev.sedge.broker.Message.MessageProperties;
import dev.sedge.broker.Message.UserProperty;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The PUBLISH properties that cross the bridge, both ways, with the {@link BridgeOrigin#MARKER} and
 * {@link BridgeOrigin#SERVED} user properties added on the way out and taken off on the way in.
 * Stateless.
 */
final class PublishProperties {

    /**
     * A PUBLISH's properties as read from the external broker.
     *
     * @param properties what travels on into the node, without markers
     * @param origins the client ids in {@link BridgeOrigin#MARKER} properties: the bridges that forwarded it
     * @param served the shared filters in {@link BridgeOrigin#SERVED} properties: the groups whose member
     *     that forwarded it had it already
     */
    record Inbound(MessageProperties properties, List<String> origins, List<String> served) {}

    private PublishProperties() {}

    static Inbound decode(MqttProperties props) {
        if (props == null || props.isEmpty()) {
            return new Inbound(MessageProperties.NONE, List.of(), List.of());
        }
        String responseTopic = string(props, MqttProperties.RESPONSE_TOPIC);
        byte[] correlation = null;
        if (props.getProperty(MqttProperties.CORRELATION_DATA) instanceof MqttProperties.BinaryProperty b) {
            correlation = b.value();
        }
        String contentType = string(props, MqttProperties.CONTENT_TYPE);
        Boolean utf8 = null;
        if (props.getProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR) instanceof MqttProperties.IntegerProperty i) {
            utf8 = i.value() == 1;
        }
        Long expiry = null;
        if (props.getProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL) instanceof MqttProperties.IntegerProperty i) {
            expiry = Integer.toUnsignedLong(i.value());
        }
        List<UserProperty> users = new ArrayList<>();
        List<String> origins = new ArrayList<>(1);
        List<String> served = new ArrayList<>(1);
        for (Object p : props.getProperties(MqttProperties.USER_PROPERTY)) {
            if (p instanceof MqttProperties.UserProperties ups) {
                for (MqttProperties.StringPair pair : ups.value()) {
                    user(pair.key, pair.value, users, origins, served);
                }
            } else if (p instanceof MqttProperties.UserProperty up) {
                user(up.value().key, up.value().value, users, origins, served);
            }
        }
        return new Inbound(
                new MessageProperties(responseTopic, correlation, contentType, utf8, expiry, users), origins, served);
    }

    private static void user(
            String name, String value, List<UserProperty> users, List<String> origins, List<String> served) {
        if (name.equals(BridgeOrigin.MARKER)) {
            origins.add(value);
        } else if (name.equals(BridgeOrigin.SERVED)) {
            served.add(value);
        } else {
            users.add(new UserProperty(name, value));
        }
    }

    /**
     * The properties to forward, ending with the markers: this bridge, and the shared subscriptions of
     * this node the message matched, whose groups it has reached here already.
     */
    static MqttProperties encode(MessageProperties mp, String clientId, List<String> served) {
        MqttProperties props = new MqttProperties();
        if (mp.responseTopic() != null) {
            props.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, mp.responseTopic()));
        }
        if (mp.correlationData() != null) {
            props.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, mp.correlationData()));
        }
        if (mp.contentType() != null) {
            props.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, mp.contentType()));
        }
        if (mp.payloadUtf8() != null) {
            props.add(new MqttProperties.IntegerProperty(
                    MqttProperties.PAYLOAD_FORMAT_INDICATOR, mp.payloadUtf8() ? 1 : 0));
        }
        if (mp.messageExpirySeconds() != null) {
            props.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL, (int)
                    Math.min(mp.messageExpirySeconds(), 0xFFFF_FFFFL)));
        }
        for (UserProperty u : mp.userProperties()) {
            if (!u.name().equals(BridgeOrigin.MARKER) && !u.name().equals(BridgeOrigin.SERVED)) {
                props.add(new MqttProperties.UserProperty(u.name(), u.value()));
            }
        }
        props.add(new MqttProperties.UserProperty(BridgeOrigin.MARKER, clientId));
        for (String f : served) {
            props.add(new MqttProperties.UserProperty(BridgeOrigin.SERVED, f));
        }
        return props;
    }

    /**
     * An upper bound of the encoded size of a PUBLISH, to keep within the external broker's Maximum Packet
     * Size (MQTT-3.1.2-24) instead of being disconnected for it.
     */
    static long packetSizeBound(
            String topic, byte[] payload, MessageProperties mp, String clientId, List<String> served) {
        long props = 5L; // the property length's own variable byte integer, at most
        props += stringBound(mp.responseTopic()) + stringBound(mp.contentType());
        props += mp.correlationData() == null ? 0 : 3L + mp.correlationData().length;
        props += 2 + 5; // payload format indicator, message expiry
        for (UserProperty u : mp.userProperties()) {
            props += 1 + utf8(u.name()) + 2 + utf8(u.value()) + 2;
        }
        props += 1 + utf8(BridgeOrigin.MARKER) + 2 + utf8(clientId) + 2;
        for (String f : served) {
            props += 1 + utf8(BridgeOrigin.SERVED) + 2 + utf8(f) + 2;
        }
        long variable = 2 + utf8(topic) + 2 + props; // topic, packet identifier, properties
        return 5 + variable + payload.length; // fixed header at most 5 bytes
    }

    private static long stringBound(String s) {
        return s == null ? 0 : 3L + utf8(s);
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String string(MqttProperties props, int type) {
        return props.getProperty(type) instanceof MqttProperties.StringProperty s ? s.value() : null;
    }
}
