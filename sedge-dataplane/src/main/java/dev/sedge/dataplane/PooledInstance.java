package dev.sedge.dataplane;

import dev.sedge.sandbox.ColdStart;
import dev.sedge.sandbox.Instance;

/**
 * One instance of a function in its {@link InstancePool}: its state, and the events running on it
 * against the function's concurrency. Guarded by the dispatcher's lock, except {@link #instance}, which
 * is set once before the instance is offered to events.
 */
final class PooledInstance {

    enum State {
        /** Being started; takes no event yet. */
        STARTING,
        /** Takes events up to the function's concurrency. */
        READY,
        /** Retired: takes no new event, and is closed once its last one ended. */
        DRAINING,
        /** Closed, or handed to a thread that closes it. */
        CLOSED
    }

    final long number;
    State state = State.STARTING;
    volatile Instance instance;
    int inFlight;
    /** The timing of its start, until the first event that waited for it takes it. */
    ColdStart coldStart;

    PooledInstance(long number) {
        this.number = number;
    }

    /** The cold start's timing for the first event that runs on this instance; null for every later one. */
    ColdStart takeColdStart() {
        ColdStart c = coldStart;
        coldStart = null;
        return c;
    }

    @Override
    public String toString() {
        return "instance " + number + " (" + state + ", " + inFlight + " running)";
    }
}
