package dev.sedge.dataplane.time;

/**
 * The data plane's one clock contract: a monotonic nanosecond clock and one-shot timers on it. Deadlines,
 * retry backoff and scaling decisions all read this, never the system clock, so that a test steps a
 * {@link ManualTimers} instead of sleeping. Implementations are thread-safe.
 */
public interface Timers {

    /** The monotonic time, in nanoseconds; only differences mean anything. */
    long nanoTime();

    /**
     * Runs {@code task} once, {@code delayNanos} from now, on a thread of the timers' own. A task must be
     * quick and must not block: it hands longer work to a thread of its own.
     */
    Cancellable schedule(Runnable task, long delayNanos);

    /** A scheduled task. */
    @FunctionalInterface
    interface Cancellable {
        /** Stops the task from running if it has not started; harmless afterwards. */
        void cancel();
    }
}
