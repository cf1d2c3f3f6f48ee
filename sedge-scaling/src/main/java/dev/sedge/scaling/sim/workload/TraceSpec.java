package dev.sedge.scaling.sim.workload;

/**
 * What synthetic trace to generate. Immutable; checked when built.
 *
 * @param devices how many devices (sensors or flows), each with its own {@code device_id}; at least 1
 * @param durationMillis the span of time the trace covers, from {@code startMillis}; more than 0
 * @param profile which kinds of devices
 * @param seed the random seed: the same spec gives the same trace, byte for byte
 * @param startMillis the epoch time the trace starts at; the time of day of bursty activity is read from
 *     it (in UTC)
 */
public record TraceSpec(int devices, long durationMillis, Profile profile, long seed, long startMillis) {

    public static final int DEVICES_DEFAULT = 93;
    public static final double HOURS_DEFAULT = 24;
    public static final long SEED_DEFAULT = 1;
    /** 2025-01-01T00:00:00Z: a fixed start, so that a trace does not depend on when it was made. */
    public static final long START_DEFAULT = 1_735_689_600_000L;
    /** A century: more than any study needs, and far from overflowing a time. */
    public static final double HOURS_MAX = 100 * 366 * 24;

    private static final double MILLIS_PER_HOUR = 3_600_000;

    public TraceSpec {
        if (devices < 1) {
            throw new IllegalArgumentException("devices " + devices + ": must be at least 1");
        }
        if (durationMillis <= 0 || durationMillis > HOURS_MAX * MILLIS_PER_HOUR) {
            throw new IllegalArgumentException(
                    "duration " + durationMillis + " ms: must be more than 0 and at most " + (long) HOURS_MAX + " h");
        }
        if (profile == null) {
            throw new IllegalArgumentException("profile: missing");
        }
        if (startMillis < 0 || startMillis > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("start " + startMillis + ": must be an epoch time in ms, 0 or more");
        }
    }

    /** A spec over {@code hours} hours (which may have a fraction), rounded to the millisecond. */
    public static TraceSpec ofHours(int devices, double hours, Profile profile, long seed, long startMillis) {
        if (!(hours > 0 && hours <= HOURS_MAX)) {
            throw new IllegalArgumentException(
                    "hours " + hours + ": must be more than 0 and at most " + (long) HOURS_MAX);
        }
        return new TraceSpec(devices, Math.max(1, Math.round(hours * MILLIS_PER_HOUR)), profile, seed, startMillis);
    }

    /** The first time after the trace: events are in {@code [startMillis, endMillis())}. */
    public long endMillis() {
        return startMillis + durationMillis;
    }
}
