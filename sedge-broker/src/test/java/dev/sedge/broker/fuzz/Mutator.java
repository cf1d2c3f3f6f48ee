package dev.sedge.broker.fuzz;

import java.util.Arrays;
import java.util.Random;

/**
 * Damages packets the ways a broken or hostile client would: flipped bits, inserted and deleted bytes,
 * truncation, a Remaining Length that lies (slightly or wildly, including five-byte encodings), string
 * lengths that lie, spliced packets, and bytes that were never a packet. Stateless; the randomness is
 * the caller's, so a seed replays a run.
 */
final class Mutator {

    private static final int[] INTERESTING = {0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, 0x3F, 0x40, 0xC0};

    private Mutator() {}

    /** Random bytes, usually behind a plausible first byte so they reach more of the decoder. */
    static byte[] noise(Random r) {
        byte[] b = new byte[1 + r.nextInt(r.nextInt(8) == 0 ? 512 : 48)];
        r.nextBytes(b);
        if (r.nextBoolean()) {
            b[0] = (byte) ((1 + r.nextInt(15)) << 4 | (r.nextInt(4) == 0 ? r.nextInt(16) : 0));
        }
        return b;
    }

    /** One to three mutations of a copy of the packet. */
    static byte[] mutate(byte[] packet, Random r, PacketCorpus corpus) {
        byte[] b = packet.clone();
        for (int n = 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0); n > 0; n--) {
            b = once(b, r, corpus);
        }
        return b;
    }

    private static byte[] once(byte[] b, Random r, PacketCorpus corpus) {
        if (b.length == 0) {
            return noise(r);
        }
        return switch (r.nextInt(10)) {
            case 0 -> flipBits(b, r);
            case 1 -> setByte(b, r);
            case 2 -> insert(b, r);
            case 3 -> delete(b, r);
            case 4 -> Arrays.copyOf(b, r.nextInt(b.length)); // truncated
            case 5 -> remainingLength(b, r);
            case 6 -> stringLength(b, r);
            case 7 -> splice(b, corpus.pick(r.nextBoolean() ? 4 : 5, randomKind(r), r), r);
            case 8 -> flagsByte(b, r);
            default -> flipBits(b, r);
        };
    }

    private static byte[] flipBits(byte[] b, Random r) {
        for (int n = 1 + r.nextInt(4); n > 0; n--) {
            b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
    }

    private static byte[] setByte(byte[] b, Random r) {
        b[r.nextInt(b.length)] = (byte) (r.nextBoolean() ? INTERESTING[r.nextInt(INTERESTING.length)] : r.nextInt());
        return b;
    }

    private static byte[] insert(byte[] b, Random r) {
        int at = r.nextInt(b.length + 1);
        byte[] extra = new byte[1 + r.nextInt(8)];
        r.nextBytes(extra);
        byte[] out = new byte[b.length + extra.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(b, at, out, at + extra.length, b.length - at);
        return out;
    }

    private static byte[] delete(byte[] b, Random r) {
        int at = r.nextInt(b.length);
        int n = Math.min(b.length - at, 1 + r.nextInt(8));
        byte[] out = new byte[b.length - n];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + n, out, at, b.length - at - n);
        return out;
    }

    /** Replaces the fixed header's Remaining Length with a near miss or any value, in 1 to 5 bytes. */
    private static byte[] remainingLength(byte[] b, Random r) {
        int headerEnd = 1;
        int actual = 0;
        int multiplier = 1;
        while (headerEnd < b.length && headerEnd < 5) {
            int digit = b[headerEnd++] & 0xFF;
            actual += (digit & 0x7F) * multiplier;
            multiplier *= 128;
            if ((digit & 0x80) == 0) {
                break;
            }
        }
        int value = switch (r.nextInt(4)) {
            case 0 -> Math.max(0, actual + r.nextInt(7) - 3);
            case 1 -> r.nextInt(128);
            case 2 -> r.nextInt(268_435_456);
            default -> 268_435_455;
        };
        byte[] length = encodeLength(value, r.nextInt(10) == 0);
        byte[] out = new byte[1 + length.length + b.length - headerEnd];
        out[0] = b[0];
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(b, headerEnd, out, 1 + length.length, b.length - headerEnd);
        return out;
    }

    /** An MQTT Variable Byte Integer; {@code overlong} adds continuation bytes up to five, which is illegal. */
    private static byte[] encodeLength(int value, boolean overlong) {
        byte[] out = new byte[5];
        int n = 0;
        do {
            int digit = value % 128;
            value /= 128;
            if (value > 0 || (overlong && n < 4)) {
                digit |= 0x80;
            }
            out[n++] = (byte) digit;
        } while (value > 0 || (overlong && n < 5));
        return Arrays.copyOf(out, n);
    }

    /** Writes a lying two-byte length somewhere after the fixed header, where strings and ids live. */
    private static byte[] stringLength(byte[] b, Random r) {
        if (b.length < 4) {
            return flipBits(b, r);
        }
        int at = 2 + r.nextInt(b.length - 3);
        int value = r.nextBoolean() ? r.nextInt(65_536) : r.nextInt(8);
        b[at] = (byte) (value >> 8);
        b[at + 1] = (byte) value;
        return b;
    }

    /** Joins the head of one packet to the tail of another. */
    private static byte[] splice(byte[] a, byte[] b, Random r) {
        int headA = r.nextInt(a.length + 1);
        int tailB = r.nextInt(b.length + 1);
        byte[] out = new byte[headA + b.length - tailB];
        System.arraycopy(a, 0, out, 0, headA);
        System.arraycopy(b, tailB, out, headA, b.length - tailB);
        return out;
    }

    /** Changes the packet type or the flags of the first byte, or a CONNECT's flags byte. */
    private static byte[] flagsByte(byte[] b, Random r) {
        int connectFlags = connectFlagsOffset(b);
        if (connectFlags > 0 && r.nextBoolean()) {
            b[connectFlags] = (byte) r.nextInt(256); // will QoS 3, reserved bit, password without user ...
        } else if (r.nextBoolean()) {
            b[0] = (byte) ((b[0] & 0xF0) | r.nextInt(16));
        } else {
            b[0] = (byte) ((r.nextInt(16) << 4) | (b[0] & 0x0F));
        }
        return b;
    }

    /** The offset of a CONNECT's flags byte, or -1 when the packet is no CONNECT this can read. */
    private static int connectFlagsOffset(byte[] b) {
        if (b.length < 4 || (b[0] & 0xF0) != 0x10) {
            return -1;
        }
        int i = 1;
        while (i < b.length && i < 5 && (b[i] & 0x80) != 0) {
            i++;
        }
        i++; // past the last length byte
        if (i + 2 > b.length) {
            return -1;
        }
        int nameLength = (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
        int flags = i + 2 + nameLength + 1; // protocol name, then level, then flags
        return flags < b.length ? flags : -1;
    }

    private static PacketCorpus.Kind randomKind(Random r) {
        PacketCorpus.Kind[] kinds = PacketCorpus.Kind.values();
        return kinds[r.nextInt(kinds.length)];
    }
}
