package dev.sedge.scaling.policy.icebreaker;

import dev.sedge.scaling.policy.PerFunctionPolicy;
import dev.sedge.scaling.policy.WarmPlan;

/**
 * One function's counts and its current forecast, and the plan read off them (see {@link
 * IceBreakerKeepAlive}). Intervals are numbered {@code floor(millis / interval)}. Not thread-safe.
 */
final class ForecastHistory implements PerFunctionPolicy.History {

    private final long intervalMillis;
    private final int horizon;
    private final double threshold;
    private final long coldStartMillis;
    private final HarmonicForecaster forecaster;
    private final InvocationSeries series;

    /** The forecast for intervals {@code start .. start + horizon}; the last one only leads the next. */
    private final double[] forecast;

    private long start;
    private boolean forecasting;

    ForecastHistory(IceBreakerKeepAlive.Settings settings, long coldStartMillis, HarmonicForecaster forecaster) {
        this.intervalMillis = settings.interval().toMillis();
        this.horizon = settings.horizon();
        this.threshold = settings.threshold();
        this.coldStartMillis = coldStartMillis;
        this.forecaster = forecaster;
        this.series = new InvocationSeries(settings.window());
        this.forecast = new double[horizon + 1];
    }

    @Override
    public void arrived(long atMillis) {
        series.record(Math.floorDiv(atMillis, intervalMillis));
    }

    @Override
    public WarmPlan plan(long now) {
        long current = Math.floorDiv(now, intervalMillis);
        if (!forecasting || current >= start + horizon) {
            renew(current);
        }
        long review = forecasting ? (start + horizon) * intervalMillis : Long.MAX_VALUE;
        if (above(current)) {
            long end = runEnd(current);
            return new WarmPlan(
                    now,
                    end * intervalMillis,
                    review,
                    () -> "an event in this interval or a forecast of at least " + threshold
                            + " invocations an interval, until interval " + end);
        }
        for (long i = current + 1; i <= start + horizon && forecasting; i++) {
            if (above(i)) {
                long from = i;
                long end = runEnd(i);
                double expected = forecast[(int) (from - start)]; // read now: the array is renewed in place
                return new WarmPlan(
                        from * intervalMillis - coldStartMillis,
                        end * intervalMillis,
                        review,
                        () -> "forecast " + String.format("%.2f", expected) + " invocations in interval " + from);
            }
        }
        return new WarmPlan(
                now,
                now,
                review,
                () -> forecasting
                        ? "forecast below " + threshold + " invocations an interval until the next review"
                        : "no event in the window: nothing to forecast until the next event");
    }

    /** A new forecast from {@code current} on, if the window holds an event; none otherwise. */
    private void renew(long current) {
        forecasting = series.newest() >= current - forecaster.window();
        if (forecasting) {
            start = current;
            forecaster.forecast(series, current, forecast, threshold);
        }
    }

    /** Whether an instance should be there in {@code interval}: it saw an event, or its forecast is high. */
    private boolean above(long interval) {
        if (series.count(interval) > 0) {
            return true;
        }
        return forecasting
                && interval >= start
                && interval <= start + horizon
                && forecast[(int) (interval - start)] >= threshold;
    }

    /** The first interval after {@code from} that is not above the threshold. */
    private long runEnd(long from) {
        long end = from + 1;
        while (end <= start + horizon && above(end)) {
            end++;
        }
        return end;
    }
}
