package dev.sedge.broker.router;

/**
 * A subscriber's queue as the publishers that feed it see it. Thread-safe.
 *
 * <p>While it is {@link #full()}, the broker stops reading the connections whose messages were routed
 * into it, so TCP slows their publishers down. It must therefore drain by the subscriber's own work:
 * nothing that arrives on a connection it holds (an acknowledgement, say) may be what drains it.
 */
public interface Backlog {

    /** True while the subscriber wants the publishers that feed it to stop sending. */
    boolean full();

    /**
     * Runs {@code action} once, on any thread, as soon as the backlog is not full (at once if it is not
     * full now). Must not block; the action itself only hands work to another thread.
     */
    void whenDrained(Runnable action);
}
