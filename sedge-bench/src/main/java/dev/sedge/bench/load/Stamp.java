package dev.sedge.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The first bytes of a latency benchmark's payload, which the target echoes back unchanged:
 *
 * <pre>
 *   0..7   intended send time, System.nanoTime() of the generator's process (big-endian)
 *   8..11  phase: which offered rate the message belongs to, so a late reply is not counted in the next
 *   12     1 if the message's intended send time is in the measurement window, else 0
 *   13..   zero padding up to the payload size
 * </pre>
 *
 * Stateless.
 */
final class Stamp {

    static final int BYTES = 13;

    private Stamp() {}

    static ByteBuf write(int payloadBytes, long intendedNanos, int phase, boolean measured) {
        ByteBuf b = Unpooled.buffer(payloadBytes, payloadBytes);
        b.writeLong(intendedNanos).writeInt(phase).writeByte(measured ? 1 : 0);
        b.writeZero(payloadBytes - BYTES);
        return b;
    }

    static long intendedNanos(ByteBuf payload) {
        return payload.getLong(payload.readerIndex());
    }

    static int phase(ByteBuf payload) {
        return payload.getInt(payload.readerIndex() + 8);
    }

    static boolean measured(ByteBuf payload) {
        return payload.getByte(payload.readerIndex() + 12) == 1;
    }
}
