package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An MQTT 3.1.1 client written byte by byte on a plain blocking socket: for a publisher that TCP slows
 * down while the node does not read it, and for a client that connects and publishes within a millisecond
 * of the port opening. Not thread-safe.
 */
final class RawMqtt implements AutoCloseable {

    /** One packet read: its first byte and its body. */
    record Packet(int type, byte[] body) {
        /** A PUBLISH's topic and payload as "topic payload" (QoS 0 or 1). */
        String publishText() {
            int len = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
            String topic = new String(body, 2, len, StandardCharsets.UTF_8);
            int from = 2 + len + (((type >> 1) & 3) > 0 ? 2 : 0); // a packet identifier at QoS 1 and 2
            return topic + " " + new String(body, from, body.length - from, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawMqtt(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects (clean session, keep-alive 60 s) and returns once the CONNACK accepted it. */
    static RawMqtt connect(int port, String clientId) throws IOException {
        RawMqtt c = new RawMqtt(new Socket(InetAddress.getLoopbackAddress(), port));
        c.out.write(connectPacket(clientId));
        Packet ack = c.read();
        assertThat(ack.type()).isEqualTo(0x20); // CONNACK
        assertThat(ack.body()).containsExactly(0x00, 0x00); // no session present, accepted
        return c;
    }

    static byte[] connectPacket(String clientId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T'}); // protocol name
        body.write(4); // protocol level: 3.1.1
        body.write(0x02); // flags: clean session
        body.writeBytes(new byte[] {0, 60}); // keep alive: 60 s
        writeString(body, clientId);
        return packet(0x10, body.toByteArray()); // CONNECT
    }

    static byte[] publishQos0(String topic, byte[] payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        body.writeBytes(payload); // QoS 0: no packet identifier
        return packet(0x30, body.toByteArray()); // PUBLISH, QoS 0, no DUP, no RETAIN
    }

    static byte[] publishQos1(String topic, int packetId, byte[] payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        body.writeBytes(new byte[] {(byte) (packetId >> 8), (byte) packetId});
        body.writeBytes(payload);
        return packet(0x32, body.toByteArray()); // PUBLISH, QoS 1
    }

    static byte[] subscribeQos0(int packetId, String filter) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {(byte) (packetId >> 8), (byte) packetId});
        writeString(body, filter);
        body.write(0); // requested QoS 0
        return packet(0x82, body.toByteArray()); // SUBSCRIBE (its reserved flags are 0010)
    }

    private static void writeString(ByteArrayOutputStream body, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        body.writeBytes(new byte[] {(byte) (b.length >> 8), (byte) b.length});
        body.writeBytes(b);
    }

    static byte[] packet(int type, byte[] body) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(type);
        int n = body.length;
        do { // remaining length, 7 bits a byte, low bits first
            int b = n % 128;
            n /= 128;
            p.write(n > 0 ? b | 0x80 : b);
        } while (n > 0);
        p.writeBytes(body);
        return p.toByteArray();
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    /** The next packet from the node. */
    Packet read() throws IOException {
        int type = in.readUnsignedByte();
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        byte[] body = new byte[length];
        in.readFully(body);
        return new Packet(type, body);
    }

    /** Connects, writes every message, disconnects and waits for the node to close. */
    static void flood(int port, String clientId, String topic, int count) throws IOException {
        try (RawMqtt c = connect(port, clientId)) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int i = 0; i < count; i++) {
                batch.writeBytes(publishQos0(topic, ("m" + i).getBytes(StandardCharsets.UTF_8)));
                if (batch.size() > 32 * 1024 || i == count - 1) {
                    c.out.write(batch.toByteArray()); // blocks while the node does not read
                    batch.reset();
                }
            }
            c.out.write(new byte[] {(byte) 0xE0, 0}); // DISCONNECT
            c.socket.shutdownOutput();
            InputStream rest = c.socket.getInputStream();
            rest.readAllBytes(); // the node closes once it has read everything up to the DISCONNECT
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
