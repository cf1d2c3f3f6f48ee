package dev.sedge.broker.server;

import java.util.concurrent.atomic.LongAdder;

/** Counters every connection adds to, for $SYS topics and metrics. Thread-safe. */
public final class BrokerStats {

    final LongAdder received = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder refusedConnects = new LongAdder();

    /** PUBLISH packets received from clients. */
    public long received() {
        return received.sum();
    }

    /** Connections closed for a malformed or out-of-order packet. */
    public long malformed() {
        return malformed.sum();
    }

    /** CONNECTs refused. */
    public long refusedConnects() {
        return refusedConnects.sum();
    }
}
