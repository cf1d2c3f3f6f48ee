package dev.sedge.bench.function;

import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Function;
import dev.sedge.api.Result;

/**
 * A function that does nothing and publishes nothing, so that a benchmark measures the path of a
 * message through the node and not the function. Packaged into its own jar at run time and deployed
 * like any function, so it must use only the Sedge API and the JDK. Stateless and thread-safe.
 */
public final class NoopFunction implements Function {

    @Override
    public Result handle(Event event, Context context) {
        return Result.empty();
    }
}
