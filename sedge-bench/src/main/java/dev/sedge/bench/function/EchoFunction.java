package dev.sedge.bench.function;

import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Function;
import dev.sedge.api.Result;

/**
 * A function that replies with the payload it got, so that the latency benchmark's subscriber receives
 * the send time the generator wrote into it. Packaged into its own jar at run time, like
 * {@link NoopFunction}: only the Sedge API and the JDK. Stateless and thread-safe.
 */
public final class EchoFunction implements Function {

    @Override
    public Result handle(Event event, Context context) {
        return Result.of(event.data(), event.dataContentType());
    }
}
