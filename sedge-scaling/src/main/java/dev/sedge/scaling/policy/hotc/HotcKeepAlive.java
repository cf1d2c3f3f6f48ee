package dev.sedge.scaling.policy.hotc;

import dev.sedge.scaling.policy.PerFunctionPolicy;
import java.time.Duration;

/**
 * HotC's adaptive live container control as a keep-alive policy, after K. Suo, J. Son, D. Cheng, W. Chen and
 * S. Baidya, "Tackling Cold Start of Serverless Applications by Efficient and Adaptive Container Runtime
 * Reusing", 2021 (NSF PAR 10320371), the paper that presents HotC. HotC keeps a pool of live containers
 * sized by the demand it forecasts for the next interval: exponential smoothing of the events per interval,
 * corrected by a Markov chain over the binned relative error of the past forecasts.
 *
 * <p>Here the pool is at most one instance, so it is kept warm during an interval when the corrected
 * forecast rounds to at least one event ({@value #WARM_THRESHOLD} or more), and during any interval an
 * event came in, until its end. The constants are ours, since the paper's abstract names the model and no
 * more: one-minute intervals counted from the function's first event, a smoothing factor of {@value
 * #SMOOTHING_DEFAULT}, five error states of width 0.4 over {@code [-1, 1]}, and the expected error (not the
 * most likely state) as the correction; see {@code ErrorChain} for the error's definition. A pre-warmed
 * interval's instance is started at the interval's start, when the interval before it is known in full, so
 * it is ready a cold start into it.
 *
 * <p>Cost: a function is reviewed at the end of each interval only while it is warm or a later silent
 * interval could be; a function silent for long costs nothing until its next event, which catches the
 * silence up in O(1) after a few intervals stepped one by one.
 *
 * <p>Not thread-safe, as every policy: the caller serialises {@code arrived}, {@code plan} and {@code
 * removed}. Lifecycle: one per node or simulation; a function's demand is created at its first event and
 * dropped when it is removed.
 */
public final class HotcKeepAlive extends PerFunctionPolicy<IntervalDemand> {

    public static final String NAME = "hotc";

    /** The interval demand is counted and forecast over. */
    public static final Duration INTERVAL_DEFAULT = Duration.ofMinutes(1);

    /** The weight of the latest interval in the smoothed forecast. */
    public static final double SMOOTHING_DEFAULT = 0.5;

    /** The corrected forecast, in events per interval, from which an interval is kept warm. */
    public static final double WARM_THRESHOLD = 0.5;

    /** With a one-minute interval and the default smoothing. */
    public HotcKeepAlive() {
        this(INTERVAL_DEFAULT, SMOOTHING_DEFAULT);
    }

    /**
     * @param interval at least one millisecond
     * @param smoothing in {@code (0, 1]}
     */
    public HotcKeepAlive(Duration interval, double smoothing) {
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("hotc interval " + interval + " is below 1 ms");
        }
        if (!(smoothing > 0 && smoothing <= 1)) {
            throw new IllegalArgumentException("hotc smoothing " + smoothing + " is not in (0, 1]");
        }
        super(NAME, f -> new IntervalDemand(interval.toMillis(), smoothing));
    }
}
