package dev.sedge.dataplane;

import dev.sedge.scaling.Decision;

/**
 * Observes every scaling decision of every dispatcher, and every change of its ready instances, for
 * metrics and logs. Called with the dispatcher's lock held, so one function's calls come in the order
 * of its changes: must be quick, must not block, must not throw, and must not call back into the
 * dispatcher.
 */
@FunctionalInterface
public interface ScaleListener {

    ScaleListener NONE = (function, decision, previous) -> {};

    /**
     * @param previous the desired count before this decision
     */
    void decided(String function, Decision decision, int previous);

    /** The function's keep-alive plan starts an instance that no event asked for: a pre-warm. */
    default void prewarmed(String function) {}

    /**
     * The function's ready instances went from {@code previous} to {@code ready}: an instance finished
     * starting, or one was retired, removed or closed with the function. Ignored unless overridden.
     */
    default void readyChanged(String function, int ready, int previous) {}
}
