package dev.sedge.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/** Bytes in and out of a connection under test, written as the packets' bytes are listed. Stateless. */
final class WireBytes {

    private WireBytes() {}

    /** A buffer of these bytes, each given as an int so that a listing can write 0xE0 without casts. */
    static ByteBuf bytes(int... b) {
        byte[] a = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            a[i] = (byte) b[i];
        }
        return Unpooled.wrappedBuffer(a);
    }

    /** The next buffer the channel wrote, in hex, released. */
    static String written(EmbeddedChannel ch) {
        ByteBuf out = ch.readOutbound();
        try {
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
        }
    }
}
