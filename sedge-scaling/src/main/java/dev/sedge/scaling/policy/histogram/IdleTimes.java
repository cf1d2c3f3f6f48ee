package dev.sedge.scaling.policy.histogram;

import dev.sedge.scaling.policy.PerFunctionPolicy;
import dev.sedge.scaling.policy.WarmPlan;

/**
 * One function's idle times, as the hybrid histogram policy keeps them, and the windows they give after
 * the latest event. The windows are decided once per event, in O(bins), and every plan until the next
 * event is read from them. Not thread-safe.
 */
final class IdleTimes implements PerFunctionPolicy.History {

    private static final long BIN_MILLIS = IdleHistogram.BIN_MILLIS;

    private final long coldStartMillis;
    private final IdleHistogram histogram = new IdleHistogram();
    private final IdleTimeForecast forecast = new IdleTimeForecast();
    private boolean seen;
    private long last;
    private Windows windows;

    IdleTimes(long coldStartMillis) {
        this.coldStartMillis = coldStartMillis;
    }

    @Override
    public void arrived(long atMillis) {
        if (seen) {
            long idle = atMillis - last;
            histogram.add(idle);
            forecast.add(idle);
        }
        seen = true;
        last = atMillis;
        windows = decide();
    }

    @Override
    public WarmPlan plan(long nowMillis) {
        Windows w = windows;
        // The windows say when the instance should be ready; it is started a cold start earlier.
        long from = w.prewarmMillis() == 0 ? last : last + Math.max(0, w.prewarmMillis() - coldStartMillis);
        long until = last + w.keepUntilMillis();
        if (from <= nowMillis) {
            return WarmPlan.keep(nowMillis, until, w::describe);
        }
        return WarmPlan.prewarm(from, until, w::describe);
    }

    private Windows decide() {
        long n = histogram.total();
        long beyond = histogram.outOfBounds();
        long range = HybridHistogramKeepAlive.RANGE.toMillis();
        if (n < HybridHistogramKeepAlive.MIN_IDLE_TIMES) {
            return new Windows(Windows.Basis.TOO_FEW, 0, range, n, beyond, 0, 0, 0, 0);
        }
        if (beyond > histogram.inRange()) {
            long next = forecast.nextMillis();
            return new Windows(
                    Windows.Basis.OUT_OF_BOUNDS,
                    Math.round(next * HybridHistogramKeepAlive.FORECAST_PREWARM),
                    Math.round(next * HybridHistogramKeepAlive.FORECAST_KEEP_UNTIL),
                    n,
                    beyond,
                    0,
                    0,
                    0,
                    next);
        }
        double cv = histogram.binCountCv();
        if (cv < HybridHistogramKeepAlive.CV_THRESHOLD) {
            return new Windows(Windows.Basis.NOT_REPRESENTATIVE, 0, range, n, beyond, cv, 0, 0, 0);
        }
        int head = histogram.percentileBin(HybridHistogramKeepAlive.HEAD_PERCENTILE);
        int tail = histogram.percentileBin(HybridHistogramKeepAlive.TAIL_PERCENTILE);
        int margin = HybridHistogramKeepAlive.MARGIN_PERCENT;
        // The head is its bin's lower edge and the tail its upper one; the margin widens both, to whole bins.
        long prewarmBins = head * (100L - margin) / 100;
        long keepBins = ((tail + 1L) * (100 + margin) + 99) / 100;
        return new Windows(
                Windows.Basis.HISTOGRAM, prewarmBins * BIN_MILLIS, keepBins * BIN_MILLIS, n, beyond, cv, head, tail, 0);
    }
}
