package dev.sedge.scaling.policy;

import java.util.Set;

/**
 * Decides, for every function of one node, when an instance is kept after an event, when it is let go,
 * and when one is started ahead of the next event. The step between zero and one instance belongs to the
 * policy; anything above one is the autoscaler's.
 *
 * <p>One policy object serves all the functions of a node (or of a simulation), so that a policy may
 * weigh functions against each other (a memory budget) or learn that some move together. Pure: times
 * are given in milliseconds on whatever clock the caller keeps (trace time in the simulator, the
 * monotonic clock in a node), and nothing here reads a clock or does I/O. Not thread-safe: the caller
 * serialises every call.
 *
 * <p>Lifecycle: {@link #arrived} for each event in time order, {@link #plan} whenever the caller needs
 * to know what to do, and again at the plan's {@link WarmPlan#reviewAt()}; {@link #removed} when a
 * function goes away.
 */
public interface KeepAlivePolicy {

    /** The name the simulator's rows and a descriptor's {@code scale.prewarm} use. */
    String name();

    /**
     * An event of {@code function} arrived at {@code atMillis} (times never go backwards). The
     * function's own plan changes; the returned set names the other functions whose plans changed too
     * (a policy that pre-warms a device's neighbours, or evicts under a memory budget), usually none.
     */
    Set<String> arrived(String function, long atMillis);

    /**
     * What {@code function} should have from {@code nowMillis} on. Before the function's first event the
     * plan is {@link WarmPlan#none}.
     */
    WarmPlan plan(String function, long nowMillis);

    /** The function was removed: forget it. */
    default void removed(String function) {}
}
