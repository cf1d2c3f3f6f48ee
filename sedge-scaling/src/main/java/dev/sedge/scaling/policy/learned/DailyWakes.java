package dev.sedge.scaling.policy.learned;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The times of day at which one function wakes: diurnal cycles. A <em>wake</em> is an event after at
 * least {@link #QUIET_MILLIS} of silence; a building's sensors wake when people come in, and people keep
 * hours (in the CASAS lab, a round of the rooms most weekday evenings at ten). Weekdays and weekends are
 * learned apart, since people keep different hours on them.
 *
 * <p>After each wake, up to {@link #WINDOWS} windows of the day are chosen per kind of day, each where a
 * cold start avoided is worth more than the time an instance waits in it: a window {@code [a, b)} that
 * caught {@code c} of the wakes seen over {@code d} days of its kind catches the next day's with chance
 * {@code p = c / d}, and costs the whole window on a day the function does not wake in it, and the wait
 * until its wake on a day it does. Each window is {@link #MARGIN_MILLIS} wider than the wakes it spans
 * on both sides and spans at least {@link #MIN_WAKES} of them. The day is UTC's, and a window does not
 * wrap past midnight.
 *
 * <p>Bounded: the last {@link #CAPACITY} wakes. Choosing is O(n^2) in them, and happens once per wake.
 * Not thread-safe.
 */
final class DailyWakes {

    static final long DAY_MILLIS = 86_400_000L;
    /** The silence after which an event is a wake. */
    static final long QUIET_MILLIS = 30 * 60_000L;
    /** Wakes remembered. */
    static final int CAPACITY = 64;
    /** Windows per kind of day. */
    static final int WINDOWS = 3;
    /** Wakes a window must have seen: two are a coincidence. */
    static final int MIN_WAKES = 3;
    /** How much wider than its wakes a window is, on each side. */
    static final long MARGIN_MILLIS = 5 * 60_000L;

    /** A window of the day {@code [from, until)}, in milliseconds since midnight, on weekends or weekdays. */
    record Window(long from, long until, boolean weekend) {}

    private final long[] wakes = new long[CAPACITY];
    private int size;
    private int next;
    private long firstEvent = Long.MIN_VALUE;
    private Window[] windows = new Window[0];

    /**
     * The function had an event at {@code at} after {@code gap} of silence ({@link Long#MAX_VALUE} for its
     * first).
     *
     * @param worth a cold start's worth in milliseconds of one idle instance
     */
    void event(long at, long gap, double worth) {
        if (firstEvent == Long.MIN_VALUE) {
            firstEvent = at;
        }
        if (gap < QUIET_MILLIS || gap == Long.MAX_VALUE) {
            return;
        }
        wakes[next] = at;
        next = (next + 1) % CAPACITY;
        size = Math.min(size + 1, CAPACITY);
        windows = choose(at, worth);
    }

    Window[] windows() {
        return windows;
    }

    static boolean weekend(long t) {
        // Day 0 of the epoch was a Thursday: Monday is 0 after adding 3.
        long dayOfWeek = Math.floorMod(Math.floorDiv(t, DAY_MILLIS) + 3, 7);
        return dayOfWeek >= 5;
    }

    private Window[] choose(long now, double worth) {
        long since = size == CAPACITY ? wakes[next] : firstEvent;
        List<Window> chosen = new ArrayList<>();
        for (boolean weekend : new boolean[] {false, true}) {
            double days = Math.max(1, daysOfKind(since, now, weekend));
            long[] times = new long[size];
            int n = 0;
            for (int k = 0; k < size; k++) {
                if (weekend(wakes[k]) == weekend) {
                    times[n++] = Math.floorMod(wakes[k], DAY_MILLIS);
                }
            }
            times = Arrays.copyOf(times, n);
            Arrays.sort(times);
            boolean[] taken = new boolean[n];
            for (int w = 0; w < WINDOWS; w++) {
                Window best = best(times, taken, days, worth, weekend);
                if (best == null) {
                    break;
                }
                chosen.add(best);
            }
        }
        return chosen.toArray(new Window[0]);
    }

    /** The best window over wakes not yet taken, marking the ones it spans; null when none is worth it. */
    private static Window best(long[] times, boolean[] taken, double days, double worth, boolean weekend) {
        double top = 0;
        int topFrom = -1;
        int topTo = -1;
        for (int i = 0; i < times.length; i++) {
            if (taken[i]) {
                continue;
            }
            long a = times[i] - MARGIN_MILLIS;
            double waits = 0;
            for (int j = i; j < times.length && !taken[j]; j++) {
                waits += times[j] - a;
                int caught = j - i + 1;
                if (caught < MIN_WAKES) {
                    continue;
                }
                long b = times[j] + MARGIN_MILLIS;
                double p = Math.min(1, caught / days);
                double idle = (1 - p) * (b - a) + waits / days;
                double value = worth * p - idle;
                if (value > top) {
                    top = value;
                    topFrom = i;
                    topTo = j;
                }
            }
        }
        if (topFrom < 0) {
            return null;
        }
        Arrays.fill(taken, topFrom, topTo + 1, true);
        return new Window(times[topFrom] - MARGIN_MILLIS, times[topTo] + MARGIN_MILLIS, weekend);
    }

    /** Days of the kind from {@code from} to {@code to}, counting the part days at both ends. */
    static double daysOfKind(long from, long to, boolean weekend) {
        double days = 0;
        for (long day = Math.floorDiv(from, DAY_MILLIS); day * DAY_MILLIS < to; day++) {
            long start = Math.max(from, day * DAY_MILLIS);
            long end = Math.min(to, (day + 1) * DAY_MILLIS);
            if (weekend(day * DAY_MILLIS) == weekend) {
                days += (end - start) / (double) DAY_MILLIS;
            }
        }
        return days;
    }

    /** The first window that is not over at {@code now}, as {start, end} in absolute time; null if none. */
    long[] nextWindow(long now) {
        long[] first = null;
        long today = Math.floorDiv(now, DAY_MILLIS) * DAY_MILLIS;
        for (Window w : windows) {
            for (int d = 0; d <= 7; d++) {
                long day = today + d * DAY_MILLIS;
                if (weekend(day) != w.weekend() || day + w.until() <= now) {
                    continue;
                }
                if (first == null || day + w.from() < first[0]) {
                    first = new long[] {day + w.from(), day + w.until()};
                }
                break;
            }
        }
        return first;
    }

    /** Whether a window holds {@code at}. */
    boolean covers(long at) {
        long time = Math.floorMod(at, DAY_MILLIS);
        boolean weekend = weekend(at);
        for (Window w : windows) {
            if (w.weekend() == weekend && w.from() <= time && time < w.until()) {
                return true;
            }
        }
        return false;
    }
}
