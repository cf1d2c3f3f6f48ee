package dev.sedge.node.deadletter;

import dev.sedge.broker.Message.UserProperty;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a {@link DeadLetter}, big-endian. The function and the id are the map and the key
 * the value is stored under, so they are not repeated in it.
 *
 * <pre>
 * u8       format version (1)
 * bytes    topic                      bytes = i32 length, then that many bytes; -1 for null
 * bytes    payload                    strings are UTF-8
 * u8       qos
 * bytes    content type
 * bytes    correlation data
 * bytes    response topic
 * u8       payload format: 0 absent, 1 not UTF-8, 2 UTF-8
 * i32      user property count, then name and value (bytes) for each
 * bytes    kind
 * bytes    error
 * i32      attempts
 * i64      at, seconds since the epoch
 * i32      at, nanoseconds
 * </pre>
 *
 * <p>Stateless.
 */
final class DeadLetterCodec {

    static final int VERSION = 1;

    private DeadLetterCodec() {}

    /** A stored value that is not a letter of a known format. */
    static final class MalformedLetterException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedLetterException(String message) {
            super(message, null, false, false);
        }
    }

    static byte[] encode(DeadLetter letter) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(letter.payload().length + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeString(out, letter.topic());
            writeBytes(out, letter.payload());
            out.writeByte(letter.qos());
            writeString(out, letter.contentType());
            writeBytes(out, letter.correlationData());
            writeString(out, letter.responseTopic());
            out.writeByte(letter.payloadUtf8() == null ? 0 : letter.payloadUtf8() ? 2 : 1);
            out.writeInt(letter.userProperties().size());
            for (UserProperty p : letter.userProperties()) {
                writeString(out, p.name());
                writeString(out, p.value());
            }
            writeString(out, letter.kind());
            writeString(out, letter.error());
            out.writeInt(letter.attempts());
            out.writeLong(letter.at().getEpochSecond());
            out.writeInt(letter.at().getNano());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    static DeadLetter decode(String function, long id, byte[] value) throws MalformedLetterException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
        try {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new MalformedLetterException("unknown format version " + version);
            }
            String topic = required(readString(in, "topic"), "topic");
            byte[] payload = required(readBytes(in, "payload"), "payload");
            int qos = in.readUnsignedByte();
            String contentType = readString(in, "content type");
            byte[] correlationData = readBytes(in, "correlation data");
            String responseTopic = readString(in, "response topic");
            int format = in.readUnsignedByte();
            if (format > 2) {
                throw new MalformedLetterException("payload format " + format + " is not 0, 1 or 2");
            }
            Boolean payloadUtf8 = format == 0 ? null : format == 2;
            int count = in.readInt();
            // Each property takes at least 8 bytes: a count larger than what is left is a corrupt one.
            if (count < 0 || count > in.available() / 8) {
                throw new MalformedLetterException("user property count " + count + " does not fit");
            }
            List<UserProperty> users = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                users.add(new UserProperty(
                        required(readString(in, "user property name"), "user property name"),
                        required(readString(in, "user property value"), "user property value")));
            }
            String kind = required(readString(in, "kind"), "kind");
            String error = readString(in, "error");
            int attempts = in.readInt();
            Instant at = Instant.ofEpochSecond(in.readLong(), in.readInt());
            if (in.available() != 0) {
                throw new MalformedLetterException(in.available() + " bytes after the end");
            }
            return new DeadLetter(
                    id,
                    function,
                    topic,
                    payload,
                    qos,
                    contentType,
                    correlationData,
                    responseTopic,
                    payloadUtf8,
                    users,
                    kind,
                    error,
                    attempts,
                    at);
        } catch (IOException e) {
            throw new MalformedLetterException("truncated (" + value.length + " bytes)");
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new MalformedLetterException(String.valueOf(e.getMessage()));
        }
    }

    private static <T> T required(T value, String field) throws MalformedLetterException {
        if (value == null) {
            throw new MalformedLetterException(field + ": missing");
        }
        return value;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in, String field) throws IOException, MalformedLetterException {
        byte[] b = readBytes(in, field);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(DataInputStream in, String field) throws IOException, MalformedLetterException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        // Checked before allocating, so that a corrupt length cannot ask for gigabytes.
        if (length < 0 || length > in.available()) {
            throw new MalformedLetterException(field + ": length " + length + " does not fit");
        }
        return in.readNBytes(length);
    }
}
