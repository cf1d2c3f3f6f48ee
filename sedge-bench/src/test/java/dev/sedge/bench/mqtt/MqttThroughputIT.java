package dev.sedge.bench.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.bench.fixtures.FailsEveryFourth;
import dev.sedge.bench.load.LoadSpec;
import dev.sedge.bench.report.Row;
import dev.sedge.bench.targets.MosquittoTarget;
import dev.sedge.bench.targets.SedgeTarget;
import dev.sedge.bench.targets.Target;
import dev.sedge.node.cli.SedgeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The harness's correctness against real targets: a Sedge node in its own process and Mosquitto. Runs
 * are a second or so long; nothing here asserts a speed.
 */
@Timeout(120)
class MqttThroughputIT {

    private static final MqttThroughput.Settings SHORT = new MqttThroughput.Settings(
            Duration.ofSeconds(1),
            Duration.ofMillis(300),
            new LoadSpec(2, 1, 64, 16, MqttThroughput.TOPIC_PREFIX),
            1,
            1);

    private final StringWriter progress = new StringWriter();

    private Row.Measured run(Target target) throws Exception {
        Row row = new MqttThroughput(SHORT, new PrintWriter(progress, true))
                .run(List.of(target))
                .rows()
                .getFirst();
        assertThat(row).as("progress:%n%s", progress).isInstanceOf(Row.Measured.class);
        return (Row.Measured) row;
    }

    private static void assumeMosquitto() {
        assumeTrue(
                Files.isExecutable(MosquittoTarget.installed().binary()),
                "mosquitto not found: install the Debian package mosquitto to run the baseline");
    }

    @Test
    void aSedgeNodeCompletesEveryMessageItAcknowledged() throws Exception {
        Row.Measured row = run(SedgeTarget.noop(SedgeTarget.CONCURRENCY_DEFAULT, List.of()));

        assertThat(row.sent()).isPositive();
        assertThat(row.generator().acked()).isEqualTo(row.sent());
        assertThat(row.completed()).isEqualTo(row.sent());
        assertThat(row.lost()).isZero();
        assertThat(row.throughputPerSecond()).isPositive();
        assertThat(row.latency()).isNotNull();
        assertThat(row.cpuSecondsPer1k()).isPositive();
    }

    @Test
    void mosquittoDeliversEveryMessageToItsSubscriber() throws Exception {
        assumeMosquitto();
        Row.Measured row = run(MosquittoTarget.installed());

        assertThat(row.sent()).isPositive();
        assertThat(row.generator().acked()).isEqualTo(row.sent());
        assertThat(row.completed()).isEqualTo(row.sent());
        assertThat(row.lost()).isZero();
    }

    @Test
    void aFunctionThatFailsSomeEventsIsReportedAsLossy() throws Exception {
        Row.Measured row = run(new SedgeTarget(FailsEveryFourth.class, "fails-every-fourth", 100, List.of()));

        // Every message is acknowledged (a failure goes to the dead-letter topic), but not completed.
        assertThat(row.generator().acked()).isEqualTo(row.sent());
        assertThat(row.lost()).isEqualTo(row.sent() - row.completed());
        // Each instance fails every fourth event it sees, and a failure replaces the instance (whose
        // count then starts again), so at most a quarter are lost, and some are.
        assertThat(row.lost()).isPositive().isLessThanOrEqualTo(row.sent() / 4);
    }

    @Test
    void aTargetThatIsNotInstalledIsASkippedRowWithTheReason() throws Exception {
        Row row = new MqttThroughput(SHORT, new PrintWriter(progress, true))
                .run(List.of(new MosquittoTarget(Path.of("/nonexistent/mosquitto"))))
                .rows()
                .getFirst();

        assertThat(row).isInstanceOf(Row.Skipped.class);
        assertThat(((Row.Skipped) row).reason()).contains("not installed", "/nonexistent/mosquitto");
    }

    @Test
    void theCliVerbAlternatesTheTargetsAndPrintsOneJsonObjectWithEveryFieldOfTheSchema() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SedgeCli.run(
                new String[] {
                    "bench",
                    "mqtt-throughput",
                    "--duration",
                    "1s",
                    "--warmup",
                    "300ms",
                    "--publishers",
                    "2",
                    "--rounds",
                    "2",
                    "-o",
                    "json"
                },
                new PrintWriter(out, true),
                new PrintWriter(err, true));

        assertThat(exit).as("stderr:%n%s", err).isZero();
        assertThat(err.toString()).contains("sedge: round 2 of 2"); // the targets took turns
        JsonNode root = JsonMapper.builder().build().readTree(out.toString());
        assertThat(root.get("scenario").asText()).isEqualTo("mqtt-throughput");
        for (String field : List.of("cores", "jdk", "kernel", "memory")) {
            assertThat(root.get("machine").has(field)).as("machine.%s", field).isTrue();
        }
        assertThat(root.get("params").get("duration_s").asInt()).isEqualTo(1);
        assertThat(root.get("params").get("qos").asInt()).isEqualTo(1);
        assertThat(root.get("params").get("payload_bytes").asInt()).isEqualTo(64);
        assertThat(root.get("params").get("publishers").asInt()).isEqualTo(2);
        assertThat(root.get("rows")).hasSize(2);
        for (JsonNode row : root.get("rows")) {
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
        }
        JsonNode sedge = root.get("rows").get(0);
        assertThat(sedge.get("target").asText()).isEqualTo("sedge");
        assertThat(sedge.get("lost").asLong()).isZero();
        assertThat(root.get("ratios").has("sedge/mosquitto")).isTrue();
        JsonNode mosquitto = root.get("rows").get(1);
        if (mosquitto.has("skipped")) {
            assertThat(root.get("ratios").get("sedge/mosquitto").isNull()).isTrue();
        } else {
            assertThat(root.get("ratios").get("sedge/mosquitto").isNumber()).isTrue();
        }
    }
}
