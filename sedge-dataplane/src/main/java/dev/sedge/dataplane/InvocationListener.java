package dev.sedge.dataplane;

/**
 * Observes every finished invocation, for metrics and logs. Called on the invoking thread; must be
 * quick and must not throw.
 */
@FunctionalInterface
public interface InvocationListener {

    InvocationListener NONE = (function, outcome) -> {};

    void completed(String function, Outcome outcome);
}
