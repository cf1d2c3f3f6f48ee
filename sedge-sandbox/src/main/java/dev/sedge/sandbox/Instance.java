package dev.sedge.sandbox;

import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Result;

/**
 * A started function, ready to handle events.
 *
 * <p>{@link #invoke} may be called from up to {@code concurrency} threads at once. {@link #close} is
 * called once, after which the instance is not used again.
 */
public interface Instance extends AutoCloseable {

    /**
     * Runs the function on one event.
     *
     * @throws Exception whatever the function threw; the caller records it as this invocation's failure
     */
    Result invoke(Event event, Context context) throws Exception;

    /** Releases the instance's resources. Never throws. */
    @Override
    void close();
}
