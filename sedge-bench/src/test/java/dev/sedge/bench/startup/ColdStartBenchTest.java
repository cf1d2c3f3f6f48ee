package dev.sedge.bench.startup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ColdStartBenchTest {

    @Test
    void measuresEachRuntimeByPhaseAndTheFloorsInTheSameRun() throws Exception {
        StringWriter progress = new StringWriter();
        StartupReport report = new ColdStartBench(new ColdStartBench.Settings(5, 3, 1), new PrintWriter(progress))
                .run(List.of(Subjects.jvm()));

        assertThat(report.rows())
                .extracting(StartupRow::name)
                .containsExactly("jvm", ColdStartBench.FORK_EXEC, ColdStartBench.JVM_HELLO);
        StartupRow.Measured jvm = (StartupRow.Measured) report.rows().getFirst();
        assertThat(jvm.samples()).isEqualTo(5);
        assertThat(jvm.phasesP50Micros()).containsKeys("fetch", "compile", "instantiate", "first-call");
        assertThat(jvm.p50Micros()).isPositive().isLessThanOrEqualTo(jvm.p99Micros());
        assertThat(report.ratios().get("jvm / " + ColdStartBench.FORK_EXEC)).isPositive();

        JsonNode json = JsonMapper.builder().build().readTree(report.json());
        assertThat(json.path("rows").get(0).path("phasesP50Us").path("compile").asDouble())
                .isPositive();
        assertThat(report.markdown()).contains("| jvm | event to result, no instance | 5 |");
    }
}
