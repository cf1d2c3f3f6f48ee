package dev.sedge.scaling.policy.histogram;

import dev.sedge.scaling.policy.PerFunctionPolicy;
import dev.sedge.scaling.policy.PolicyContext;
import java.time.Duration;

/**
 * The hybrid histogram policy of M. Shahrad et al., "Serverless in the Wild: Characterizing and Optimizing
 * the Serverless Workload at a Large Cloud Provider", USENIX ATC 2020, Section 4: each function learns its
 * idle times (here the time between consecutive events, since an event takes no time in the model) and
 * decides, after each event, when to let the instance go, when to start the next one and how long to keep
 * it.
 *
 * <ul>
 *   <li>The idle times go into a histogram of one-minute bins over four hours; longer ones are counted as
 *       out of bounds.
 *   <li>When most idle times are out of bounds, a time series forecast of the next idle time decides: the
 *       instance is started at 85 % of it and kept until 115 % (the paper's 15 % margins on each side). The
 *       paper fits ARIMA; this policy fits an AR(1) model by least squares on the logarithms of the last 16
 *       idle times ({@code IdleTimeForecast}), which is what so few, so long idle times support.
 *   <li>Otherwise, when the histogram is representative, that is the coefficient of variation of its bin
 *       counts is at least 2: the 5th percentile of the idle times, less a 10 % margin and rounded down to
 *       a whole bin, is when the next instance is started after the event (the pre-warm window; 0 keeps the
 *       instance from the event on), and the 99th percentile, plus 10 % and rounded up to a whole bin, is
 *       when it goes. The head is read at its bin's lower edge and the tail at its upper one.
 *   <li>Otherwise, and while fewer than {@value #MIN_IDLE_TIMES} idle times are known (the paper asks for
 *       enough to be representative without a number; this is ours), the instance is kept for the
 *       histogram's range, four hours, and nothing is pre-warmed.
 * </ul>
 *
 * <p>The windows are times for an instance to be ready, so a pre-warm is started a cold start ({@link
 * PolicyContext#coldStartMillis()}) before its window opens. Everything is learned from the whole history
 * of the function, as in the paper's evaluation.
 *
 * <p>Not thread-safe, as every policy: the caller serialises {@code arrived}, {@code plan} and {@code
 * removed}. Lifecycle: one per node or simulation; a function's history is created at its first event and
 * dropped when it is removed. Each event costs O(240) (the percentiles), and a plan after it O(1); a plan
 * never asks to be reviewed, since it changes only at its own two times.
 */
public final class HybridHistogramKeepAlive extends PerFunctionPolicy<IdleTimes> {

    public static final String NAME = "hybrid-histogram";

    /** The histogram's range: longer idle times are out of bounds, and the keep-alive when nothing is learned. */
    public static final Duration RANGE = Duration.ofHours(4);

    /** The histogram's bin width, the unit the windows are rounded to. */
    public static final Duration BIN = Duration.ofMinutes(1);

    /** The percentile of the idle times that opens the pre-warm window. */
    public static final int HEAD_PERCENTILE = 5;

    /** The percentile of the idle times that closes the keep-alive window. */
    public static final int TAIL_PERCENTILE = 99;

    /** How much earlier the pre-warm window opens, and how much later the keep-alive window closes. */
    public static final int MARGIN_PERCENT = 10;

    /** The least coefficient of variation of the bin counts for which the histogram is representative. */
    public static final double CV_THRESHOLD = 2;

    /** The fewest idle times the histogram or the forecast is trusted with. */
    public static final int MIN_IDLE_TIMES = 10;

    /** When, as a share of the forecast idle time, an out-of-bounds function's instance is started. */
    public static final double FORECAST_PREWARM = 0.85;

    /** Until when, as a share of the forecast idle time, an out-of-bounds function's instance is kept. */
    public static final double FORECAST_KEEP_UNTIL = 1.15;

    /** @param context for the cold start each pre-warm leads by */
    public HybridHistogramKeepAlive(PolicyContext context) {
        super(NAME, f -> new IdleTimes(context.coldStartMillis()));
    }
}
