package dev.sedge.scaling;

import java.util.function.Supplier;

/**
 * What a decider wants for one function at one moment, and why. Immutable.
 *
 * @param desired the instances wanted
 * @param panic whether the decider is in panic mode (scaling on the short window, never down)
 * @param explanation the decision in words, for people reading the function's status, written only when
 *     asked for ({@link #reason()}): most decisions are never read
 * @param atNanos when it was taken, on the monotonic clock the decider was given
 * @param stableConcurrency the mean concurrency over the stable window
 * @param panicConcurrency the mean concurrency over the panic window
 */
public record Decision(
        int desired,
        boolean panic,
        Supplier<String> explanation,
        long atNanos,
        double stableConcurrency,
        double panicConcurrency) {

    /** A decision whose reason is already written. */
    public Decision(
            int desired,
            boolean panic,
            String reason,
            long atNanos,
            double stableConcurrency,
            double panicConcurrency) {
        this(desired, panic, () -> reason, atNanos, stableConcurrency, panicConcurrency);
    }

    /** The decision in words. */
    public String reason() {
        return explanation.get();
    }
}
