package dev.sedge.scaling.sim;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace of events, each for one function, in time order. Immutable.
 *
 * @param name where it came from, for reports
 * @param functions the functions, in order of their first event
 * @param function for each event, its function's index in {@code functions}
 * @param times for each event, its time in milliseconds
 */
public record Trace(String name, List<String> functions, int[] function, long[] times) {

    /** Same length, and times in order. */
    public Trace {
        functions = List.copyOf(functions);
        if (function.length != times.length) {
            throw new IllegalArgumentException(function.length + " functions for " + times.length + " times");
        }
        for (int i = 1; i < times.length; i++) {
            if (times[i] < times[i - 1]) {
                throw new IllegalArgumentException("event " + i + " at " + times[i] + " is before the one before it");
            }
        }
    }

    /** The number of events. */
    public int events() {
        return times.length;
    }

    /** The span from the first event to the last, in milliseconds. */
    public long spanMillis() {
        return times.length == 0 ? 0 : times[times.length - 1] - times[0];
    }

    /** Each function's event times, in order. */
    public Map<String, long[]> arrivals() {
        int[] counts = new int[functions.size()];
        for (int f : function) {
            counts[f]++;
        }
        long[][] byFunction = new long[functions.size()][];
        for (int f = 0; f < counts.length; f++) {
            byFunction[f] = new long[counts[f]];
        }
        Arrays.fill(counts, 0);
        for (int i = 0; i < times.length; i++) {
            byFunction[function[i]][counts[function[i]]++] = times[i];
        }
        Map<String, long[]> arrivals = new HashMap<>();
        for (int f = 0; f < byFunction.length; f++) {
            arrivals.put(functions.get(f), byFunction[f]);
        }
        return arrivals;
    }
}
