package dev.sedge.bench.replay;

import dev.sedge.bench.targets.PrometheusText;
import java.util.List;
import java.util.Set;

/**
 * The node's counters that a replay is measured by, read from its {@code /metrics} before and after; the
 * difference is the replay's. Per-function counters are summed over the replay's functions only, so that
 * other functions on the node do not count. Immutable.
 *
 * @param instanceSeconds ready instances integrated over time ({@code sedge_function_instance_seconds_total})
 * @param coldStarts invocations that had to wait for an instance to start ({@code sedge_cold_starts_total})
 * @param coldStartSeconds the time those starts took, every phase through the first call, as the node
 *     timed them ({@code sedge_cold_start_phase_seconds_sum})
 * @param invocations invocations finished ({@code sedge_invocations_total})
 * @param errors of those, the failed ones ({@code sedge_invocation_errors_total})
 * @param cpuSeconds the node process's CPU time: {@code process_cpu_seconds_total}, or Micrometer's
 *     {@code process_cpu_time_ns_total} in seconds when the node exposes that instead
 */
record NodeReading(
        double instanceSeconds,
        double coldStarts,
        double coldStartSeconds,
        double invocations,
        double errors,
        double cpuSeconds) {

    static final String INSTANCE_SECONDS = "sedge_function_instance_seconds_total";

    /** Reads the exposition; the per-function sums over {@code functions}. */
    static NodeReading of(String exposition, Set<String> functions) {
        return new NodeReading(
                sum(exposition, INSTANCE_SECONDS, functions),
                sum(exposition, "sedge_cold_starts_total", functions),
                sum(exposition, "sedge_cold_start_phase_seconds_sum", functions),
                sum(exposition, "sedge_invocations_total", functions),
                sum(exposition, "sedge_invocation_errors_total", functions),
                cpu(exposition));
    }

    /**
     * Whether the node counts instance-seconds: once any instance of any function has been ready, a node
     * that does has a sample; an older node never has.
     */
    static boolean countsInstanceSeconds(String exposition) {
        return !PrometheusText.samples(exposition, INSTANCE_SECONDS).isEmpty();
    }

    /** This reading less an earlier one. */
    NodeReading since(NodeReading before) {
        return new NodeReading(
                instanceSeconds - before.instanceSeconds,
                coldStarts - before.coldStarts,
                coldStartSeconds - before.coldStartSeconds,
                invocations - before.invocations,
                errors - before.errors,
                cpuSeconds - before.cpuSeconds);
    }

    private static double sum(String exposition, String metric, Set<String> functions) {
        double total = 0;
        for (PrometheusText.Sample s : PrometheusText.samples(exposition, metric)) {
            if (functions.contains(s.labels().get("function"))) {
                total += s.value();
            }
        }
        return total;
    }

    private static double cpu(String exposition) {
        List<PrometheusText.Sample> seconds = PrometheusText.samples(exposition, "process_cpu_seconds_total");
        if (!seconds.isEmpty()) {
            return seconds.getFirst().value();
        }
        List<PrometheusText.Sample> nanos = PrometheusText.samples(exposition, "process_cpu_time_ns_total");
        return nanos.isEmpty() ? Double.NaN : nanos.getFirst().value() / 1e9;
    }
}
