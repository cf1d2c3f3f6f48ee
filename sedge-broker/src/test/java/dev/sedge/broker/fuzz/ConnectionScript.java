package dev.sedge.broker.fuzz;

import dev.sedge.broker.fuzz.PacketCorpus.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What one fuzzing connection sends: usually a CONNECT (itself mutated now and then), then a few hundred
 * packets of every kind a client sends. Each connection draws its own damage rate, from none to half of
 * its packets, because one malformed packet ends a connection: clean connections reach deep protocol
 * states (sessions, QoS 2 flows, aliases), dirty ones test the decoder. A few connections are noise from
 * the first byte. Immutable.
 *
 * @param packets the packets in order; TCP may merge or split them, an embedded channel gets one each
 */
record ConnectionScript(List<byte[]> packets) {

    private static final double[] DAMAGE_RATES = {0, 0, 0.002, 0.01, 0.05, 0.2, 0.5};

    /** A connection of {@code 50..maxPackets} packets drawn from the corpus. */
    static ConnectionScript draw(PacketCorpus corpus, Random r, int maxPackets) {
        int count = 50 + r.nextInt(Math.max(1, maxPackets - 49));
        List<byte[]> packets = new ArrayList<>(count);
        if (r.nextInt(20) == 0) {
            for (int i = 0; i < count; i++) {
                packets.add(Mutator.noise(r));
            }
            return new ConnectionScript(packets);
        }
        int version = r.nextBoolean() ? 5 : 4;
        double damage = DAMAGE_RATES[r.nextInt(DAMAGE_RATES.length)];
        byte[] connect = corpus.pick(version, Kind.CONNECT, r);
        packets.add(r.nextInt(7) == 0 ? Mutator.mutate(connect, r, corpus) : connect);
        for (int i = 1; i < count; i++) {
            // Now and then a packet encoded for the other protocol version, as a confused client sends.
            int v = r.nextInt(500) == 0 ? 9 - version : version;
            byte[] p = corpus.pick(v, kind(r), r);
            double d = r.nextDouble();
            if (d < damage / 5) {
                p = Mutator.noise(r);
            } else if (d < damage) {
                p = Mutator.mutate(p, r, corpus);
            }
            packets.add(p);
        }
        return new ConnectionScript(packets);
    }

    /** Mostly PUBLISH; the packets that end a connection (DISCONNECT, AUTH, a second CONNECT) are rare. */
    private static Kind kind(Random r) {
        int k = r.nextInt(1000);
        if (k < 120) {
            return Kind.SUBSCRIBE;
        }
        if (k < 170) {
            return Kind.UNSUBSCRIBE;
        }
        if (k < 220) {
            return Kind.PINGREQ;
        }
        if (k < 280) {
            return Kind.PUBACK;
        }
        if (k < 330) {
            return Kind.PUBREC;
        }
        if (k < 420) {
            return Kind.PUBREL;
        }
        if (k < 470) {
            return Kind.PUBCOMP;
        }
        if (k < 473) {
            return Kind.DISCONNECT;
        }
        if (k < 474) {
            return Kind.AUTH;
        }
        if (k < 475) {
            return Kind.CONNECT; // a second CONNECT is a protocol error
        }
        return Kind.PUBLISH;
    }
}
