package dev.sedge.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The reply of one invocation: bytes and their content type, or nothing.
 *
 * <p>Immutable and thread-safe.
 */
public final class Result {

    private static final byte[] NO_BYTES = new byte[0];
    private static final Result EMPTY = new Result(null, null);

    private final byte[] data;
    private final String contentType;

    private Result(byte[] data, String contentType) {
        this.data = data;
        this.contentType = contentType;
    }

    /** A result that publishes no reply. */
    public static Result empty() {
        return EMPTY;
    }

    /** A reply of raw bytes with the given content type (may be null). The array is copied. */
    public static Result of(byte[] data, String contentType) {
        return new Result(Objects.requireNonNull(data, "data").clone(), contentType);
    }

    /** A JSON reply; the caller vouches that the text is JSON. */
    public static Result json(String json) {
        return new Result(json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** A plain text reply. */
    public static Result text(String text) {
        return new Result(text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    /** True when there is no reply to publish. */
    public boolean isEmpty() {
        return data == null;
    }

    /** The reply's bytes (a copy), or an empty array for {@link #empty()}. */
    public byte[] data() {
        return data == null ? NO_BYTES : data.clone();
    }

    /** The reply decoded as UTF-8. */
    public String dataAsString() {
        return data == null ? "" : new String(data, StandardCharsets.UTF_8);
    }

    /** The reply's content type, or null when unknown or empty. */
    public String contentType() {
        return contentType;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Result r && Arrays.equals(data, r.data) && Objects.equals(contentType, r.contentType);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + Objects.hashCode(contentType);
    }

    @Override
    public String toString() {
        return isEmpty() ? "Result[empty]" : "Result[" + data.length + " bytes, " + contentType + "]";
    }
}
