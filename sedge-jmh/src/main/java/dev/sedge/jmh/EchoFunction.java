package dev.sedge.jmh;

import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Function;
import dev.sedge.api.Result;

/** Replies with the event's data: the jvm benchmarks' guest. Uses only the Sedge API. Thread-safe. */
public final class EchoFunction implements Function {

    @Override
    public Result handle(Event event, Context context) {
        return Result.of(event.data(), event.dataContentType());
    }
}
