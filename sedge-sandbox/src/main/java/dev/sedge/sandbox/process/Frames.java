package dev.sedge.sandbox.process;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The frames exchanged with a process function over its stdin and stdout: a 4-byte big-endian length
 * and that many bytes of a UTF-8 JSON header, then a 4-byte big-endian length and that many bytes of
 * body. Nothing is escaped, and a reader takes one frame with four exact reads.
 */
final class Frames {

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The longest header accepted. Headers are small; the bound turns a function that prints text to
     * stdout (where "hell" reads as a length of 1.7 GB) into a clear error instead of a huge allocation.
     */
    static final int MAX_HEADER = 64 * 1024;

    /** The longest body accepted: the largest MQTT payload. */
    static final int MAX_BODY = 268_435_455;

    private Frames() {}

    /** One frame: its JSON header (an object with a {@code type}) and its body. */
    record Frame(JsonNode header, byte[] body) {

        String type() {
            return header.path("type").asText("");
        }

        /** A text field of the header, or null when absent or null. */
        String text(String field) {
            JsonNode n = header.get(field);
            return n == null || n.isNull() ? null : n.asText();
        }
    }

    /**
     * Reads one frame.
     *
     * @return the frame, or null when the stream ends cleanly between frames
     * @throws IOException when the stream ends inside a frame or does not hold a frame
     */
    static Frame read(DataInputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int headerLength = (first << 24) | (in.readUnsignedByte() << 16) | in.readUnsignedShort();
        if (headerLength <= 0 || headerLength > MAX_HEADER) {
            throw new IOException("stdout holds no frame (header length " + Integer.toUnsignedString(headerLength)
                    + "); a process function must write only frames to stdout and log to stderr");
        }
        byte[] headerBytes = readExactly(in, headerLength);
        JsonNode header;
        try {
            header = JSON.readTree(headerBytes);
        } catch (JacksonException e) {
            throw new IOException("frame header is not JSON: " + e.getOriginalMessage(), e);
        }
        if (header == null || !header.isObject() || !header.path("type").isTextual()) {
            throw new IOException("frame header is not a JSON object with a \"type\"");
        }
        int bodyLength = in.readInt();
        if (bodyLength < 0 || bodyLength > MAX_BODY) {
            throw new IOException("frame body length " + Integer.toUnsignedString(bodyLength) + " out of range");
        }
        return new Frame(header, readExactly(in, bodyLength));
    }

    /** Writes one frame; does not flush. */
    static void write(OutputStream out, ObjectNode header, byte[] body) throws IOException {
        byte[] headerBytes = JSON.writeValueAsBytes(header);
        writeInt(out, headerBytes.length);
        out.write(headerBytes);
        writeInt(out, body.length);
        out.write(body);
    }

    private static byte[] readExactly(DataInputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new EOFException("stdout ended inside a frame");
        }
        return bytes;
    }

    private static void writeInt(OutputStream out, int v) throws IOException {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
