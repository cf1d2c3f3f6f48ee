package dev.sedge.dataplane;

import dev.sedge.api.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The {@link Context} of one attempt: what the dispatcher hands a function, and what benchmarks hand a
 * sandbox directly so that they measure the same object. Immutable.
 */
public record InvocationContext(
        String functionName,
        String invocationId,
        boolean coldStart,
        Map<String, Duration> coldStartPhases,
        Instant deadline,
        System.Logger logger,
        Outbox outbox)
        implements Context {

    @Override
    public void publish(String topic, byte[] payload) {
        outbox.publish(topic, payload);
    }
}
