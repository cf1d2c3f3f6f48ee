package dev.sedge.scaling.policy;

import dev.sedge.scaling.sim.SimulationListener;
import dev.sedge.scaling.sim.Trace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Traces built in tests from each function's event times, and a listener that records per function.
 * Stateless; each {@link Counts} belongs to one simulation.
 */
public final class SyntheticTraces {

    public static final long SECOND = 1_000;
    public static final long MINUTE = 60 * SECOND;
    public static final long HOUR = 60 * MINUTE;

    private SyntheticTraces() {}

    /** One trace of every function's events, merged in time order (ties in the order given). */
    public static Trace merge(String name, Map<String, long[]> byFunction) {
        List<String> functions = new ArrayList<>(byFunction.keySet());
        List<long[]> events = new ArrayList<>();
        for (int f = 0; f < functions.size(); f++) {
            for (long t : byFunction.get(functions.get(f))) {
                events.add(new long[] {t, f});
            }
        }
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int[] function = new int[events.size()];
        long[] times = new long[events.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = events.get(i)[0];
            function[i] = (int) events.get(i)[1];
        }
        return new Trace(name, functions, function, times);
    }

    /** {@code count} events {@code period} apart from {@code first}. */
    public static long[] every(long first, long period, int count) {
        long[] times = new long[count];
        for (int i = 0; i < count; i++) {
            times[i] = first + i * period;
        }
        return times;
    }

    /** Events separated by the given idle times, the first at 0. */
    public static long[] separatedBy(long... idle) {
        long[] times = new long[idle.length + 1];
        for (int i = 0; i < idle.length; i++) {
            times[i + 1] = times[i] + idle[i];
        }
        return times;
    }

    /** An ordered map, so that function order (and so the trace) is deterministic. */
    public static Map<String, long[]> functions(Object... nameThenTimes) {
        Map<String, long[]> byFunction = new LinkedHashMap<>();
        for (int i = 0; i < nameThenTimes.length; i += 2) {
            byFunction.put((String) nameThenTimes[i], (long[]) nameThenTimes[i + 1]);
        }
        return byFunction;
    }

    /** Records, per function, the times of its cold events, pre-warms and stops. Not thread-safe. */
    public static final class Counts implements SimulationListener {

        private final Map<String, List<Long>> cold = new HashMap<>();
        private final Map<String, List<Long>> prewarms = new HashMap<>();
        private final Map<String, List<Long>> stops = new HashMap<>();

        @Override
        public void started(String function, long atMillis, boolean prewarm) {
            if (prewarm) {
                add(prewarms, function, atMillis);
            }
        }

        @Override
        public void stopped(String function, long atMillis) {
            add(stops, function, atMillis);
        }

        @Override
        public void invoked(String function, long atMillis, boolean cold, long waitedMillis) {
            if (cold) {
                add(this.cold, function, atMillis);
            }
        }

        private static void add(Map<String, List<Long>> times, String function, long atMillis) {
            times.computeIfAbsent(function, f -> new ArrayList<>()).add(atMillis);
        }

        /** The times of the function's cold events. */
        public List<Long> cold(String function) {
            return cold.getOrDefault(function, List.of());
        }

        /** When the plan started an instance of the function without an event. */
        public List<Long> prewarms(String function) {
            return prewarms.getOrDefault(function, List.of());
        }

        /** When the function's instance went. */
        public List<Long> stops(String function) {
            return stops.getOrDefault(function, List.of());
        }

        /** How many of {@code times} are at or after {@code fromMillis}. */
        public static long from(List<Long> times, long fromMillis) {
            return times.stream().filter(t -> t >= fromMillis).count();
        }
    }
}
