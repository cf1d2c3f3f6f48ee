package dev.sedge.broker;

import java.util.List;
import java.util.Objects;

/**
 * An application message as the broker routes it: topic, payload, QoS, retain flag and the MQTT 5
 * properties that travel with it to subscribers.
 *
 * <p>Immutable by contract: nobody changes the payload array after construction.
 *
 * @param topic the topic name it was published to
 * @param payload the payload bytes, never null
 * @param qos the QoS it was published with, 0 to 2
 * @param retain the RETAIN flag as published
 * @param properties MQTT 5 properties, {@link MessageProperties#NONE} for none
 * @param publisherId the client identifier of the publisher, or null for the node itself
 * @param expiresAtMillis when the message expires (epoch milliseconds), 0 for never (MQTT 5 Message
 *     Expiry Interval, turned absolute on arrival)
 */
public record Message(
        String topic,
        byte[] payload,
        int qos,
        boolean retain,
        MessageProperties properties,
        String publisherId,
        long expiresAtMillis) {

    /** A message that never expires. */
    public Message(
            String topic, byte[] payload, int qos, boolean retain, MessageProperties properties, String publisherId) {
        this(topic, payload, qos, retain, properties, publisherId, 0);
    }

    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(properties, "properties");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2, was " + qos);
        }
    }

    /** Whether the message has expired at the given time (epoch milliseconds). */
    public boolean expiredAt(long nowMillis) {
        return expiresAtMillis != 0 && nowMillis >= expiresAtMillis;
    }

    /** The same message with another QoS and retain flag, as one subscriber receives it. */
    public Message withQosAndRetain(int newQos, boolean newRetain) {
        return newQos == qos && newRetain == retain
                ? this
                : new Message(topic, payload, newQos, newRetain, properties, publisherId, expiresAtMillis);
    }

    /** A message published by the node itself with no properties. */
    public static Message of(String topic, byte[] payload, int qos) {
        return new Message(topic, payload, qos, false, MessageProperties.NONE, null);
    }

    /**
     * The MQTT 5 properties of a PUBLISH that a subscriber receives (MQTT 5.0 section 3.3.2.3).
     *
     * @param responseTopic the response topic, or null
     * @param correlationData the correlation data, or null
     * @param contentType the content type, or null
     * @param payloadUtf8 the payload format indicator: true for UTF-8 text, null when absent
     * @param messageExpirySeconds the message expiry interval, or null for none
     * @param userProperties the user properties in order, duplicates allowed
     */
    public record MessageProperties(
            String responseTopic,
            byte[] correlationData,
            String contentType,
            Boolean payloadUtf8,
            Long messageExpirySeconds,
            List<UserProperty> userProperties) {

        public static final MessageProperties NONE = new MessageProperties(null, null, null, null, null, List.of());

        public MessageProperties {
            userProperties = List.copyOf(userProperties);
        }

        public boolean isEmpty() {
            return responseTopic == null
                    && correlationData == null
                    && contentType == null
                    && payloadUtf8 == null
                    && messageExpirySeconds == null
                    && userProperties.isEmpty();
        }
    }

    /** One MQTT 5 user property: a name and value pair. */
    public record UserProperty(String name, String value) {
        public UserProperty {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }
}
