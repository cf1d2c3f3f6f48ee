package dev.sedge.scaling.sim.workload;

/**
 * One device, or one group of devices whose events depend on each other (a floor), as a stream of events
 * in time order. Not thread-safe: the generator reads each source from one thread, once.
 */
interface EventSource {

    /** The time of the next event, or {@link Long#MAX_VALUE} when there is none before the trace's end. */
    long nextTime();

    /** Removes and returns the next event; only after {@link #nextTime()} said there is one. */
    Event take();
}
