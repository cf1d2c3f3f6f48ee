package dev.sedge.node.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.api.Event;
import dev.sedge.broker.Message;
import dev.sedge.broker.Message.UserProperty;
import dev.sedge.broker.bridge.BridgeOrigin;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns an MQTT message into a CloudEvent, following the CloudEvents MQTT binding:
 *
 * <ul>
 *   <li>binary mode (MQTT 5): the CloudEvents attributes are user properties, {@code specversion}
 *       among them; the content type property is {@code datacontenttype}; the payload is the data;
 *   <li>structured mode: the payload is a CloudEvents JSON object (content type
 *       {@code application/cloudevents+json}, or an MQTT 3.1.1 JSON payload with {@code specversion});
 *   <li>otherwise the payload is raw data, with {@code subject} = topic and a generated {@code id}.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class MqttEventBinding {

    public static final String RAW_TYPE = "dev.sedge.mqtt.message";
    private static final String STRUCTURED = "application/cloudevents+json";
    private static final Set<String> ATTRIBUTES =
            Set.of("specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema");
    private static final byte[] SPECVERSION = "\"specversion\"".getBytes(StandardCharsets.US_ASCII);

    private final ObjectMapper json;
    private final Clock clock;
    private final String idPrefix;
    private final AtomicLong seq = new AtomicLong();

    /** @param idPrefix prefix of generated event ids, unique per node start */
    public MqttEventBinding(ObjectMapper json, Clock clock, String idPrefix) {
        this.json = json;
        this.clock = clock;
        this.idPrefix = idPrefix;
    }

    public Event toEvent(Message m) {
        Message.MessageProperties props = m.properties();
        if (hasUserProperty(m, "specversion")) {
            return binary(m);
        }
        if (STRUCTURED.equals(props.contentType()) || looksStructured(m.payload())) {
            Event e = structured(m);
            if (e != null) {
                return e;
            }
        }
        return Event.builder()
                .id(idPrefix + seq.incrementAndGet())
                .source(source(m))
                .type(RAW_TYPE)
                .subject(m.topic())
                .time(clock.instant())
                .dataContentType(props.contentType())
                .data(m.payload())
                .extensions(userProperties(m, false))
                .build();
    }

    private Event binary(Message m) {
        Map<String, String> attrs = new LinkedHashMap<>();
        for (UserProperty u : m.properties().userProperties()) {
            attrs.put(u.name(), u.value());
        }
        return Event.builder()
                .id(attrs.getOrDefault("id", idPrefix + seq.incrementAndGet()))
                .source(attrs.getOrDefault("source", source(m)))
                .type(attrs.getOrDefault("type", RAW_TYPE))
                .subject(attrs.getOrDefault("subject", m.topic()))
                .time(time(attrs.get("time")))
                .dataContentType(m.properties().contentType())
                .data(m.payload())
                .extensions(userProperties(m, true))
                .build();
    }

    private Event structured(Message m) {
        JsonNode root;
        try {
            root = json.readTree(m.payload());
        } catch (java.io.IOException e) {
            return null;
        }
        if (root == null
                || !root.isObject()
                || !root.hasNonNull("specversion")
                || !root.hasNonNull("id")
                || !root.hasNonNull("source")
                || !root.hasNonNull("type")) {
            return null;
        }
        byte[] data;
        JsonNode d = root.get("data");
        if (root.hasNonNull("data_base64")) {
            try {
                data = Base64.getDecoder().decode(root.get("data_base64").asText());
            } catch (IllegalArgumentException e) {
                return null;
            }
        } else if (d == null || d.isNull()) {
            data = new byte[0];
        } else if (d.isTextual()) {
            data = d.asText().getBytes(StandardCharsets.UTF_8);
        } else {
            data = d.toString().getBytes(StandardCharsets.UTF_8);
        }
        Map<String, String> ext = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!ATTRIBUTES.contains(e.getKey())
                    && !e.getKey().startsWith("data")
                    && e.getValue().isValueNode()) {
                ext.put(e.getKey(), e.getValue().asText());
            }
        }
        String contentType = root.hasNonNull("datacontenttype")
                ? root.get("datacontenttype").asText()
                : (d != null && !d.isTextual() && !d.isNull() ? "application/json" : null);
        return Event.builder()
                .id(root.get("id").asText())
                .source(root.get("source").asText())
                .type(root.get("type").asText())
                .subject(root.hasNonNull("subject") ? root.get("subject").asText() : m.topic())
                .time(time(root.hasNonNull("time") ? root.get("time").asText() : null))
                .dataContentType(contentType)
                .data(data)
                .extensions(ext)
                .build();
    }

    private Instant time(String text) {
        if (text != null) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                // An unreadable time is replaced by the arrival time, not refused.
            }
        }
        return clock.instant();
    }

    private static String source(Message m) {
        if (BridgeOrigin.isBridged(m)) {
            return "/sedge/bridge"; // the publisher is a client of the external broker, not known here
        }
        return m.publisherId() == null ? "/sedge/mqtt" : "/sedge/mqtt/" + m.publisherId();
    }

    private static boolean hasUserProperty(Message m, String name) {
        for (UserProperty u : m.properties().userProperties()) {
            if (u.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> userProperties(Message m, boolean skipAttributes) {
        if (m.properties().userProperties().isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (UserProperty u : m.properties().userProperties()) {
            if (!skipAttributes || !ATTRIBUTES.contains(u.name())) {
                out.put(u.name(), u.value());
            }
        }
        return out;
    }

    /** A cheap test before parsing: a JSON object that mentions "specversion". */
    private static boolean looksStructured(byte[] p) {
        int i = 0;
        while (i < p.length && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t')) {
            i++;
        }
        if (i >= p.length || p[i] != '{') {
            return false;
        }
        outer:
        for (int s = i; s <= p.length - SPECVERSION.length; s++) {
            for (int k = 0; k < SPECVERSION.length; k++) {
                if (p[s + k] != SPECVERSION[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
