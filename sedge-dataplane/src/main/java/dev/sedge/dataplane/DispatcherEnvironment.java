package dev.sedge.dataplane;

import dev.sedge.dataplane.time.Timers;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Collaborators shared by every dispatcher of a node. Immutable; each part is thread-safe.
 *
 * @param timers the clock and timers of deadlines, retries and scaling decisions
 * @param clock the wall clock, for the deadline a function sees
 * @param stopwatch the nanosecond source that measures durations and cold-start phases
 * @param random jitter for retry backoff; must be safe to share between threads
 */
public record DispatcherEnvironment(
        InvocationListener listener,
        ScaleListener scaling,
        Outbox outbox,
        Timers timers,
        Clock clock,
        LongSupplier stopwatch,
        RandomGenerator random) {

    /** An environment on the system's clocks. */
    public static DispatcherEnvironment of(
            InvocationListener listener, ScaleListener scaling, Outbox outbox, Timers timers) {
        return new DispatcherEnvironment(
                listener, scaling, outbox, timers, Clock.systemUTC(), System::nanoTime, ThreadLocalRandom.current());
    }
}
