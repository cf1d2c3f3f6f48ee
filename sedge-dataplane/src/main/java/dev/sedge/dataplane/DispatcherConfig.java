package dev.sedge.dataplane;

import java.time.Duration;
import java.util.Objects;

/**
 * How one function's dispatcher behaves. Immutable; validated on construction.
 *
 * @param function the function's name
 * @param concurrency events one instance handles at once (Knative's containerConcurrency)
 * @param timeout the longest one attempt may run before it is abandoned
 * @param maxRetries attempts after the first when an attempt fails
 * @param maxQueued events that may wait for a free slot before new ones are refused
 */
public record DispatcherConfig(String function, int concurrency, Duration timeout, int maxRetries, int maxQueued) {

    public static final int MAX_QUEUED_DEFAULT = 10_000;

    public DispatcherConfig {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(timeout, "timeout");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more, was " + maxRetries);
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("maxQueued must be 0 or more, was " + maxQueued);
        }
    }
}
