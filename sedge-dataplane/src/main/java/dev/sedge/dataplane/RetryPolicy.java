package dev.sedge.dataplane;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How a failed attempt is tried again: up to {@code maxRetries} more attempts, each after an exponential
 * backoff with jitter, so that a function that fails under load is not hammered back to back and retries
 * of many events do not arrive in step. Immutable.
 *
 * @param maxRetries attempts after the first
 * @param backoff the delay before the first retry; each later one doubles it
 * @param maxBackoff the longest delay
 */
public record RetryPolicy(int maxRetries, Duration backoff, Duration maxBackoff) {

    public static final int MAX_RETRIES_DEFAULT = 0;
    public static final Duration BACKOFF_DEFAULT = Duration.ofMillis(200);
    public static final Duration MAX_BACKOFF_DEFAULT = Duration.ofSeconds(30);
    public static final RetryPolicy NONE = new RetryPolicy(0, BACKOFF_DEFAULT, MAX_BACKOFF_DEFAULT);

    public RetryPolicy {
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxRetries < 0 || maxRetries > 100) {
            throw new IllegalArgumentException("max: " + maxRetries + " is out of range 0..100");
        }
        if (backoff.isNegative() || backoff.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("backoff: " + backoff.toMillis() + "ms is out of range 0s..1h");
        }
        if (maxBackoff.compareTo(backoff) < 0 || maxBackoff.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("maxBackoff: " + maxBackoff.toMillis() + "ms is out of range backoff ("
                    + backoff.toMillis() + "ms)..1h");
        }
    }

    /** The same policy with another retry count. */
    public RetryPolicy withMaxRetries(int n) {
        return new RetryPolicy(n, backoff, maxBackoff);
    }

    /**
     * The delay before retry number {@code retry} (1 for the first): {@code backoff * 2^(retry-1)}, at most
     * {@code maxBackoff}, then scaled by a random factor in [0.5, 1) ("equal jitter"): never more than the
     * exponential step, never less than half of it.
     */
    public long delayNanos(int retry, RandomGenerator random) {
        long base = backoff.toNanos();
        if (base == 0) {
            return 0;
        }
        long cap = maxBackoff.toNanos();
        int shift = Math.min(Math.max(0, retry - 1), 62);
        long step = base > (cap >> shift) ? cap : Math.min(cap, base << shift);
        return (long) (step * (0.5 + random.nextDouble() * 0.5));
    }
}
