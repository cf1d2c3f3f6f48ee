package dev.sedge.broker.server;

import dev.sedge.broker.flow.ReadGate;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters every connection adds to, for $SYS topics and metrics. Thread-safe. */
public final class BrokerStats {

    final LongAdder received = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder refusedConnects = new LongAdder();
    private final LongAdder publishersPausedTotal = new LongAdder();
    private final AtomicInteger publishersPausedNow = new AtomicInteger();

    /** What each connection's {@link ReadGate} tells about its back-pressure pauses. */
    final ReadGate.Listener backPressure = new ReadGate.Listener() {
        @Override
        public void paused() {
            publishersPausedTotal.increment();
            publishersPausedNow.incrementAndGet();
        }

        @Override
        public void resumed() {
            publishersPausedNow.decrementAndGet();
        }
    };

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

    /** Times a client connection stopped being read because a subscriber's backlog was full. */
    public long publishersPausedTotal() {
        return publishersPausedTotal.sum();
    }

    /** Client connections not read from now because a subscriber's backlog is full. */
    public int publishersPausedNow() {
        return publishersPausedNow.get();
    }
}
