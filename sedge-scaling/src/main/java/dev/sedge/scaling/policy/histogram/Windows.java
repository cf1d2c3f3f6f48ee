package dev.sedge.scaling.policy.histogram;

/**
 * What the hybrid histogram policy decided after one event, in milliseconds after it: start an instance
 * {@code prewarmMillis} after the event (0: keep the one the event used) and keep it until {@code
 * keepUntilMillis} after the event; with the facts that decided, put in words only when read. Immutable.
 *
 * @param basis which of the policy's cases decided
 * @param idleTimes the idle times known
 * @param outOfBounds how many of them were beyond the histogram's range
 * @param cv the coefficient of variation of the bin counts (histogram cases only)
 * @param head the bin of the head percentile (histogram case only)
 * @param tail the bin of the tail percentile (histogram case only)
 * @param forecastMillis the next idle time forecast (out-of-bounds case only)
 */
record Windows(
        Basis basis,
        long prewarmMillis,
        long keepUntilMillis,
        long idleTimes,
        long outOfBounds,
        double cv,
        int head,
        int tail,
        long forecastMillis) {

    /** The policy's cases, in the order it tries them. */
    enum Basis {
        TOO_FEW,
        OUT_OF_BOUNDS,
        NOT_REPRESENTATIVE,
        HISTOGRAM
    }

    /** The plan in words. */
    String describe() {
        String window = prewarmMillis == 0
                ? "kept " + minutes(keepUntilMillis) + " after the event"
                : "pre-warmed " + minutes(prewarmMillis) + " after the event, kept until " + minutes(keepUntilMillis);
        return window + " (" + because() + ")";
    }

    private String because() {
        return switch (basis) {
            case TOO_FEW ->
                (idleTimes == 1 ? "1 idle time" : idleTimes + " idle times") + ", fewer than "
                        + HybridHistogramKeepAlive.MIN_IDLE_TIMES + " to learn from";
            case OUT_OF_BOUNDS ->
                outOfBounds + " of " + idleTimes + " idle times beyond the range; next forecast in "
                        + minutes(forecastMillis);
            case NOT_REPRESENTATIVE ->
                String.format(
                        "bin counts' CV %.2f below %.0f: the histogram is not representative",
                        cv, HybridHistogramKeepAlive.CV_THRESHOLD);
            case HISTOGRAM ->
                String.format(
                        "idle times' %dth percentile at %d-%d min, %dth at %d-%d min, bin counts' CV %.1f",
                        HybridHistogramKeepAlive.HEAD_PERCENTILE,
                        head,
                        head + 1,
                        HybridHistogramKeepAlive.TAIL_PERCENTILE,
                        tail,
                        tail + 1,
                        cv);
        };
    }

    private static String minutes(long millis) {
        return millis % 60_000 == 0 ? millis / 60_000 + " min" : String.format("%.1f min", millis / 60_000.0);
    }
}
