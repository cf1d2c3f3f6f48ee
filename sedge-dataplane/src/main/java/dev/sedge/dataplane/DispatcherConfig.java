package dev.sedge.dataplane;

import dev.sedge.scaling.ScaleSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * How one function's dispatcher behaves. Immutable; validated on construction.
 *
 * @param function the function's name
 * @param concurrency events one instance handles at once (Knative's containerConcurrency)
 * @param timeout the longest one attempt may run before it is abandoned
 * @param retry how failed attempts are tried again
 * @param maxQueued events that may wait for a free slot before the queue counts as full
 * @param overflow what a full queue does with more events
 * @param scale how the function's instances follow its load
 * @param keepAlive the node's keep-alive policy that owns the step between zero and one instance, by
 *     name; null for the autoscaler alone (Knative's scale to zero, no pre-warm)
 */
public record DispatcherConfig(
        String function,
        int concurrency,
        Duration timeout,
        RetryPolicy retry,
        int maxQueued,
        Overflow overflow,
        ScaleSettings scale,
        String keepAlive) {

    public static final int MAX_QUEUED_DEFAULT = 10_000;
    /**
     * With back-pressure the queue may pass its size by what publishers sent before they were paused (one
     * socket read each); beyond this many times its size, events are refused anyway, so that a source
     * that cannot be paused cannot exhaust memory.
     */
    public static final int HARD_LIMIT_FACTOR = 4;

    public DispatcherConfig {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(overflow, "overflow");
        Objects.requireNonNull(scale, "scale");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (maxQueued < 1 || maxQueued > 10_000_000) {
            throw new IllegalArgumentException("maxQueued: " + maxQueued + " is out of range 1..10000000");
        }
    }

    /** A function with default retries (none), queue and scaling. */
    public static DispatcherConfig of(String function, int concurrency, Duration timeout) {
        return new DispatcherConfig(
                function,
                concurrency,
                timeout,
                RetryPolicy.NONE,
                MAX_QUEUED_DEFAULT,
                Overflow.BACKPRESSURE,
                ScaleSettings.DEFAULTS,
                null);
    }

    public DispatcherConfig withRetry(RetryPolicy r) {
        return new DispatcherConfig(function, concurrency, timeout, r, maxQueued, overflow, scale, keepAlive);
    }

    public DispatcherConfig withQueue(int max, Overflow o) {
        return new DispatcherConfig(function, concurrency, timeout, retry, max, o, scale, keepAlive);
    }

    public DispatcherConfig withScale(ScaleSettings s) {
        return new DispatcherConfig(function, concurrency, timeout, retry, maxQueued, overflow, s, keepAlive);
    }

    /** The same function under the keep-alive policy of that name, or the autoscaler alone for null. */
    public DispatcherConfig withKeepAlive(String policy) {
        return new DispatcherConfig(function, concurrency, timeout, retry, maxQueued, overflow, scale, policy);
    }

    /** Events beyond which even a back-pressured queue refuses more. */
    long hardLimit() {
        return overflow == Overflow.DEAD_LETTER ? maxQueued : (long) maxQueued * HARD_LIMIT_FACTOR;
    }
}
