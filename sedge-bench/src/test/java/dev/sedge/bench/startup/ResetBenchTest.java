package dev.sedge.bench.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sedge.sandbox.wasm.WasmProbe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ResetBenchTest {

    @Test
    void measuresRewindAndBothKindsOfNewGuestInTheSameRunWithTheirRatios() throws Exception {
        StartupReport report = new ResetBench(new ResetBench.Settings(5, 2), new PrintWriter(new StringWriter()))
                .run(List.of(ResetBench.wat()));

        assertThat(report.rows())
                .extracting(StartupRow::name)
                .containsExactly("wat: rewind", "wat: new instance", "wat: new guest from snapshot");
        assertThat(report.rows()).allSatisfy(r -> {
            StartupRow.Measured m = (StartupRow.Measured) r;
            assertThat(m.samples()).isEqualTo(5);
            assertThat(m.p50Micros()).isPositive().isLessThanOrEqualTo(m.p99Micros());
        });
        assertThat(((StartupRow.Measured) report.rows().getFirst()).what())
                .isEqualTo("rewind a 64 KiB guest after an event");
        assertThat(report.ratios())
                .containsOnlyKeys("wat: new instance / rewind", "wat: new guest from snapshot / rewind");
        assertThat(report.ratios().values()).allSatisfy(v -> assertThat(v).isPositive());
        assertThat(report.markdown()).contains("| wat: rewind | rewind a 64 KiB guest after an event | 5 |");
    }

    @Test
    void theTouchHandlerDirtiesTheWholePageAndARewindUndoesIt() throws Exception {
        try (WasmProbe probe = WasmProbe.compile("noop.wasm", Subjects.resource(Subjects.NOOP_WASM), "touch")) {
            assertThat(probe.memoryBytes()).isEqualTo(65_536);
            probe.invoke(ResetBench.wat().create().event(), ResetBench.silentContext());
            assertThat(probe.peek(0)).isEqualTo((byte) 0xA5);
            assertThat(probe.peek(61_440)).isEqualTo((byte) 0xA5);
            assertThat(probe.rewind()).isTrue();
            assertThat(probe.peek(0)).isZero();
            assertThat(probe.peek(61_440)).isZero();
        }
    }

    @Test
    void theCExampleIsMeasuredOrSkippedWithTheReason() throws Exception {
        StartupReport report = new ResetBench(new ResetBench.Settings(3, 1), new PrintWriter(new StringWriter()))
                .run(List.of(ResetBench.c()));

        StartupRow first = report.rows().getFirst();
        assumeTrue(
                first instanceof StartupRow.Measured,
                () -> "the C example cannot be built here: " + ((StartupRow.Skipped) first).reason());
        assertThat(first.name()).isEqualTo("wasm-c: rewind");
        assertThat(((StartupRow.Measured) first).what()).isEqualTo("rewind a 192 KiB guest after an event");
    }
}
