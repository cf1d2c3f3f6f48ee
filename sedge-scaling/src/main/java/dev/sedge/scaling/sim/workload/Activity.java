package dev.sedge.scaling.sim.workload;

import java.util.Random;

/**
 * When a building is busy: a weight for each hour of the day, a factor for each day, and quiet days with
 * no one in. Shared by
 * every floor of a trace, so that a quiet day is quiet everywhere. Immutable once built.
 */
final class Activity {

    static final long HOUR_MILLIS = 3_600_000;
    static final long DAY_MILLIS = 24 * HOUR_MILLIS;

    /**
     * The relative rate of occupancy by hour of day (UTC of the trace's times), mean 1: the hours at which
     * the CASAS lab's 207 passes began (its clock is local time), with one added to every hour so that none
     * is impossible. The lab is busiest 22:00 to 23:00, then 12:00 to 15:00; quietest 05:00 to 08:00.
     */
    static final double[] HOUR_WEIGHTS = {
        0.94, 1.04, 0.52, 0.62, 0.94, 0.10, 0.42, 0.21, 0.42, 0.94, 0.73, 0.83,
        1.14, 1.56, 1.66, 0.42, 0.73, 0.83, 0.31, 1.45, 0.73, 1.56, 4.57, 1.35
    };

    /**
     * How busy a day is: log-normal with mean 1 and this deviation of the log. Tuned: the lab saw 1 to 15
     * passes per active day, mean 4.8, deviation of the log 0.77; the generated days, 0.68 to 0.74.
     */
    static final double DAY_SPREAD = 0.5;

    /** The chance that no one comes in all day: 13 of the CASAS trace's 56 days have no event. */
    static final double QUIET_DAY = 13.0 / 56;

    private final long firstDay;
    /** Each day's factor, 0 on a quiet day. */
    private final double[] days;

    private final double peak;

    Activity(Random random, long start, long end) {
        firstDay = Math.floorDiv(start, DAY_MILLIS);
        days = new double[(int) (Math.floorDiv(end - 1, DAY_MILLIS) - firstDay + 1)];
        double busiest = 0;
        for (int d = 0; d < days.length; d++) {
            double factor = StrictMath.exp(DAY_SPREAD * random.nextGaussian() - DAY_SPREAD * DAY_SPREAD / 2);
            days[d] = random.nextDouble() < QUIET_DAY ? 0 : factor;
            busiest = Math.max(busiest, days[d]);
        }
        double hour = 0;
        for (double w : HOUR_WEIGHTS) {
            hour = Math.max(hour, w);
        }
        peak = busiest * hour;
    }

    /** The highest weight of any time in the trace. */
    double peak() {
        return peak;
    }

    /** The weight at {@code t}: its day's factor times its hour's weight; 0 on a quiet day. */
    double weight(long t) {
        int day = (int) (Math.floorDiv(t, DAY_MILLIS) - firstDay);
        if (day < 0 || day >= days.length) {
            return 0;
        }
        return days[day] * HOUR_WEIGHTS[(int) (Math.floorMod(t, DAY_MILLIS) / HOUR_MILLIS)];
    }
}
