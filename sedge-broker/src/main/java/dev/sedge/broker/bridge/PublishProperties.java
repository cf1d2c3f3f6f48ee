package dev.sedge.broker.bridge;

import dev.sedge.broker.Message.MessageProperties;
import dev.sedge.broker.Message.UserProperty;
import dev.sedge.broker.server.PropertiesCodec;
import io.netty.handler.codec.mqtt.MqttProperties;
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
        MessageProperties all = PropertiesCodec.fromPublish(props);
        List<UserProperty> users = new ArrayList<>(all.userProperties().size());
        List<String> origins = new ArrayList<>(1);
        List<String> served = new ArrayList<>(1);
        for (UserProperty u : all.userProperties()) {
            user(u.name(), u.value(), users, origins, served);
        }
        return new Inbound(
                new MessageProperties(
                        all.responseTopic(),
                        all.correlationData(),
                        all.contentType(),
                        all.payloadUtf8(),
                        all.messageExpirySeconds(),
                        users),
                origins,
                served);
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
        MessageProperties marked = withMarkers(mp, clientId, served);
        Long expiry = mp.messageExpirySeconds() == null ? null : Math.min(mp.messageExpirySeconds(), 0xFFFF_FFFFL);
        return PropertiesCodec.toPublish(marked, expiry);
    }

    /** The properties with markers of other bridges replaced by this bridge's own. */
    private static MessageProperties withMarkers(MessageProperties mp, String clientId, List<String> served) {
        List<UserProperty> users = new ArrayList<>(mp.userProperties().size() + 1 + served.size());
        for (UserProperty u : mp.userProperties()) {
            if (!u.name().equals(BridgeOrigin.MARKER) && !u.name().equals(BridgeOrigin.SERVED)) {
                users.add(u);
            }
        }
        users.add(new UserProperty(BridgeOrigin.MARKER, clientId));
        for (String f : served) {
            users.add(new UserProperty(BridgeOrigin.SERVED, f));
        }
        return new MessageProperties(
                mp.responseTopic(),
                mp.correlationData(),
                mp.contentType(),
                mp.payloadUtf8(),
                mp.messageExpirySeconds(),
                users);
    }

    /**
     * An upper bound of the encoded size of a PUBLISH, to keep within the external broker's Maximum Packet
     * Size (MQTT-3.1.2-24) instead of being disconnected for it.
     */
    static long packetSizeBound(
            String topic, byte[] payload, MessageProperties mp, String clientId, List<String> served) {
        // Fixed header (at most 5 bytes), topic, packet identifier, properties, payload.
        return 5L
                + 2
                + PropertiesCodec.utf8Length(topic)
                + 2
                + PropertiesCodec.estimatedSize(withMarkers(mp, clientId, served))
                + payload.length;
    }
}
