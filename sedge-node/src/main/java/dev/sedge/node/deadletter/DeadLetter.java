package dev.sedge.node.deadletter;

import dev.sedge.broker.Message;
import dev.sedge.broker.Message.MessageProperties;
import dev.sedge.broker.Message.UserProperty;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An event that a function could not handle after its retries: the original MQTT message as it arrived,
 * with why and when it failed.
 *
 * <p>Immutable and thread-safe: the arrays are copied in and out.
 *
 * @param id the letter's number within its function, from 1 and increasing, never reused; 0 until the
 *     {@link DeadLetterStore} has assigned one
 * @param function the function that failed
 * @param topic the topic the message was published to
 * @param payload the payload as published
 * @param qos the QoS the message was published with, 0 to 2
 * @param contentType the message's content type, or null
 * @param correlationData the message's correlation data, or null
 * @param responseTopic the message's response topic, or null
 * @param payloadUtf8 the payload format indicator: true for UTF-8 text, null when absent
 * @param userProperties the message's user properties, in order
 * @param kind the failure kind's label: {@code error}, {@code timeout}, {@code start-failed},
 *     {@code rejected} or {@code expired}
 * @param error the failure's message; only its first line is kept, so that it prints as one line
 * @param attempts how many attempts ran
 * @param at when the event failed
 */
public record DeadLetter(
        long id,
        String function,
        String topic,
        byte[] payload,
        int qos,
        String contentType,
        byte[] correlationData,
        String responseTopic,
        Boolean payloadUtf8,
        List<UserProperty> userProperties,
        String kind,
        String error,
        int attempts,
        Instant at) {

    public DeadLetter {
        if (id < 0) {
            throw new IllegalArgumentException("id: " + id + " is negative");
        }
        if (function == null || function.isEmpty()) {
            throw new IllegalArgumentException("function: must not be empty");
        }
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos: " + qos + " is not 0, 1 or 2");
        }
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("kind: must not be empty");
        }
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts: " + attempts + " is negative");
        }
        Objects.requireNonNull(at, "at");
        payload = payload.clone();
        correlationData = correlationData == null ? null : correlationData.clone();
        userProperties = List.copyOf(userProperties);
        error = error == null ? "" : error.lines().findFirst().orElse("");
    }

    /**
     * A letter for a message that failed, without an id: what a trigger hands to
     * {@link DeadLetterStore#add}. The message's own properties are kept as they were.
     */
    public static DeadLetter of(String function, Message message, String kind, String error, int attempts, Instant at) {
        MessageProperties p = message.properties();
        return new DeadLetter(
                0,
                function,
                message.topic(),
                message.payload(),
                message.qos(),
                p.contentType(),
                p.correlationData(),
                p.responseTopic(),
                p.payloadUtf8(),
                p.userProperties(),
                kind,
                error,
                attempts,
                at);
    }

    /** The same letter with the id the store assigned. */
    public DeadLetter withId(long newId) {
        return new DeadLetter(
                newId,
                function,
                topic,
                payload,
                qos,
                contentType,
                correlationData,
                responseTopic,
                payloadUtf8,
                userProperties,
                kind,
                error,
                attempts,
                at);
    }

    /**
     * The original message again, as a trigger would receive it: published by the node itself and without
     * an expiry (the original one was measured from its first arrival).
     */
    public Message message() {
        return new Message(
                topic,
                payload(),
                qos,
                false,
                new MessageProperties(responseTopic, correlationData(), contentType, payloadUtf8, null, userProperties),
                null);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public byte[] correlationData() {
        return correlationData == null ? null : correlationData.clone();
    }

    // Arrays compare by content, so that a letter read back from the store equals the one written.
    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter d
                && id == d.id
                && qos == d.qos
                && attempts == d.attempts
                && function.equals(d.function)
                && topic.equals(d.topic)
                && Arrays.equals(payload, d.payload)
                && Objects.equals(contentType, d.contentType)
                && Arrays.equals(correlationData, d.correlationData)
                && Objects.equals(responseTopic, d.responseTopic)
                && Objects.equals(payloadUtf8, d.payloadUtf8)
                && userProperties.equals(d.userProperties)
                && kind.equals(d.kind)
                && error.equals(d.error)
                && at.equals(d.at);
    }

    @Override
    public int hashCode() {
        return Objects.hash(function, id, topic, Arrays.hashCode(payload), kind, at);
    }

    @Override
    public String toString() {
        return "DeadLetter[" + function + " #" + id + " on " + topic + ", " + payload.length + " bytes, qos " + qos
                + ", " + kind + ": " + error + ", " + attempts + " attempt(s) at " + at + "]";
    }
}
