package dev.sedge.bench.startup;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of a start-up report: a runtime's cold start, a floor, or a reset, in microseconds; or why it
 * could not run. Immutable.
 */
sealed interface StartupRow {

    String name();

    /**
     * @param what what one sample is, in a few words
     * @param samples how many samples the percentiles are over (the first is reported on its own)
     * @param firstMicros the very first sample, which also pays for one-time work (a first compile, the
     *     JIT), or NaN when not kept apart
     * @param phasesP50Micros the median of each phase, in phase order, when the row has phases
     */
    record Measured(
            String name,
            String what,
            int samples,
            double firstMicros,
            double p50Micros,
            double p90Micros,
            double p99Micros,
            Map<String, Double> phasesP50Micros)
            implements StartupRow {

        public Measured {
            phasesP50Micros = Collections.unmodifiableMap(new LinkedHashMap<>(phasesP50Micros));
        }
    }

    record Skipped(String name, String reason) implements StartupRow {}
}
