package dev.sedge.broker.bridge;

import java.time.Duration;

/**
 * Delays between connection attempts: doubling from {@code min} up to {@code max}, each drawn from the
 * upper half of its step so that many nodes that lost the same broker do not all come back at once.
 * A pure function of the failure count and a random fraction; immutable.
 *
 * @param min the step after the first failure
 * @param max the largest step
 */
public record Backoff(Duration min, Duration max) {

    public static final Duration MIN_DEFAULT = Duration.ofSeconds(1);
    public static final Duration MAX_DEFAULT = Duration.ofSeconds(60);
    public static final Backoff DEFAULT = new Backoff(MIN_DEFAULT, MAX_DEFAULT);

    public Backoff {
        if (min.isNegative() || min.isZero()) {
            // A zero delay would make a refused connection a busy loop.
            throw new IllegalArgumentException("bridge backoff minimum must be positive, was " + min);
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("bridge backoff maximum " + max + " is below the minimum " + min);
        }
    }

    /**
     * The delay before the next attempt.
     *
     * @param failures attempts that failed in a row, at least 1
     * @param random a fraction in [0, 1)
     */
    public Duration delay(int failures, double random) {
        long minNanos = min.toNanos();
        long maxNanos = max.toNanos();
        int doublings = Math.min(Math.max(failures, 1) - 1, 62);
        long step = minNanos > (maxNanos >> doublings) ? maxNanos : Math.min(maxNanos, minNanos << doublings);
        return Duration.ofNanos(step / 2 + (long) (step / 2 * Math.clamp(random, 0.0, 1.0)));
    }
}
