package dev.sedge.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One event delivered to a function, with the CloudEvents 1.0 context attributes.
 *
 * <p>For an MQTT trigger, {@link #subject()} is the topic the message was published to, and {@link
 * #extensions()} carries the MQTT 5 user properties that are not CloudEvents attributes. Immutable and
 * thread-safe; build one with {@link #builder()}.
 */
public final class Event {

    /** The CloudEvents specification version Sedge produces. */
    public static final String SPEC_VERSION = "1.0";

    private final String id;
    private final String source;
    private final String type;
    private final String subject;
    private final Instant time;
    private final String dataContentType;
    private final byte[] data;
    private final Map<String, String> extensions;

    private Event(Builder b) {
        this.id = Objects.requireNonNull(b.id, "id");
        this.source = Objects.requireNonNull(b.source, "source");
        this.type = Objects.requireNonNull(b.type, "type");
        this.subject = b.subject;
        this.time = b.time;
        this.dataContentType = b.dataContentType;
        this.data = b.data == null ? new byte[0] : b.data;
        this.extensions = Map.copyOf(b.extensions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The event's identifier, unique per source. */
    public String id() {
        return id;
    }

    /** Where the event comes from, a URI reference such as {@code mqtt://node/sensors/s1/temperature}. */
    public String source() {
        return source;
    }

    /** The kind of event, such as {@code dev.sedge.mqtt.message}. */
    public String type() {
        return type;
    }

    /** The subject: for an MQTT trigger, the topic. May be null. */
    public String subject() {
        return subject;
    }

    /** When the event happened. May be null. */
    public Instant time() {
        return time;
    }

    /** The media type of {@link #data()}, such as {@code application/json}. May be null. */
    public String dataContentType() {
        return dataContentType;
    }

    /** The payload (a copy; use {@link #dataSize()} or {@link #dataAsString()} to avoid one). */
    public byte[] data() {
        return data.clone();
    }

    /** The payload's length in bytes. */
    public int dataSize() {
        return data.length;
    }

    /** The payload decoded as UTF-8. */
    public String dataAsString() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** Extension attributes (CloudEvents extensions and MQTT 5 user properties). Unmodifiable. */
    public Map<String, String> extensions() {
        return extensions;
    }

    /**
     * Level {@code n} (0-based) of the subject split on {@code /}, or null when the subject has fewer
     * levels. For {@code sensors/s1/temperature}, level 1 is {@code s1}.
     */
    public String subjectLevel(int n) {
        if (subject == null || n < 0) {
            return null;
        }
        int start = 0;
        for (int level = 0; level < n; level++) {
            int slash = subject.indexOf('/', start);
            if (slash < 0) {
                return null;
            }
            start = slash + 1;
        }
        int end = subject.indexOf('/', start);
        return subject.substring(start, end < 0 ? subject.length() : end);
    }

    @Override
    public String toString() {
        return "Event[id=" + id + ", type=" + type + ", subject=" + subject + ", " + data.length + " bytes]";
    }

    /** Builds an {@link Event}. Not thread-safe. */
    public static final class Builder {
        private String id;
        private String source;
        private String type;
        private String subject;
        private Instant time;
        private String dataContentType;
        private byte[] data;
        private Map<String, String> extensions = Map.of();

        private Builder() {}

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder source(String source) {
            this.source = source;
            return this;
        }

        public Builder type(String type) {
            this.type = type;
            return this;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        public Builder dataContentType(String dataContentType) {
            this.dataContentType = dataContentType;
            return this;
        }

        /** Sets the payload; the array is not copied, so the caller must not change it afterwards. */
        public Builder data(byte[] data) {
            this.data = data;
            return this;
        }

        public Builder data(String text) {
            this.data = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public Builder extensions(Map<String, String> extensions) {
            this.extensions = Objects.requireNonNull(extensions, "extensions");
            return this;
        }

        /** @throws NullPointerException if id, source or type is missing */
        public Event build() {
            return new Event(this);
        }
    }
}
