package dev.sedge.bench.idle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.node.cli.SedgeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code sedge bench idle} end to end with 20 functions and 2 s per state. Nothing here asserts a cost;
 * what it checks is what each state must be: nothing started while cold, one instance per function once
 * each had its event, and memory read in every state.
 */
@Timeout(180)
class IdleIT {

    @Test
    void theEmptyColdAndWarmNodeAreEachMeasuredAgainstTheEmptyOne() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SedgeCli.run(
                new String[] {"bench", "idle", "--quick", "--functions", "20", "--duration", "2s", "-o", "json"},
                new PrintWriter(out, true),
                new PrintWriter(err, true));

        assertThat(exit).as("stderr:%n%s", err).isZero();
        JsonNode root = JsonMapper.builder().build().readTree(out.toString());
        assertThat(root.get("scenario").asText()).isEqualTo("idle");
        for (String field : List.of("cores", "jdk", "kernel", "memory")) {
            assertThat(root.get("machine").has(field)).as("machine.%s", field).isTrue();
        }
        assertThat(root.get("params").get("functions").asInt()).isEqualTo(20);
        assertThat(root.get("params").get("duration_s").asInt()).isEqualTo(2);
        JsonNode rows = root.get("rows");
        assertThat(rows).extracting(r -> r.get("target").asText()).containsExactly("empty", "cold-20", "warm-20");
        for (JsonNode row : rows) {
            for (String field : List.of("functions", "instances_ready", "cpu_s", "cpu_percent_of_core", "rss_mib")) {
                assertThat(row.get(field).isNumber()).as("%s of %s", field, row).isTrue();
            }
            assertThat(row.get("rss_mib").asDouble()).as("%s", row).isPositive();
            assertThat(row.get("cpu_s").asDouble()).as("%s", row).isNotNegative();
        }
        assertThat(rows.get(0).get("functions").asInt()).isZero();
        assertThat(rows.get(1).get("instances_ready").asInt())
                .as("cold: none started")
                .isZero();
        assertThat(rows.get(2).get("instances_ready").asInt())
                .as("warm: one each")
                .isEqualTo(20);
        for (JsonNode row : List.of(rows.get(1), rows.get(2))) {
            assertThat(row.get("functions").asInt()).isEqualTo(20);
            assertThat(row.get("per_function_kib").isNumber()).as("%s", row).isTrue();
            assertThat(row.get("cpu_percent_above_empty").isNumber())
                    .as("%s", row)
                    .isTrue();
            assertThat(row.get("meets_goals").asText()).isIn("yes", "no");
        }
        JsonNode warm = rows.get(2);
        assertThat(warm.get("sent").asLong()).isEqualTo(20);
        assertThat(warm.get("completed").asLong()).isEqualTo(20);
        assertThat(warm.get("lost").asLong()).isZero();
        assertThat(root.get("ratios").has("rss_mib:cold-20/empty")).isTrue();
        assertThat(root.get("ratios").has("rss_mib:warm-20/empty")).isTrue();
    }
}
