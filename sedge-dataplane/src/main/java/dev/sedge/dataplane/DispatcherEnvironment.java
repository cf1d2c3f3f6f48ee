package dev.sedge.dataplane;

import dev.sedge.dataplane.time.Timers;
import dev.sedge.dataplane.warm.WarmPlanner;
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
 * @param planner the node's keep-alive policies, which the functions that name one are seated at; null
 *     when no function may name one
 */
public record DispatcherEnvironment(
        InvocationListener listener,
        ScaleListener scaling,
        Outbox outbox,
        Timers timers,
        Clock clock,
        LongSupplier stopwatch,
        RandomGenerator random,
        WarmPlanner planner) {

    /** An environment without keep-alive policies: every function scales by its autoscaler alone. */
    public DispatcherEnvironment(
            InvocationListener listener,
            ScaleListener scaling,
            Outbox outbox,
            Timers timers,
            Clock clock,
            LongSupplier stopwatch,
            RandomGenerator random) {
        this(listener, scaling, outbox, timers, clock, stopwatch, random, null);
    }

    /** An environment on the system's clocks. */
    public static DispatcherEnvironment of(
            InvocationListener listener, ScaleListener scaling, Outbox outbox, Timers timers) {
        return new DispatcherEnvironment(
                listener, scaling, outbox, timers, Clock.systemUTC(), System::nanoTime, ThreadLocalRandom.current());
    }
}
