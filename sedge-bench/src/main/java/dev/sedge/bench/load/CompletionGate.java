package dev.sedge.bench.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Keeps a closed loop closed end to end when the broker acknowledges on receipt: a publisher may send
 * only while fewer than {@code limit} messages of all publishers are sent but not yet completed by the
 * far end of the path. Thread-safe; shared by the publishers of one generator.
 */
final class CompletionGate {

    private final LongSupplier completed;
    private final long limit;
    private final AtomicLong sent = new AtomicLong();

    CompletionGate(LongSupplier completed, long limit) {
        this.completed = completed;
        this.limit = limit;
    }

    /** Takes a permit to send one message, or returns false while the path has {@code limit} in flight. */
    boolean tryAcquire() {
        if (sent.get() - completed.getAsLong() >= limit) {
            return false;
        }
        sent.incrementAndGet();
        return true;
    }
}
