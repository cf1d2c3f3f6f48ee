package dev.sedge.dataplane;

import dev.sedge.api.Result;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one dispatched event ended: a result, or a failure with its kind. Expected states such as a
 * timeout or a full queue are outcomes, not exceptions.
 */
public sealed interface Outcome {

    /** Facts about the invocation, whatever its end. */
    Info info();

    /**
     * @param invocationId the invocation's identifier
     * @param coldStart whether this invocation had to start the instance
     * @param attempts how many attempts ran (1 plus retries)
     * @param durationNanos from dispatch to end, queueing included
     * @param coldStartPhases when {@code coldStart}, how long each phase of that start took, in phase order
     *     and keyed by {@link dev.sedge.sandbox.Phase#label()}; empty otherwise
     */
    record Info(
            String invocationId,
            boolean coldStart,
            int attempts,
            long durationNanos,
            Map<String, Duration> coldStartPhases) {

        public Info {
            coldStartPhases = Collections.unmodifiableMap(new LinkedHashMap<>(coldStartPhases));
        }
    }

    /** The function returned a result. */
    record Success(Result result, Info info) implements Outcome {}

    /** The function did not return a result. */
    record Failure(Kind kind, String message, Info info) implements Outcome {}

    /** Why an invocation failed; each kind is a metric label. */
    enum Kind {
        /** The function threw. */
        ERROR("error"),
        /** The attempt ran past the descriptor's timeout. */
        TIMEOUT("timeout"),
        /** No instance could be started. */
        START_FAILED("start-failed"),
        /** The queue was full or the function is being removed. */
        REJECTED("rejected"),
        /** The event's MQTT 5 message expiry passed before it could run. */
        EXPIRED("expired");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
