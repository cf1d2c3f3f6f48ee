package dev.sedge.bench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One target's line in a report: what it measured, or why it could not run. Immutable. */
public sealed interface Row {

    /** The target's name: {@code sedge}, {@code mosquitto}. */
    String target();

    /**
     * What one target measured.
     *
     * @param throughputPerSecond messages completed per second in the measurement window
     * @param latency PUBLISH-to-PUBACK percentiles in microseconds over the window, or null at QoS 0
     *     (there is no PUBACK)
     * @param cpuSecondsPer1k the target process's CPU seconds per 1,000 messages completed in the window,
     *     or null when none completed
     * @param cpuWaitPerSecond the target's threads' time runnable but waiting for a CPU, per second of
     *     window (0.5: on average half a thread was kept waiting), or null when the kernel does not say
     * @param sent messages the generator sent over the whole run, warm-up included
     * @param completed of those, messages the target completed once the generator had stopped and drained
     * @param generator the load generator's own counts and cost, to tell a saturated generator
     * @param extras a scenario's own fields beyond the schema's (the offered rate of a latency row, the
     *     CPU of each process of a path), in the order reports print them; numbers, strings or maps
     */
    record Measured(
            String target,
            double throughputPerSecond,
            Latency latency,
            Double cpuSecondsPer1k,
            Double cpuWaitPerSecond,
            long sent,
            long completed,
            Generator generator,
            Map<String, Object> extras)
            implements Row {

        public Measured {
            extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
        }

        /** A row with no fields beyond the schema's. */
        public Measured(
                String target,
                double throughputPerSecond,
                Latency latency,
                Double cpuSecondsPer1k,
                Double cpuWaitPerSecond,
                long sent,
                long completed,
                Generator generator) {
            this(
                    target,
                    throughputPerSecond,
                    latency,
                    cpuSecondsPer1k,
                    cpuWaitPerSecond,
                    sent,
                    completed,
                    generator,
                    Map.of());
        }

        /** Sent but not completed: a lossless target shows 0. */
        public long lost() {
            return sent - completed;
        }
    }

    /**
     * What one target measured in a scenario that times no messages (what a node costs at rest): its own
     * figures only, with their units in their names, in the order reports print them; numbers, strings or
     * null for a figure that was not measured.
     */
    record Figures(String target, Map<String, Object> figures) implements Row {

        public Figures {
            figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        }
    }

    /** A target that could not run here; {@code reason} says why. */
    record Skipped(String target, String reason) implements Row {}

    /** Latency percentiles in microseconds. */
    record Latency(long p50, long p99, long p999) {}

    /**
     * The load generator's process during one target's run: its publishers and, for a broker-only
     * baseline, the subscriber that counts deliveries.
     *
     * @param acked QoS 1 messages acknowledged over the whole run (0 at QoS 0)
     * @param cpuSecondsPer1k the generator process's CPU seconds per 1,000 messages completed in the
     *     window, or null when none completed
     * @param busiestThreadUtilisation the largest share of a core one thread of that process (a publisher
     *     event loop, the baseline's subscriber) used in the window: near 1.0 the generator, not the
     *     target, may set the pace
     */
    record Generator(long acked, Double cpuSecondsPer1k, double busiestThreadUtilisation) {}
}
