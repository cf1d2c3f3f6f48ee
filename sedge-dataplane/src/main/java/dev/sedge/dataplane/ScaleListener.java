package dev.sedge.dataplane;

import dev.sedge.scaling.Decision;

/**
 * Observes every scaling decision of every dispatcher, for metrics and logs. Called with the dispatcher's
 * lock held: must be quick, must not block, must not throw, and must not call back into the dispatcher.
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
}
