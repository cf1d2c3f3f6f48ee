package dev.sedge.bench.targets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A system that a benchmark sends its MQTT load to: a Sedge node or a baseline broker. Starting one
 * brings it up on free loopback ports and attaches whatever counts completions (a function's trigger,
 * a subscriber).
 *
 * <p>Implementations are stateless factories; each {@link #start} gives a new {@link Running} target.
 */
public interface Target {

    /** The name in reports: {@code sedge}, {@code mosquitto}. */
    String name();

    /**
     * Starts the target, ready to take messages published on topics matching {@code filter}.
     *
     * @param workDir an empty directory the target may use; the caller deletes it afterwards
     * @throws Unavailable if the target cannot run on this machine (its program is not installed)
     */
    Running start(Path workDir, String filter) throws Unavailable, IOException, InterruptedException;

    /** A started target. Lifecycle: used by one thread, then {@link #close()}d. */
    interface Running extends AutoCloseable {

        /** Where its MQTT listener is. */
        String host();

        int mqttPort();

        /** The process whose CPU time is the target's cost. */
        long pid();

        /**
         * Messages completed so far: for a Sedge node, invocations of the function that succeeded; for a
         * broker-only baseline, messages its subscriber received.
         */
        long completed() throws IOException, InterruptedException;

        /**
         * Every process whose CPU time is the target's cost, by role, in path order: one for a node or a
         * broker, one per hop for a multi-process path. Their CPU is summed.
         */
        default Map<String, Long> processes() {
            return Map.of("target", pid());
        }

        /**
         * Completions readable at no cost from this process, for a target whose PUBACK does not mean the
         * message was completed (a broker in front of a longer path): the generator then also holds back
         * while too many messages are sent but not completed, so that the loop stays closed end to end.
         * Null when a PUBACK already means completion.
         */
        default LongSupplier completionGate() {
            return null;
        }

        /** Stops the target. Idempotent; never throws. */
        @Override
        void close();
    }

    /** The target cannot run here; the message is the reason a report shows instead of numbers. */
    final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        public Unavailable(String reason) {
            super(reason, null, false, false);
        }
    }
}
