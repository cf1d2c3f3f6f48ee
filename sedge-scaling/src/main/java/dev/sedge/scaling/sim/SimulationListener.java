package dev.sedge.scaling.sim;

/** Sees what happens to each function during a simulation, for charts and tests. Called in time order. */
public interface SimulationListener {

    SimulationListener NONE = new SimulationListener() {};

    /** An instance of {@code function} started at {@code atMillis}; {@code prewarm} if no event asked. */
    default void started(String function, long atMillis, boolean prewarm) {}

    /** The instance of {@code function} went at {@code atMillis}. */
    default void stopped(String function, long atMillis) {}

    /** An event of {@code function} at {@code atMillis} waited {@code waitedMillis} for an instance. */
    default void invoked(String function, long atMillis, boolean cold, long waitedMillis) {}
}
