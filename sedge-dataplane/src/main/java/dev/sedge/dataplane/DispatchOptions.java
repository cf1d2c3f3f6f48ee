package dev.sedge.dataplane;

/**
 * How one event is dispatched, beyond the function's own settings. Immutable.
 *
 * @param orderKey events with the same key run one at a time, in the order they were dispatched; null for
 *     no order
 * @param expiresAtNanos the {@link dev.sedge.dataplane.time.Timers} time after which the event must not
 *     run (it becomes an {@link Outcome.Kind#EXPIRED} failure instead), or 0 for never
 * @param maxRetries the retries this event may have, or -1 for the function's {@link RetryPolicy}
 * @param runHere whether the event may run on the thread that dispatches it, when its function has shown
 *     itself short and an instance is free ({@link InlineGate}): a caller that would otherwise wait for
 *     the outcome, or hand it on, saves the hand-off to a new thread
 */
public record DispatchOptions(String orderKey, long expiresAtNanos, int maxRetries, boolean runHere) {

    public static final DispatchOptions NONE = new DispatchOptions(null, 0, -1);

    /** Runs on a thread of its own. */
    public DispatchOptions(String orderKey, long expiresAtNanos, int maxRetries) {
        this(orderKey, expiresAtNanos, maxRetries, false);
    }

    /** Whether the event has expired at {@code nowNanos}. */
    public boolean expired(long nowNanos) {
        return expiresAtNanos != 0 && nowNanos - expiresAtNanos >= 0;
    }
}
