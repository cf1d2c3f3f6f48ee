package dev.sedge.scaling;

import dev.sedge.scaling.metrics.ConcurrencyWindow;

/**
 * Turns what a function's window has seen into the number of instances it should have. Pure in what it
 * touches: no I/O and no clock read, time is {@code nowNanos}; a decider may keep state from one call to
 * the next (Knative's panic mode does). Not thread-safe: one function's calls come one at a time.
 */
@FunctionalInterface
public interface Decider {

    /**
     * @param window the function's concurrency so far
     * @param ready instances that can take events now
     * @param nowNanos the monotonic time of the decision
     */
    Decision decide(ConcurrencyWindow window, int ready, long nowNanos);
}
