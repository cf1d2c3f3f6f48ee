package dev.sedge.dataplane;

import dev.sedge.dataplane.time.Timers;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The deadlines of one function's running attempts, on one timer. Every attempt of a function has the
 * same timeout, so deadlines come due in the order attempts began: they wait in a queue in that order,
 * and one timer is armed at the first that is not over. An attempt that ends takes its deadline out of
 * the queue (at once when it is first, as it nearly always is); the timer, when it fires, times out what
 * is due and is armed again for what is next, or not at all.
 *
 * <p>So an event schedules nothing: under steady traffic the timer fires about once a timeout, and a
 * function that goes quiet for a timeout arms it again with its next event. (A task per event cost a
 * wake-up of the timer's thread whenever it became the first due, and a cancelled task per event.)
 *
 * <p>Thread-safe: guarded by its own monitor, never held while a deadline's action runs.
 */
final class Deadlines {

    /**
     * One attempt's deadline; {@link #expired()} runs on the timer's thread if it falls due. An attempt
     * may extend it, so that one object is its deadline, its action and its identity.
     */
    abstract static class Deadline {
        private long dueNanos;
        private Deadlines queue;
        private boolean over;

        /** The attempt ran past its deadline. */
        abstract void expired();

        /** The attempt ended in time: its deadline will not fire. Idempotent. */
        final void cancel() {
            Deadlines q = queue;
            if (q != null) {
                q.cancel(this);
            }
        }
    }

    private final Timers timers;
    private final long timeoutNanos;
    private final ArrayDeque<Deadline> queue = new ArrayDeque<>();
    private boolean armed;

    Deadlines(Timers timers, long timeoutNanos) {
        this.timers = timers;
        this.timeoutNanos = timeoutNanos;
    }

    /** A new attempt's deadline, a timeout from now; {@code onTimeout} runs on the timer's thread if due. */
    Deadline start(Runnable onTimeout) {
        return track(new Deadline() {
            @Override
            void expired() {
                onTimeout.run();
            }
        });
    }

    /** Starts {@code started}, a timeout from now, and returns it. */
    <D extends Deadline> D track(D started) {
        Deadline d = started;
        d.dueNanos = timers.nanoTime() + timeoutNanos;
        d.queue = this;
        boolean arm;
        synchronized (this) {
            queue.addLast(d);
            arm = !armed;
            armed = true;
        }
        if (arm) {
            timers.schedule(this::fire, timeoutNanos);
        }
        return started;
    }

    /** Deadlines waiting, for tests. */
    synchronized int waiting() {
        return queue.size();
    }

    /** Whether the timer is armed (1) or not (0), for tests that count a function's timers. */
    synchronized int timers() {
        return armed ? 1 : 0;
    }

    private synchronized void cancel(Deadline d) {
        d.over = true;
        dropOverHeads();
    }

    private void fire() {
        List<Deadline> due = new ArrayList<>(1);
        long next;
        boolean again;
        synchronized (this) {
            long now = timers.nanoTime();
            while (!queue.isEmpty() && (queue.peekFirst().over || queue.peekFirst().dueNanos - now <= 0)) {
                Deadline d = queue.pollFirst();
                if (!d.over) {
                    d.over = true;
                    due.add(d);
                }
            }
            again = !queue.isEmpty();
            armed = again;
            next = again ? queue.peekFirst().dueNanos - now : 0;
        }
        if (again) {
            timers.schedule(this::fire, next);
        }
        for (Deadline d : due) {
            d.expired();
        }
    }

    /** Drops the attempts at the front that are over. Monitor held. */
    private void dropOverHeads() {
        while (!queue.isEmpty() && queue.peekFirst().over) {
            queue.pollFirst();
        }
    }
}
