package dev.sedge.dataplane;

import dev.sedge.api.Context;
import java.time.Instant;

/** The {@link Context} of one attempt. Immutable. */
record InvocationContext(
        String functionName,
        String invocationId,
        boolean coldStart,
        Instant deadline,
        System.Logger logger,
        Outbox outbox)
        implements Context {

    @Override
    public void publish(String topic, byte[] payload) {
        outbox.publish(topic, payload);
    }
}
