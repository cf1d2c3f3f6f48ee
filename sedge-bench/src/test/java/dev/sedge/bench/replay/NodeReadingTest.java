package dev.sedge.bench.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeReadingTest {

    private static final String BEFORE = """
            # HELP process_cpu_time_ns_total The "cpu time" used by the Java Virtual Machine process
            # TYPE process_cpu_time_ns_total counter
            process_cpu_time_ns_total 2.5E9
            # TYPE sedge_function_instance_seconds_total counter
            sedge_function_instance_seconds_total{function="replay-001-a"} 1.0
            sedge_function_instance_seconds_total{function="other"} 100.0
            # TYPE sedge_cold_starts_total counter
            sedge_cold_starts_total{function="replay-001-a"} 1.0
            """;

    private static final String AFTER = """
            # TYPE process_cpu_time_ns_total counter
            process_cpu_time_ns_total 4.0E9
            # TYPE sedge_function_instance_seconds_total counter
            sedge_function_instance_seconds_total{function="replay-001-a"} 11.5
            sedge_function_instance_seconds_total{function="replay-002-b"} 4.0
            sedge_function_instance_seconds_total{function="other"} 300.0
            # TYPE sedge_cold_starts_total counter
            sedge_cold_starts_total{function="replay-001-a"} 3.0
            sedge_cold_starts_total{function="replay-002-b"} 1.0
            sedge_cold_starts_total{function="other"} 9.0
            # TYPE sedge_cold_start_phase_seconds histogram
            sedge_cold_start_phase_seconds_sum{function="replay-001-a",phase="instantiate"} 0.002
            sedge_cold_start_phase_seconds_sum{function="replay-002-b",phase="first-call"} 0.001
            sedge_invocations_total{function="replay-001-a"} 20.0
            sedge_invocation_errors_total{function="replay-001-a",kind="timeout"} 1.0
            """;

    private static final Set<String> MINE = Set.of("replay-001-a", "replay-002-b");

    @Test
    void theReplaysShareIsTheDifferenceOverItsOwnFunctionsOnly() {
        NodeReading used = NodeReading.of(AFTER, MINE).since(NodeReading.of(BEFORE, MINE));
        assertThat(used.instanceSeconds()).isEqualTo(14.5);
        assertThat(used.coldStarts()).isEqualTo(3.0);
        assertThat(used.coldStartSeconds()).isCloseTo(0.003, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(used.invocations()).isEqualTo(20.0);
        assertThat(used.errors()).isEqualTo(1.0);
        assertThat(used.cpuSeconds()).isEqualTo(1.5); // Micrometer's nanoseconds, in seconds
    }

    @Test
    void theStandardCpuCounterWinsWhenTheNodeHasIt() {
        assertThat(NodeReading.of("process_cpu_seconds_total 7.25\nprocess_cpu_time_ns_total 1.0E9\n", MINE)
                        .cpuSeconds())
                .isEqualTo(7.25);
        assertThat(NodeReading.of("", MINE).cpuSeconds()).isNaN();
    }

    @Test
    void anOlderNodeWithoutInstanceSecondsIsToldApart() {
        assertThat(NodeReading.countsInstanceSeconds(AFTER)).isTrue();
        assertThat(NodeReading.countsInstanceSeconds("sedge_cold_starts_total{function=\"a\"} 1.0\n"))
                .isFalse();
    }
}
