package dev.sedge.broker.session;

import dev.sedge.broker.Message;
import dev.sedge.broker.store.MessageCodec;
import java.nio.ByteBuffer;

/**
 * A QoS 1 or 2 message on its way to one client: queued, or in flight with a packet identifier.
 * Guarded by its session's monitor.
 */
final class Outbound {

    enum Phase {
        QUEUED,
        AWAIT_PUBACK,
        AWAIT_PUBREC,
        AWAIT_PUBCOMP
    }

    final long seq;
    final Message message;
    int packetId;
    Phase phase = Phase.QUEUED;

    Outbound(long seq, Message message) {
        this.seq = seq;
        this.message = message;
    }

    /** Phase, packet identifier, then the message. */
    byte[] encode() {
        byte[] m = MessageCodec.encode(message);
        return ByteBuffer.allocate(3 + m.length)
                .put((byte) phase.ordinal())
                .putShort((short) packetId)
                .put(m)
                .array();
    }

    static Outbound decode(long seq, byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        Phase phase = Phase.values()[b.get()];
        int packetId = Short.toUnsignedInt(b.getShort());
        byte[] m = new byte[b.remaining()];
        b.get(m);
        Outbound o = new Outbound(seq, MessageCodec.decode(m));
        o.phase = phase;
        o.packetId = packetId;
        return o;
    }
}
