package dev.sedge.bench.mqtt;

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
 * {@code sedge bench mqtt-latency} end to end with short phases: a Sedge node whose echo function
 * replies, and Mosquitto. Nothing here asserts a speed.
 */
@Timeout(180)
class MqttLatencyIT {

    @Test
    void everyReplyComesBackAndTheJsonHasARowPerTargetAndRateWithEveryField() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SedgeCli.run(
                new String[] {
                    "bench", "mqtt-latency", "--rates", "50,400", "--duration", "1s", "--warmup", "200ms", "-o", "json"
                },
                new PrintWriter(out, true),
                new PrintWriter(err, true));

        assertThat(exit).as("stderr:%n%s", err).isZero();
        JsonNode root = JsonMapper.builder().build().readTree(out.toString());
        assertThat(root.get("scenario").asText()).isEqualTo("mqtt-latency");
        for (String field : List.of("cores", "jdk", "kernel", "memory")) {
            assertThat(root.get("machine").has(field)).as("machine.%s", field).isTrue();
        }
        for (String field : List.of("duration_s", "qos", "payload_bytes", "publishers", "rates_per_s")) {
            assertThat(root.get("params").has(field)).as("params.%s", field).isTrue();
        }
        JsonNode rows = root.get("rows");
        assertThat(rows).hasSizeBetween(3, 4); // mosquitto is one skipped row where it is not installed
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
                    "lost")) {
                assertThat(row.has(field)).as("%s of %s", field, row).isTrue();
            }
            if (row.has("skipped")) {
                continue;
            }
            // Both routes are lossless: every message sent in the phase got its reply.
            assertThat(row.get("sent").asLong()).as("%s", row).isPositive();
            assertThat(row.get("completed").asLong())
                    .as("%s", row)
                    .isEqualTo(row.get("sent").asLong());
            assertThat(row.get("lost").asLong()).isZero();
            assertThat(row.get("p99_us").isNumber()).as("%s", row).isTrue();
            assertThat(row.get("offered_per_s").asInt()).isIn(50, 400);
            assertThat(row.has("achieved_per_s")).isTrue();
            assertThat(row.get("kept_rate").asText()).isIn("yes", "no");
        }
        assertThat(rows.get(0).get("target").asText()).isEqualTo("sedge");
        assertThat(rows.get(0).get("offered_per_s").asInt()).isEqualTo(50);
        assertThat(rows.get(1).get("offered_per_s").asInt()).isEqualTo(400);
        // 50 msg/s for 0.2 s of warm-up and 1 s of window: 10 + 50 messages, a count fixed by the schedule
        assertThat(rows.get(0).get("sent").asLong()).isEqualTo(60);
        assertThat(root.get("ratios").has("p99_at_50:sedge/mosquitto")).isTrue();
        assertThat(root.get("ratios").has("p99_at_400:sedge/mosquitto")).isTrue();
    }
}
