package dev.sedge.scaling.policy.icebreaker;

import dev.sedge.scaling.policy.PerFunctionPolicy;
import dev.sedge.scaling.policy.PolicyContext;
import java.time.Duration;

/**
 * Pre-warms and keeps alive where a function's forecast rate crosses a threshold, after the function
 * invocation prediction of Roy, Patel and Tiwari, "IceBreaker: warming serverless functions better with
 * heterogeneity", ASPLOS 2022 (doi:10.1145/3503222.3507750). The heterogeneous-server part (which kind of
 * node to warm on) is left out: here an instance is warm or not.
 *
 * <p>What is taken from the paper: each function's invocations are counted per interval; the series of
 * the recent past is modelled as a quadratic trend (the part without a period) plus the strongest
 * Fourier components of what the trend leaves (the periodic part), and that model, carried past the
 * present, says in which coming intervals the function will be invoked; an instance is warmed ahead of
 * those intervals and kept through them. What is chosen here ({@link Settings}): the interval, the
 * window, the number of harmonics, the threshold, and how often the forecast is renewed.
 *
 * <p>Per function: at its first event (and at the first after a long silence) a forecast is made for the
 * next {@code horizon} intervals from the {@code window} complete intervals before; the plan is read off
 * it (an instance from a cold start before each run of intervals forecast at or above the threshold, to
 * that run's end) and the forecast is renewed at the horizon's end, for as long as the window still holds
 * an event: a window of zeros forecasts nothing, so a function silent for a whole window costs nothing
 * until its next event. An interval in which an event came counts as above the threshold, so that the
 * instance an event started stays to the end of that interval.
 *
 * <p>Not thread-safe, as every policy; one object serves a node (or a simulation) for its life.
 */
public final class IceBreakerKeepAlive extends PerFunctionPolicy<ForecastHistory> {

    public static final String NAME = "icebreaker";

    private final HarmonicForecaster forecaster;

    /**
     * How the forecast is made. Immutable.
     *
     * @param interval the length of one count of the series
     * @param window how many intervals of the past the model is fitted to; its prime factors are at most 7,
     *     so that its FFT is fast
     * @param harmonics how many of the strongest Fourier components are kept
     * @param horizon how many intervals one forecast covers before it is renewed
     * @param threshold the forecast invocations per interval at or above which an instance should be there
     */
    public record Settings(Duration interval, int window, int harmonics, int horizon, double threshold) {

        /** A minute: a sensor's burst fills one or two intervals, a heartbeat one. */
        public static final Duration INTERVAL_DEFAULT = Duration.ofMinutes(1);

        /**
         * Four hours of minutes. The harmonics repeat with the window's length, so the forecast for the
         * next minutes is, smoothed, what the window held as long ago: a period that divides the window
         * is carried on in step, and 240 is divided by every usual IoT heartbeat period (1, 2, 5, 10, 15,
         * 20, 30 and 60 minutes) with several periods in the window. Longer windows (a day, to catch daily
         * cycles) need as much history before they forecast anything, cost a review for as long after
         * each function's last event, and on the study's traces forecast sparse sensors' bursts no better.
         */
        public static final int WINDOW_DEFAULT = 240;

        /** A week of minutes: beyond it, a window costs more than a policy decision should. */
        public static final int WINDOW_MAX = 7 * 1440;

        /**
         * Twenty. A pulse every {@code p} intervals spreads over {@code window / p} equal harmonics up to
         * half the window, and its spike is rebuilt only as far as they are kept: twenty rebuild an hourly
         * pulse in a four-hour window to 0.7 of an invocation (ten, to 0.35: under the threshold) and
         * pulses of up to 30 minutes whole, while the many weak components of one-off bursts and noise,
         * which would pre-warm for nothing, are left out.
         */
        public static final int HARMONICS_DEFAULT = 20;

        /**
         * Half an hour: the quadratic trend is carried at most an eighth of the window past the data it
         * was fitted to, where it still follows them (carried a whole hour past a one-hour window, a
         * burst's curve forecast rates no sensor kept up); a function with recent events costs a forecast
         * every half hour, one that has been silent for a whole window none.
         */
        public static final int HORIZON_DEFAULT = 30;

        /**
         * Half an invocation per interval: warm where the forecast count rounds to at least one
         * invocation, that is where an event is more likely expected than not.
         */
        public static final double THRESHOLD_DEFAULT = 0.5;

        public static final Settings DEFAULTS =
                new Settings(INTERVAL_DEFAULT, WINDOW_DEFAULT, HARMONICS_DEFAULT, HORIZON_DEFAULT, THRESHOLD_DEFAULT);

        /** Each value in range. */
        public Settings {
            if (interval == null || interval.toMillis() < 1) {
                throw new IllegalArgumentException("interval " + interval + " is below 1 ms");
            }
            if (window < 8 || window > WINDOW_MAX || !Fft.fits(window)) {
                throw new IllegalArgumentException("window " + window + " intervals is outside 8.." + WINDOW_MAX
                        + " or has a prime factor above " + Fft.LARGEST_FACTOR);
            }
            if (harmonics < 1 || harmonics > window / 2) {
                throw new IllegalArgumentException(
                        "harmonics " + harmonics + " is outside 1.." + window / 2 + " (half the window)");
            }
            if (horizon < 1 || horizon > window) {
                throw new IllegalArgumentException(
                        "horizon " + horizon + " intervals is outside 1.." + window + " (the window)");
            }
            if (!(threshold > 0) || Double.isInfinite(threshold)) {
                throw new IllegalArgumentException("threshold " + threshold + " is not a positive number");
            }
        }
    }

    /** With the default {@link Settings}. */
    public IceBreakerKeepAlive(PolicyContext context) {
        this(context, Settings.DEFAULTS);
    }

    public IceBreakerKeepAlive(PolicyContext context, Settings settings) {
        this(context, settings, new HarmonicForecaster(settings.window(), settings.harmonics()));
    }

    // One forecaster serves every function: forecasts are made one at a time.
    private IceBreakerKeepAlive(PolicyContext context, Settings settings, HarmonicForecaster forecaster) {
        super(NAME, f -> new ForecastHistory(settings, context.coldStartMillis(), forecaster));
        this.forecaster = forecaster;
    }

    /** How many forecasts have been made over all functions. */
    long forecasts() {
        return forecaster.forecasts();
    }

    /** How many of those needed an FFT. */
    long transforms() {
        return forecaster.transforms();
    }
}
