package dev.sedge.bench.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ColdStartBenchTest {

    private static StartupReport run(SubjectFactory subject) throws Exception {
        return new ColdStartBench(new ColdStartBench.Settings(3, 2, 1), new PrintWriter(new StringWriter()))
                .run(List.of(subject));
    }

    @Test
    void measuresEachRuntimeByPhaseAndTheFloorsInTheSameRun() throws Exception {
        StringWriter progress = new StringWriter();
        StartupReport report = new ColdStartBench(new ColdStartBench.Settings(5, 3, 1), new PrintWriter(progress))
                .run(List.of(Subjects.wasm(), Subjects.jvm()));

        assertThat(report.rows())
                .extracting(StartupRow::name)
                .containsExactly("wasm", "jvm", ColdStartBench.FORK_EXEC, ColdStartBench.JVM_HELLO);
        StartupRow.Measured jvm = (StartupRow.Measured) report.rows().get(1);
        assertThat(jvm.samples()).isEqualTo(5);
        assertThat(jvm.phasesP50Micros()).containsKeys("fetch", "compile", "instantiate", "first-call");
        assertThat(jvm.p50Micros()).isPositive().isLessThanOrEqualTo(jvm.p99Micros());
        assertThat(report.ratios().get("jvm / " + ColdStartBench.FORK_EXEC)).isPositive();

        JsonNode json = JsonMapper.builder().build().readTree(report.json());
        assertThat(json.path("rows").get(1).path("phasesP50Us").path("compile").asDouble())
                .isPositive();
        assertThat(report.markdown()).contains("| jvm | event to result, no instance | 5 |");
    }

    @Test
    void theWasmRowHasEveryPhaseOfTheRuntimeAndItsFirstSampleApart() throws Exception {
        StartupReport report = run(Subjects.wasm());

        StartupRow.Measured wasm = (StartupRow.Measured) report.rows().getFirst();
        assertThat(wasm.name()).isEqualTo("wasm");
        assertThat(wasm.samples()).isEqualTo(3);
        assertThat(wasm.phasesP50Micros())
                .containsOnlyKeys("fetch", "compile", "instantiate", "initialise", "first-call");
        assertThat(wasm.firstMicros()).isPositive();
        assertThat(report.ratios()).containsKey("wasm / " + ColdStartBench.JVM_HELLO);
    }

    @Test
    void theCExampleIsBuiltAndMeasuredAsAWasmRow() throws Exception {
        StartupReport report = run(Subjects.wasmC());

        StartupRow row = report.rows().getFirst();
        assumeTrue(
                row instanceof StartupRow.Measured,
                () -> "the C example cannot be built here: " + ((StartupRow.Skipped) row).reason());
        assertThat(row.name()).isEqualTo("wasm-c");
        assertThat(((StartupRow.Measured) row).phasesP50Micros()).containsKey("initialise");
    }

    @Test
    void thePythonExampleIsMeasuredAsAProcessRow() throws Exception {
        StartupReport report = run(Subjects.processPython());

        StartupRow row = report.rows().getFirst();
        assumeTrue(
                row instanceof StartupRow.Measured,
                () -> "the Python example cannot run here: " + ((StartupRow.Skipped) row).reason());
        assertThat(row.name()).isEqualTo("process-python");
        StartupRow.Measured m = (StartupRow.Measured) row;
        assertThat(m.samples()).isEqualTo(2);
        assertThat(m.phasesP50Micros()).containsKeys("instantiate", "initialise", "first-call");
    }

    @Test
    void aRuntimeIsNamedByItsRowAndAnUnknownOneIsRefusedWithTheChoices() {
        assertThat(Subjects.all())
                .extracting(SubjectFactory::name)
                .containsExactly("wasm", "wasm-c", "jvm", "process-python");
        assertThat(Subjects.named("process-python").outOfProcess()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Subjects.named("lua"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wasm, wasm-c, jvm, process-python");
    }
}
