package dev.sedge.bench.replay;

import dev.sedge.scaling.sim.Trace;
import java.util.Arrays;

/**
 * When each event of a trace is due in the replay: its time since the trace's first event, divided by
 * the speedup, in nanoseconds from the replay's start. Immutable (the arrays are never handed out).
 */
final class Schedule {

    private final int[] function;
    private final long[] dueNanos;

    private Schedule(int[] function, long[] dueNanos) {
        this.function = function;
        this.dueNanos = dueNanos;
    }

    /**
     * @param limit how many events from the first; 0 for all
     */
    static Schedule of(Trace trace, double speedup, int limit) {
        int n = limit > 0 ? Math.min(limit, trace.events()) : trace.events();
        long[] due = new long[n];
        long first = n == 0 ? 0 : trace.times()[0];
        for (int i = 0; i < n; i++) {
            due[i] = Math.round((trace.times()[i] - first) * 1e6 / speedup);
        }
        return new Schedule(Arrays.copyOf(trace.function(), n), due);
    }

    /** {@code events} events of function 0, one every {@code intervalNanos} from the start: a warm-up. */
    static Schedule uniform(int events, long intervalNanos) {
        long[] due = new long[events];
        for (int i = 0; i < events; i++) {
            due[i] = i * intervalNanos;
        }
        return new Schedule(new int[events], due);
    }

    int events() {
        return dueNanos.length;
    }

    /** The function index of event {@code i}, as in the trace's function list. */
    int function(int i) {
        return function[i];
    }

    /** When event {@code i} is due, in nanoseconds after the start. */
    long dueNanos(int i) {
        return dueNanos[i];
    }

    /** When the last event is due, in nanoseconds after the start. */
    long spanNanos() {
        return dueNanos.length == 0 ? 0 : dueNanos[dueNanos.length - 1];
    }

    /**
     * How many functions the schedule's events go to: the trace numbers functions in order of their first
     * event, so the first events of a trace use the functions numbered from 0 to this, less one.
     */
    int functions() {
        int most = -1;
        for (int f : function) {
            most = Math.max(most, f);
        }
        return most + 1;
    }
}
