package dev.sedge.broker.server;

import dev.sedge.broker.Message.MessageProperties;
import dev.sedge.broker.Message.UserProperty;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.util.ArrayList;
import java.util.List;

/** Converts between Netty's MQTT 5 PUBLISH properties and {@link MessageProperties}. Stateless. */
public final class PropertiesCodec {

    private PropertiesCodec() {}

    public static MessageProperties fromPublish(MqttProperties props) {
        if (props == null || props.isEmpty()) {
            return MessageProperties.NONE;
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
        List<UserProperty> users = List.of();
        @SuppressWarnings("rawtypes") // Netty's signature
        List<? extends MqttProperties.MqttProperty> raw = props.getProperties(MqttProperties.USER_PROPERTY);
        if (!raw.isEmpty()) {
            users = new ArrayList<>();
            for (Object p : raw) {
                if (p instanceof MqttProperties.UserProperties ups) {
                    for (MqttProperties.StringPair pair : ups.value()) {
                        users.add(new UserProperty(pair.key, pair.value));
                    }
                } else if (p instanceof MqttProperties.UserProperty up) {
                    users.add(new UserProperty(up.value().key, up.value().value));
                }
            }
        }
        return new MessageProperties(responseTopic, correlation, contentType, utf8, expiry, users);
    }

    /**
     * The properties of an outgoing PUBLISH.
     *
     * @param remainingExpirySeconds the expiry to send (MQTT-3.3.2-6: what is left of it), or null
     */
    public static MqttProperties toPublish(MessageProperties mp, Long remainingExpirySeconds) {
        if (mp.isEmpty() && remainingExpirySeconds == null) {
            return MqttProperties.NO_PROPERTIES;
        }
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
        if (remainingExpirySeconds != null) {
            props.add(new MqttProperties.IntegerProperty(
                    MqttProperties.PUBLICATION_EXPIRY_INTERVAL, remainingExpirySeconds.intValue()));
        }
        for (UserProperty u : mp.userProperties()) {
            props.add(new MqttProperties.UserProperty(u.name(), u.value()));
        }
        return props;
    }

    /** The encoded size of a PUBLISH's properties, for the client's Maximum Packet Size check. */
    public static int estimatedSize(MessageProperties mp) {
        int n = 4; // property length, at most four bytes
        if (mp.responseTopic() != null) {
            n += 3 + utf8Length(mp.responseTopic());
        }
        if (mp.correlationData() != null) {
            n += 3 + mp.correlationData().length;
        }
        if (mp.contentType() != null) {
            n += 3 + utf8Length(mp.contentType());
        }
        n += 2 + 5; // payload format indicator, message expiry
        for (UserProperty u : mp.userProperties()) {
            n += 5 + utf8Length(u.name()) + utf8Length(u.value());
        }
        return n;
    }

    public static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static String string(MqttProperties props, int type) {
        return props.getProperty(type) instanceof MqttProperties.StringProperty s ? s.value() : null;
    }
}
