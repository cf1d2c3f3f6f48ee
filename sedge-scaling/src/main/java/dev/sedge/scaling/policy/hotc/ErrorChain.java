package dev.sedge.scaling.policy.hotc;

/**
 * A Markov chain over the binned relative error of one function's demand forecasts, as HotC corrects its
 * exponential smoothing: each interval's error falls in one of five states, the chain counts the moves from
 * each state to the next, and the error expected after the current state (the midpoints of the states it
 * has moved to, weighted by how often) corrects the next forecast.
 *
 * <p>The relative error of a forecast {@code p} for an interval that saw {@code c} events is {@code (c - p)
 * / max(c, p, 1)}: relative to the demand when there is any, absolute below one event, so that it stays in
 * {@code [-1, 1]} when either side is zero. The states split that range in five equal bins; the middle one,
 * {@link #EXACT}, is also where a silent interval forecast below 0.2 events falls. Not thread-safe.
 */
final class ErrorChain {

    static final int STATES = 5;

    /** The state of errors within 0.2 of none. */
    static final int EXACT = 2;

    private static final double STATE_WIDTH = 2.0 / STATES;

    private final long[][] moves = new long[STATES][STATES];
    private final long[] leaving = new long[STATES];
    /** The last interval's state, -1 before the first. */
    private int current = -1;

    static double relativeError(double forecast, long events) {
        return (events - forecast) / Math.max(1, Math.max(events, forecast));
    }

    static int stateOf(double relativeError) {
        return Math.clamp((long) Math.floor((relativeError + 1) / STATE_WIDTH), 0, STATES - 1);
    }

    static double midpoint(int state) {
        return -1 + (state + 0.5) * STATE_WIDTH;
    }

    /**
     * The demand a forecast of {@code forecast} events means once its relative error is expected to be
     * {@code error}: the inverse of {@link #relativeError}, never below zero.
     */
    static double corrected(double forecast, double error) {
        if (error < 0) {
            return Math.max(0, forecast + error * Math.max(1, forecast));
        }
        double below = forecast + error; // below one event, the error was absolute
        return below < 1 ? below : forecast / (1 - error);
    }

    /** The interval just ended fell in {@code state}. */
    void observe(int state) {
        if (current >= 0) {
            moves[current][state]++;
            leaving[current]++;
        }
        current = state;
    }

    /** {@code times} more intervals stayed in the current state; O(1). */
    void stay(long times) {
        moves[current][current] += times;
        leaving[current] += times;
    }

    int current() {
        return current;
    }

    /** The error the next interval is expected to have: 0 while the current state has never been left. */
    double expectedError() {
        if (current < 0 || leaving[current] == 0) {
            return 0;
        }
        double sum = 0;
        for (int next = 0; next < STATES; next++) {
            sum += moves[current][next] * midpoint(next);
        }
        return sum / leaving[current];
    }
}
