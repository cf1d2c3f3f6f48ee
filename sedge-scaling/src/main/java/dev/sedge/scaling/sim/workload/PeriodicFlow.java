package dev.sedge.scaling.sim.workload;

import java.util.Random;

/**
 * A device that reports on a period, one of two ways:
 *
 * <ul>
 *   <li>on a grid: report {@code k} comes at {@code phase + k * period} plus a jitter that does not add
 *       up, as a timer-driven sensor's;
 *   <li>free-running: each report comes a period plus a delay after the one before, so the delays add up
 *       and the phase drifts, as a device's that sleeps a period after each report (the Hue bridge's time
 *       sync: gaps 0.8 % to 6.2 % longer than its 4096 s poll, {@link #TIMESYNC}).
 * </ul>
 *
 * A report may be missed (the schedule goes on as if it had been sent). The first report comes a random
 * part of a period after the start: the device was running before the trace began. Not thread-safe.
 */
final class PeriodicFlow implements EventSource {

    /** How a flow's reports are timed. Immutable. */
    record Timing(double periodMillis, boolean grid, double jitterMillis, double lateMin, double lateMax, double miss) {

        static Timing grid(double periodMillis, double jitterMillis, double miss) {
            return new Timing(periodMillis, true, jitterMillis, 0, 0, miss);
        }

        static Timing freeRunning(double periodMillis, double lateMin, double lateMax, double miss) {
            return new Timing(periodMillis, false, 0, lateMin, lateMax, miss);
        }
    }

    /**
     * The Hue bridge's time sync (NTP), once its poll interval has grown to 4096 s: each of the four servers
     * it asks is polled every 4130 to 4351 s, i.e. 0.8 % to 6.2 % late, never missed.
     */
    static final Timing TIMESYNC = Timing.freeRunning(4096_000, 0.008, 0.062, 0);

    /** Typical sensor report periods, 30 s to 10 min. */
    static final long[] SENSOR_PERIODS = {30_000, 60_000, 120_000, 300_000, 600_000};
    /** A timer-driven sensor's jitter (radio back-off), at most this. Chosen, not fitted. */
    static final double SENSOR_JITTER_MILLIS = 2_000;
    /** A sensor's clock is off by up to this much either way (a cheap RC oscillator). Chosen, not fitted. */
    static final double SENSOR_SKEW = 0.01;
    /** The chance that a sensor's report is lost. Chosen: the Hue bridge missed none in 22 h. */
    static final double SENSOR_MISS = 0.01;

    private final String device;
    private final String event;
    private final String extra;
    private final Timing timing;
    private final Random random;
    private final long end;
    /** On a grid, the phase; free-running, the time of the last report, sent or missed. */
    private double anchor;

    private long k;
    private long next;

    PeriodicFlow(String device, String event, String extra, Timing timing, Random random, long start, long end) {
        this.device = device;
        this.event = event;
        this.extra = extra;
        this.timing = timing;
        this.random = random;
        this.end = end;
        this.anchor = start + Draw.uniform(random, 0, timing.periodMillis());
        this.next = advance(true);
    }

    /** A sensor with a period of 30 s to 10 min, on a grid or free-running. */
    static PeriodicFlow sensor(String device, String measurement, Random random, long start, long end) {
        double period = SENSOR_PERIODS[random.nextInt(SENSOR_PERIODS.length)]
                * (1 + Draw.uniform(random, -SENSOR_SKEW, SENSOR_SKEW));
        Timing timing = random.nextBoolean()
                ? Timing.grid(period, SENSOR_JITTER_MILLIS, SENSOR_MISS)
                : Timing.freeRunning(period, TIMESYNC.lateMin(), TIMESYNC.lateMax(), SENSOR_MISS);
        return new PeriodicFlow(device, measurement, "telemetry", timing, random, start, end);
    }

    @Override
    public long nextTime() {
        return next;
    }

    @Override
    public Event take() {
        Event e = new Event(next, device, event, extra);
        next = advance(false);
        return e;
    }

    private long advance(boolean first) {
        while (true) {
            double at;
            if (timing.grid()) {
                at = anchor + k++ * timing.periodMillis() + Draw.uniform(random, 0, timing.jitterMillis());
            } else {
                if (!first) {
                    anchor += timing.periodMillis() * (1 + Draw.uniform(random, timing.lateMin(), timing.lateMax()));
                }
                at = anchor;
            }
            first = false;
            long t = Draw.millis(at);
            if (t >= end) {
                return Long.MAX_VALUE;
            }
            if (random.nextDouble() >= timing.miss()) {
                return t;
            }
        }
    }
}
