package dev.sedge.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.node.cli.SedgeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sedge bench scale} end to end with a short step: an autoscaled function that one instance
 * cannot keep up with, then the same function kept at the autoscaled run's peak. Nothing here asserts a
 * speed; what it checks is what the run must show whatever the machine: more than one instance, back to
 * zero, and every message answered.
 */
@Timeout(240)
class ScaleIT {

    @TempDir
    Path dir;

    @Test
    void theAutoscaledFunctionGrowsReturnsToZeroAndLosesNothingAgainstTheFixedOne() throws Exception {
        Path chart = dir.resolve("charts/scale.png");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // 300 events a second of 5 ms each: one instance can take 200.
        int exit = SedgeCli.run(
                new String[] {
                    "bench",
                    "scale",
                    "--idle",
                    "1s",
                    "--duration",
                    "4s",
                    "--rate",
                    "300",
                    "--burn-us",
                    "5000",
                    "--max",
                    "4",
                    "--chart",
                    chart.toString(),
                    "-o",
                    "json"
                },
                new PrintWriter(out, true),
                new PrintWriter(err, true));

        assertThat(exit).as("stderr:%n%s", err).isZero();
        JsonNode root = JsonMapper.builder().build().readTree(out.toString());
        assertThat(root.get("scenario").asText()).isEqualTo("scale");
        for (String field : List.of("cores", "jdk", "kernel", "memory")) {
            assertThat(root.get("machine").has(field)).as("machine.%s", field).isTrue();
        }
        assertThat(root.get("params").get("rate_per_s").asInt()).isEqualTo(300);
        assertThat(root.get("params").get("burn_us").asInt()).isEqualTo(5000);
        JsonNode rows = root.get("rows");
        assertThat(rows).hasSize(2);
        for (JsonNode row : rows) {
            for (String field : List.of(
                    "target",
                    "throughput_per_s",
                    "p50_us",
                    "p99_us",
                    "p999_us",
                    "cpu_s_per_1k",
                    "sent",
                    "completed",
                    "lost",
                    "peak_instances",
                    "time_to_first_extra_instance_ms",
                    "time_to_zero_ms",
                    "cpu_s_step")) {
                assertThat(row.has(field)).as("%s of %s", field, row).isTrue();
            }
            // 300 msg/s for 4 s, a count fixed by the schedule; every one answered.
            assertThat(row.get("sent").asLong()).as("%s", row).isEqualTo(1200);
            assertThat(row.get("completed").asLong()).as("%s", row).isEqualTo(1200);
            assertThat(row.get("lost").asLong()).isZero();
            assertThat(row.get("p99_us").isNumber()).as("%s", row).isTrue();
        }
        JsonNode autoscaled = rows.get(0);
        assertThat(autoscaled.get("target").asText()).isEqualTo("sedge-autoscaled");
        int peak = autoscaled.get("peak_instances").asInt();
        assertThat(peak).isBetween(2, 4);
        assertThat(autoscaled.get("time_to_first_extra_instance_ms").isNumber()).isTrue();
        assertThat(autoscaled.get("time_to_zero_ms").isNumber())
                .as("back to zero: %s", autoscaled)
                .isTrue();
        assertThat(autoscaled.get("time_to_zero_ms").asLong()).isNotNegative();

        JsonNode fixed = rows.get(1);
        assertThat(fixed.get("target").asText()).isEqualTo("sedge-fixed");
        assertThat(fixed.get("min_instances").asInt()).isEqualTo(peak);
        assertThat(fixed.get("max_instances").asInt()).isEqualTo(peak);
        assertThat(fixed.get("peak_instances").asInt()).isEqualTo(peak);
        assertThat(fixed.get("time_to_zero_ms").isNull()).isTrue();
        assertThat(root.get("params").get("fixed_instances").asInt()).isEqualTo(peak);

        assertThat(root.get("ratios").get("p99_us:sedge-autoscaled/sedge-fixed").isNumber())
                .isTrue();
        assertThat(root.get("ratios")
                        .get("cpu_s_per_1k:sedge-autoscaled/sedge-fixed")
                        .isNumber())
                .isTrue();
        byte[] png = Files.readAllBytes(chart);
        assertThat(Arrays.copyOf(png, 8)).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
    }

    @Test
    void aBadSettingIsRefusedWithTheValueAndTheRange() {
        StringWriter err = new StringWriter();
        int exit = SedgeCli.run(
                new String[] {"bench", "scale", "--duration", "2500ms"},
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("--duration", "2500ms", "whole seconds");
    }
}
