package dev.sedge.scaling.policy.hotc;

import dev.sedge.scaling.policy.PerFunctionPolicy;
import dev.sedge.scaling.policy.WarmPlan;

/**
 * One function's demand per interval, as HotC forecasts it: the events of each interval, counted from the
 * function's first event on, smooth the forecast of the next ({@code level = a c + (1 - a) level}), and the
 * {@link ErrorChain} corrects it.
 *
 * <p>Intervals are closed lazily, when an event or a plan comes in a later one. A long silence is caught up
 * at once: a silent interval forecast below 0.2 events has an error in the chain's middle state, and so has
 * every silent interval after it, since the forecast only falls; once there, the rest of the silence is
 * one multiplication of the level and one count of moves. The plan asks to be reviewed at the end of each
 * interval only while a later silent interval could still be warm. Not thread-safe.
 */
final class IntervalDemand implements PerFunctionPolicy.History {

    private final long intervalMillis;
    private final double smoothing;

    private final ErrorChain errors = new ErrorChain();
    private boolean started;
    private long origin;
    /** The interval being counted, numbered from the first event's. */
    private long interval;
    /** Its events so far. */
    private long events;
    /** Its forecast, smoothed over the intervals before it. */
    private double level;

    IntervalDemand(long intervalMillis, double smoothing) {
        this.intervalMillis = intervalMillis;
        this.smoothing = smoothing;
    }

    @Override
    public void arrived(long atMillis) {
        if (!started) {
            started = true;
            origin = atMillis;
        }
        catchUp(atMillis);
        events++;
    }

    @Override
    public WarmPlan plan(long nowMillis) {
        catchUp(nowMillis);
        long end = origin + (interval + 1) * intervalMillis;
        if (events > 0) {
            long n = events;
            return new WarmPlan(nowMillis, end, end, () -> n + " events so far in this interval");
        }
        double forecast = level;
        double error = errors.expectedError();
        double expected = ErrorChain.corrected(forecast, error);
        if (expected >= HotcKeepAlive.WARM_THRESHOLD) {
            return new WarmPlan(nowMillis, end, end, () -> because("expects", forecast, error, expected));
        }
        if (quietForGood()) {
            return WarmPlan.keep(nowMillis, nowMillis, () -> because("quiet: expects", forecast, error, expected));
        }
        return new WarmPlan(nowMillis, nowMillis, end, () -> because("expects", forecast, error, expected));
    }

    private static String because(String what, double forecast, double error, double expected) {
        return String.format(
                "%s %.2f events this interval (smoothed %.2f, corrected by an expected relative error of %+.2f)",
                what, expected, forecast, error);
    }

    /** Closes every interval before the one {@code nowMillis} falls in. */
    private void catchUp(long nowMillis) {
        long target = Math.max(interval, (nowMillis - origin) / intervalMillis);
        while (interval < target) {
            close();
            if (interval < target && silenceStaysExact()) {
                long silent = target - interval;
                errors.stay(silent);
                level *= Math.pow(1 - smoothing, silent);
                interval = target;
            }
        }
    }

    private void close() {
        errors.observe(ErrorChain.stateOf(ErrorChain.relativeError(level, events)));
        level = smoothing * events + (1 - smoothing) * level;
        interval++;
        events = 0;
    }

    /** Whether the last interval's error, and that of a silent one now, are in the middle state. */
    private boolean silenceStaysExact() {
        return errors.current() == ErrorChain.EXACT
                && ErrorChain.stateOf(ErrorChain.relativeError(level, 0)) == ErrorChain.EXACT;
    }

    /**
     * Whether no silent interval from this one on can be warm. In the middle state the forecast only falls
     * and each silent interval pulls the expected error towards 0, so the corrected forecast only falls:
     * below the threshold now, below it for good (the threshold is above the state's 0.2).
     */
    private boolean quietForGood() {
        return events == 0 && silenceStaysExact();
    }
}
