package dev.sedge.bench.simulate;

import dev.sedge.scaling.sim.SimulationListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Records, during one simulation, what happened to one function: when its instance came and went, and
 * each of its events with whether it found no ready instance. Not thread-safe; one per simulation, read
 * after it ran.
 */
final class DeviceTimeline implements SimulationListener {

    /** The function had {@code instances} (0 or 1) from {@code atMillis} on. */
    record Change(long atMillis, int instances) {}

    /**
     * An event of the function, and whether it found no ready instance: it started one, or waited for one
     * starting (the simulator counts one cold start for all that wait on the same start; each is marked).
     */
    record Event(long atMillis, boolean waited) {}

    private final String device;
    private final List<Change> changes = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();

    DeviceTimeline(String device) {
        this.device = device;
    }

    @Override
    public void started(String function, long atMillis, boolean prewarm) {
        if (function.equals(device)) {
            changes.add(new Change(atMillis, 1));
        }
    }

    @Override
    public void stopped(String function, long atMillis) {
        if (function.equals(device)) {
            changes.add(new Change(atMillis, 0));
        }
    }

    @Override
    public void invoked(String function, long atMillis, boolean cold, long waitedMillis) {
        if (function.equals(device)) {
            events.add(new Event(atMillis, cold || waitedMillis > 0));
        }
    }

    /**
     * The instance count over {@code [from, to)} as steps: the count at {@code from}, each change inside,
     * and the count at {@code to}, so that a step line drawn through them covers the whole stretch.
     */
    List<Change> steps(long from, long to) {
        List<Change> steps = new ArrayList<>();
        int current = 0;
        int i = 0;
        for (; i < changes.size() && changes.get(i).atMillis() <= from; i++) {
            current = changes.get(i).instances();
        }
        steps.add(new Change(from, current));
        for (; i < changes.size() && changes.get(i).atMillis() < to; i++) {
            current = changes.get(i).instances();
            steps.add(changes.get(i));
        }
        steps.add(new Change(to, current));
        return steps;
    }

    /** The function's events in {@code [from, to)}. */
    List<Event> events(long from, long to) {
        return events.stream()
                .filter(e -> e.atMillis() >= from && e.atMillis() < to)
                .toList();
    }
}
