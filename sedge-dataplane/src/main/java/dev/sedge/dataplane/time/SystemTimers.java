package dev.sedge.dataplane.time;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@link Timers} on {@link System#nanoTime()} and one daemon platform thread. Thread-safe. Lifecycle:
 * construct, use, {@link #close()}.
 */
public final class SystemTimers implements Timers, AutoCloseable {

    private final ScheduledThreadPoolExecutor executor;

    /** @param threadName the name of the timer thread */
    public SystemTimers(String threadName) {
        executor = new ScheduledThreadPoolExecutor(
                1, r -> Thread.ofPlatform().name(threadName).daemon().unstarted(r));
        // Every event schedules its deadline and cancels it when it finishes. Without removal a cancelled
        // task stays queued until its deadline (the timeout, 30 s by default): millions of dead tasks under
        // load, and young collections that copy them again and again.
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    /** Drops every pending task and stops the thread. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
