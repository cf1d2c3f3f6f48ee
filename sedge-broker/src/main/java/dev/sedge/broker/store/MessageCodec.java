package dev.sedge.broker.store;

import dev.sedge.broker.Message;
import dev.sedge.broker.Message.MessageProperties;
import dev.sedge.broker.Message.UserProperty;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a {@link Message} as bytes for the store, and back. The first byte is a format version so
 * that a later release can still read what an earlier one wrote. Stateless.
 */
public final class MessageCodec {

    private static final int VERSION = 1;

    private MessageCodec() {}

    public static byte[] encode(Message m) {
        ByteArrayOutputStream bytes =
                new ByteArrayOutputStream(64 + m.payload().length + m.topic().length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static Message decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("stored message is unreadable", e);
        }
    }

    static void write(DataOutputStream out, Message m) throws IOException {
        out.writeByte(VERSION);
        out.writeUTF(m.topic());
        out.writeByte(m.qos());
        out.writeBoolean(m.retain());
        out.writeLong(m.expiresAtMillis());
        writeNullable(out, m.publisherId());
        MessageProperties p = m.properties();
        writeNullable(out, p.responseTopic());
        writeBytes(out, p.correlationData());
        writeNullable(out, p.contentType());
        out.writeByte(p.payloadUtf8() == null ? 2 : (p.payloadUtf8() ? 1 : 0));
        out.writeLong(p.messageExpirySeconds() == null ? -1 : p.messageExpirySeconds());
        out.writeInt(p.userProperties().size());
        for (UserProperty u : p.userProperties()) {
            out.writeUTF(u.name());
            out.writeUTF(u.value());
        }
        out.writeInt(m.payload().length);
        out.write(m.payload());
    }

    static Message read(DataInputStream in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("unknown stored message format " + version);
        }
        String topic = in.readUTF();
        int qos = in.readUnsignedByte();
        boolean retain = in.readBoolean();
        long expiresAt = in.readLong();
        String publisher = readNullable(in);
        String responseTopic = readNullable(in);
        byte[] correlation = readBytes(in);
        String contentType = readNullable(in);
        int utf8 = in.readUnsignedByte();
        long expiry = in.readLong();
        int users = in.readInt();
        List<UserProperty> props = new ArrayList<>(users);
        for (int i = 0; i < users; i++) {
            props.add(new UserProperty(in.readUTF(), in.readUTF()));
        }
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        MessageProperties p = new MessageProperties(
                responseTopic,
                correlation,
                contentType,
                utf8 == 2 ? null : utf8 == 1,
                expiry < 0 ? null : expiry,
                props);
        return new Message(topic, payload, qos, retain, p, publisher, expiresAt);
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
