package dev.sedge.dataplane;

import java.util.ArrayList;
import java.util.List;

/**
 * The dispatcher's queue as its publishers see it: full at the queue's size (only with
 * {@link Overflow#BACKPRESSURE}), drained at half of it, so that publishers paused at the full mark are
 * not resumed and paused again at every event.
 *
 * <p>{@link #saturated()} is lock-free; the rest is guarded by the dispatcher's lock.
 */
final class QueuePressure {

    private final int max;
    private final boolean backpressure;
    private final List<Runnable> waiters = new ArrayList<>();
    /** The queue's length, readable without the lock. */
    private volatile int queued;

    QueuePressure(DispatcherConfig config) {
        this.max = config.maxQueued();
        this.backpressure = config.overflow() == Overflow.BACKPRESSURE;
    }

    boolean saturated() {
        return backpressure && queued >= max;
    }

    /**
     * Registers an action for when the queue has drained; false, with nothing registered, when it is not
     * full now (the caller runs the action at once).
     */
    boolean register(Runnable action, boolean closed) {
        if (closed || queued < max) {
            return false;
        }
        waiters.add(action);
        return true;
    }

    /** The queue now holds {@code n}; the actions of publishers waiting for a drain go to {@code after}. */
    void queued(int n, boolean closed, List<Runnable> after) {
        queued = n;
        if (!waiters.isEmpty() && (closed || n <= max / 2)) {
            after.addAll(waiters);
            waiters.clear();
        }
    }

    /** The actions waiting, taken out: for a caller that must run them now. */
    List<Runnable> takeWaiters() {
        List<Runnable> all = new ArrayList<>(waiters);
        waiters.clear();
        return all;
    }
}
