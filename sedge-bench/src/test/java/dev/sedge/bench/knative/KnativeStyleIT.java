package dev.sedge.bench.knative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.bench.targets.MosquittoTarget;
import dev.sedge.node.cli.SedgeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code sedge bench knative-style} end to end with short runs: the Sedge node and the four-process path
 * started and stopped by the harness. Nothing here asserts a speed.
 */
@Timeout(180)
class KnativeStyleIT {

    private static final List<String> SCHEMA_FIELDS = List.of(
            "target", "throughput_per_s", "p50_us", "p99_us", "p999_us", "cpu_s_per_1k", "sent", "completed", "lost");

    private static JsonNode run(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] argv = new String[args.length + 2];
        argv[0] = "bench";
        argv[1] = "knative-style";
        System.arraycopy(args, 0, argv, 2, args.length);
        int exit = SedgeCli.run(argv, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(exit).as("stderr:%n%s", err).isZero();
        return JsonMapper.builder().build().readTree(out.toString());
    }

    @Test
    void bothTargetsCompleteEveryMessageAndTheReportHasBothRatios() throws Exception {
        assumeTrue(Files.isExecutable(MosquittoTarget.installed().binary()), "the Debian package mosquitto");
        assumeTrue(Files.isExecutable(KnativeStyleTarget.DEBIAN_NGINX), "the Debian package nginx");

        JsonNode root = run("--duration", "1s", "--warmup", "300ms", "--publishers", "2", "-o", "json");

        assertThat(root.get("scenario").asText()).isEqualTo("knative-style");
        assertThat(root.get("rows")).hasSize(2);
        for (JsonNode row : root.get("rows")) {
            for (String field : SCHEMA_FIELDS) {
                assertThat(row.has(field)).as("%s of %s", field, row).isTrue();
            }
            assertThat(row.has("skipped")).as("%s", row).isFalse();
            assertThat(row.get("sent").asLong()).as("%s", row).isPositive();
            assertThat(row.get("completed").asLong())
                    .as("%s", row)
                    .isEqualTo(row.get("sent").asLong());
            assertThat(row.get("lost").asLong()).isZero();
        }
        JsonNode path = root.get("rows").get(1);
        assertThat(path.get("target").asText()).isEqualTo("knative-style");
        assertThat(path.get("cpu_s_per_1k_by_process").properties())
                .extracting(java.util.Map.Entry::getKey)
                .containsExactly("mosquitto", "adaptor", "nginx", "function");
        assertThat(root.get("ratios").get("sedge/knative-style").isNumber()).isTrue();
        assertThat(root.get("ratios").get("cpu_s_per_1k:sedge/knative-style").isNumber())
                .isTrue();
    }

    @Test
    void aMissingNginxIsASkippedRowWithTheReason() throws Exception {
        JsonNode root =
                run("--target", "knative-style", "--nginx", "/nonexistent/nginx", "--duration", "1s", "-o", "json");

        JsonNode row = root.get("rows").get(0);
        for (String field : SCHEMA_FIELDS) {
            assertThat(row.has(field)).as("%s of %s", field, row).isTrue();
        }
        assertThat(row.get("skipped").asText()).contains("nginx is not installed", "/nonexistent/nginx");
        assertThat(row.get("throughput_per_s").isNull()).isTrue();
        assertThat(root.get("ratios").get("sedge/knative-style").isNull()).isTrue();
    }
}
