package dev.sedge.broker.router;

import java.util.ArrayList;
import java.util.List;

/** A backlog the test fills and drains by hand; counts the callbacks it was given. Thread-safe. */
public final class TestBacklog implements Backlog {

    private final List<Runnable> waiting = new ArrayList<>();
    private boolean full;
    private int registrations;

    public TestBacklog(boolean full) {
        this.full = full;
    }

    @Override
    public synchronized boolean full() {
        return full;
    }

    @Override
    public void whenDrained(Runnable action) {
        synchronized (this) {
            registrations++;
            if (full) {
                waiting.add(action);
                return;
            }
        }
        action.run();
    }

    /** Fills it again; callbacks given from now on wait for the next {@link #drain()}. */
    public synchronized void fill() {
        full = true;
    }

    /** Empties it and runs the callbacks that waited. */
    public void drain() {
        List<Runnable> due;
        synchronized (this) {
            full = false;
            due = List.copyOf(waiting);
            waiting.clear();
        }
        due.forEach(Runnable::run);
    }

    /** Runs the callbacks that waited without emptying it: a drain that another delivery undid at once. */
    public void drainedAndRefilled() {
        List<Runnable> due;
        synchronized (this) {
            due = List.copyOf(waiting);
            waiting.clear();
        }
        due.forEach(Runnable::run);
    }

    /** How many callbacks {@link #whenDrained} was given. */
    public synchronized int registrations() {
        return registrations;
    }
}
