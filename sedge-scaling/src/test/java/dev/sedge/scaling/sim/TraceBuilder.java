package dev.sedge.scaling.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a small trace in a test: events added in any order, sorted on {@link #build}. */
public final class TraceBuilder {

    private record Event(long at, String function, int order) {}

    private final List<Event> events = new ArrayList<>();

    /** An event of {@code function} at {@code at} ms. */
    public TraceBuilder at(long at, String function) {
        events.add(new Event(at, function, events.size()));
        return this;
    }

    /** Events of {@code function} every {@code period} ms from {@code from}, {@code count} of them. */
    public TraceBuilder every(long period, String function, long from, int count) {
        for (int i = 0; i < count; i++) {
            at(from + i * period, function);
        }
        return this;
    }

    public Trace build() {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(Event::at).thenComparingInt(Event::order));
        Map<String, Integer> index = new LinkedHashMap<>();
        int[] function = new int[sorted.size()];
        long[] times = new long[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            function[i] = index.computeIfAbsent(sorted.get(i).function(), f -> index.size());
            times[i] = sorted.get(i).at();
        }
        return new Trace("test", List.copyOf(index.keySet()), function, times);
    }
}
