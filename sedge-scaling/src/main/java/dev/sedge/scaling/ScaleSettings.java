package dev.sedge.scaling;

import java.time.Duration;
import java.util.Objects;

/**
 * How one function scales, with Knative's names, defaults and limits. Immutable; validated on
 * construction, each refusal naming the field, the value and the allowed range.
 *
 * @param min instances kept even with no traffic ({@code min-scale})
 * @param max instances at most, 0 for no limit ({@code max-scale})
 * @param initial instances started when the function is activated, before any event ({@code initial-scale})
 * @param target concurrent events per instance the autoscaler aims for, before utilisation; 0 means the
 *     function's hard limit ({@code target}, capped at {@code containerConcurrency})
 * @param utilizationPercentage the share of {@code target} to aim for ({@code target-utilization-percentage})
 * @param window the stable window the concurrency is averaged over ({@code window})
 * @param panicWindowPercentage the panic window as a share of the stable window
 * @param panicThresholdPercentage concurrency over the panic window, as a share of what the ready
 *     instances are meant to carry, at which the autoscaler panics
 * @param maxScaleUpRate at most this many times the ready instances after one decision
 * @param maxScaleDownRate at least the ready instances divided by this after one decision
 * @param retention how long the last instance stays once the function is idle
 *     ({@code scale-to-zero-pod-retention-period})
 * @param scaleToZeroGracePeriod how long the dispatcher must have been in the path before the last
 *     instance may go at once; see {@link dev.sedge.scaling.kpa.KpaDecider}
 * @param scaleDownDelay decreases take effect only once the higher count was not wanted for this long
 */
