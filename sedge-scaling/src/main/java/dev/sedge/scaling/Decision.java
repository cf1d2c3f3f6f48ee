package dev.sedge.scaling;

/**
 * What a decider wants for one function at one moment, and why. Immutable.
 *
 * @param desired the instances wanted
 * @param panic whether the decider is in panic mode (scaling on the short window, never down)
 * @param reason the decision in words, for people reading the function's status
 * @param atNanos when it was taken, on the monotonic clock the decider was given
 * @param stableConcurrency the mean concurrency over the stable window
 * @param panicConcurrency the mean concurrency over the panic window
 */
public record Decision(
        int desired, boolean panic, String reason, long atNanos, double stableConcurrency, double panicConcurrency) {}
