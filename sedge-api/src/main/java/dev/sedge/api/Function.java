package dev.sedge.api;

/**
 * A Sedge function: one event in, one result out.
 *
 * <p>The node creates one object of the handler class per instance, with its public no-argument
 * constructor, and calls {@link #handle} for each event routed to it. An instance may be called from
 * several threads at once, up to the descriptor's {@code concurrency}; with {@code concurrency: 1} calls
 * never overlap. {@link #close} is called once when the instance is retired.
 */
@FunctionalInterface
public interface Function {

    /**
     * Handles one event.
     *
     * @return the reply, or {@link Result#empty()} to publish nothing
     * @throws Exception to fail this invocation; the node retries it or sends it to the dead-letter topic
     */
    Result handle(Event event, Context context) throws Exception;

    /** Releases what the instance holds. The default does nothing. */
    default void close() throws Exception {}
}
