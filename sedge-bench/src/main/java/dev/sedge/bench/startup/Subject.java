package dev.sedge.bench.startup;

import dev.sedge.api.Event;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Sandbox;

/**
 * A function whose cold start is measured: the sandbox of its runtime, its spec and the event that
 * wakes it.
 *
 * @param name the row's name, such as {@code wasm}
 * @param cleanup what to release after the run (temporary files, the sandbox's cache), never null
 */
record Subject(String name, Sandbox sandbox, FunctionSpec spec, Event event, AutoCloseable cleanup) {

    static Event event(String payload) {
        return Event.builder()
                .id("cold-start")
                .source("/sedge/bench")
                .type("dev.sedge.bench.cold-start")
                .subject("sensors/bench/temperature")
                .dataContentType("application/json")
                .data(payload)
                .build();
    }
}
