package dev.sedge.sandbox;

import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Result;

/**
 * A started function, ready to handle events.
 *
 * <p>{@link #invoke} may be called from up to the spec's {@code concurrency} threads at once, in every
 * runtime: that is what {@code concurrency} means. A runtime whose guest handles one event at a time
 * (wasm) keeps that many guests inside the instance; one whose guest may take several (jvm, process)
 * hands it that many at once.
 *
 * <p>{@link #close} is called once, after which the instance is not used again. It may be called while
 * invocations run (after a timeout, or when the function is removed) and must then make them end as
 * promptly as the runtime allows: a wasm guest is interrupted, a process is killed.
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
