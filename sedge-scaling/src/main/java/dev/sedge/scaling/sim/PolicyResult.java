package dev.sedge.scaling.sim;

/**
 * What one policy did over one trace. Immutable.
 *
 * @param policy the policy's name
 * @param invocations events served
 * @param coldStarts events that found no ready instance (they started one or waited for one starting)
 * @param avoidableColdStarts cold starts other than each function's first event, which is always cold
 * @param wastedGibSeconds the time instances sat ready and unused, times their memory
 * @param prewarms instances started by the plan rather than by an event
 * @param addedLatencyP50Millis the median wait for an instance over all events
 * @param addedLatencyP99Millis the 99th percentile of that wait
 */
public record PolicyResult(
        String policy,
        long invocations,
        long coldStarts,
        long avoidableColdStarts,
        double wastedGibSeconds,
        long prewarms,
        double addedLatencyP50Millis,
        double addedLatencyP99Millis) {

    /** Cold starts over invocations, 0 for none. */
    public double coldStartRatio() {
        return invocations == 0 ? 0 : (double) coldStarts / invocations;
    }

    /** Whether this result is at least as good as {@code other} on both counts and better on one. */
    public boolean dominates(PolicyResult other) {
        boolean noWorse =
                avoidableColdStarts <= other.avoidableColdStarts && wastedGibSeconds <= other.wastedGibSeconds + 1e-9;
        boolean better =
                avoidableColdStarts < other.avoidableColdStarts || wastedGibSeconds < other.wastedGibSeconds - 1e-9;
        return noWorse && better;
    }
}