public record ScaleSettings(
        int min,
        int max,
        int initial,
        double target,
        int utilizationPercentage,
        Duration window,
        int panicWindowPercentage,
        int panicThresholdPercentage,
        double maxScaleUpRate,
        double maxScaleDownRate,
        Duration retention,
        Duration scaleToZeroGracePeriod,
        Duration scaleDownDelay) {

    public static final int MIN_DEFAULT = 0;
    /** Knative has no limit by default; one edge node's cores are a limit, so Sedge stops at 10. */
    public static final int MAX_DEFAULT = 10;

    public static final int INITIAL_DEFAULT = 1;
    public static final double TARGET_DEFAULT = 0;
    public static final int UTILIZATION_PERCENTAGE_DEFAULT = 70;
    public static final Duration WINDOW_DEFAULT = Duration.ofSeconds(60);
    public static final int PANIC_WINDOW_PERCENTAGE_DEFAULT = 10;
    public static final int PANIC_THRESHOLD_PERCENTAGE_DEFAULT = 200;
    public static final double MAX_SCALE_UP_RATE_DEFAULT = 1000;
    public static final double MAX_SCALE_DOWN_RATE_DEFAULT = 2;
    public static final Duration RETENTION_DEFAULT = Duration.ZERO;
    public static final Duration SCALE_TO_ZERO_GRACE_PERIOD_DEFAULT = Duration.ofSeconds(30);
    public static final Duration SCALE_DOWN_DELAY_DEFAULT = Duration.ZERO;

    /** How often a function with instances is decided on (Knative's tick). */
    public static final Duration TICK = Duration.ofSeconds(2);

    private static final Duration WINDOW_MIN = Duration.ofSeconds(6);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final int LIMIT = 1000;

    public static final ScaleSettings DEFAULTS = new ScaleSettings(
            MIN_DEFAULT,
            MAX_DEFAULT,
            INITIAL_DEFAULT,
            TARGET_DEFAULT,
            UTILIZATION_PERCENTAGE_DEFAULT,
            WINDOW_DEFAULT,
            PANIC_WINDOW_PERCENTAGE_DEFAULT,
            PANIC_THRESHOLD_PERCENTAGE_DEFAULT,
            MAX_SCALE_UP_RATE_DEFAULT,
            MAX_SCALE_DOWN_RATE_DEFAULT,
            RETENTION_DEFAULT,
            SCALE_TO_ZERO_GRACE_PERIOD_DEFAULT,
            SCALE_DOWN_DELAY_DEFAULT);

    public ScaleSettings {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(scaleToZeroGracePeriod, "scaleToZeroGracePeriod");
        Objects.requireNonNull(scaleDownDelay, "scaleDownDelay");
        range("min", min, 0, LIMIT);
        range("max", max, 0, LIMIT);
        if (max > 0 && min > max) {
            throw new IllegalArgumentException("min: " + min + " is more than max " + max);
        }
        range("initial", initial, 0, LIMIT);
        if (max > 0 && initial > max) {
            throw new IllegalArgumentException("initial: " + initial + " is more than max " + max);
        }
        if (!(target == 0 || (target >= 0.01 && target <= 10_000))) {
            throw new IllegalArgumentException(
                    "target: " + target + " is out of range 0.01..10000 (or 0 for" + " the function's concurrency)");
        }
        range("utilization", utilizationPercentage, 1, 100);
        wholeSeconds("window", window, WINDOW_MIN, HOUR);
        range("panicWindowPercentage", panicWindowPercentage, 1, 100);
        range("panicThresholdPercentage", panicThresholdPercentage, 110, 1000);
        if (!(maxScaleUpRate > 1) || Double.isInfinite(maxScaleUpRate)) {
            throw new IllegalArgumentException("maxScaleUpRate: " + maxScaleUpRate + " must be more than 1");
        }
        if (!(maxScaleDownRate > 1) || Double.isInfinite(maxScaleDownRate)) {
            throw new IllegalArgumentException("maxScaleDownRate: " + maxScaleDownRate + " must be more than 1");
        }
        within("retention", retention, Duration.ZERO, HOUR);
        within("scaleToZeroGracePeriod", scaleToZeroGracePeriod, Duration.ZERO, HOUR);
        wholeSeconds("scaleDownDelay", scaleDownDelay, Duration.ZERO, HOUR);
    }

    /** The same settings with other bounds. */
    public ScaleSettings withBounds(int newMin, int newMax, int newInitial) {
        return new ScaleSettings(
                newMin,
                newMax,
                newInitial,
                target,
                utilizationPercentage,
                window,
                panicWindowPercentage,
                panicThresholdPercentage,
                maxScaleUpRate,
                maxScaleDownRate,
                retention,
                scaleToZeroGracePeriod,
                scaleDownDelay);
    }

    /** The same settings with another stable window and retention. */
    public ScaleSettings withWindow(Duration newWindow, Duration newRetention) {
        return new ScaleSettings(
                min,
                max,
                initial,
                target,
                utilizationPercentage,
                newWindow,
                panicWindowPercentage,
                panicThresholdPercentage,
                maxScaleUpRate,
                maxScaleDownRate,
                newRetention,
                scaleToZeroGracePeriod,
                scaleDownDelay);
    }

    /** The panic window: this share of the stable window, in whole seconds, at least one. */
    public Duration panicWindow() {
        long millis = window.toMillis() * panicWindowPercentage / 100;
        return Duration.ofSeconds(Math.max(1, Math.round(millis / 1000.0)));
    }

    /**
     * The concurrency one instance is meant to carry: the target (or the hard limit when there is none, and
     * never above it) times the utilisation, at least 0.01. Knative's {@code TargetValue}.
     *
     * @param containerConcurrency the function's hard limit of events per instance
     */
    public double targetPerInstance(int containerConcurrency) {
        double total = target > 0 ? Math.min(target, containerConcurrency) : containerConcurrency;
        return Math.max(0.01, total * utilizationPercentage / 100.0);
    }

    /** The most instances allowed, {@link Integer#MAX_VALUE} for no limit. */
    public int maxOrUnlimited() {
        return max == 0 ? Integer.MAX_VALUE : max;
    }

    private static void range(String field, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException(field + ": " + value + " is out of range " + lo + ".." + hi);
        }
    }

    private static void within(String field, Duration d, Duration lo, Duration hi) {
        if (d.compareTo(lo) < 0 || d.compareTo(hi) > 0) {
            throw new IllegalArgumentException(
                    field + ": " + text(d) + " is out of range " + text(lo) + ".." + text(hi));
        }
    }

    private static void wholeSeconds(String field, Duration d, Duration lo, Duration hi) {
        within(field, d, lo, hi);
        if (d.getNano() != 0) {
            throw new IllegalArgumentException(field + ": " + text(d) + " must be whole seconds");
        }
    }

    /** A duration as a user writes it: 500ms, 6s, 1m30s, 1h. */
    static String text(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.toMillisPart() != 0 || d.getNano() % 1_000_000 != 0) {
            return d.toMillis() + "ms";
        }
        StringBuilder b = new StringBuilder();
        if (d.toHours() > 0) {
            b.append(d.toHours()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            b.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0) {
            b.append(d.toSecondsPart()).append('s');
        }
        return b.toString();
    }
}
