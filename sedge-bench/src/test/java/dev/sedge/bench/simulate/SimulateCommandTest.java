package dev.sedge.bench.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.node.cli.SedgeCli;
import dev.sedge.scaling.policy.catalog.KeepAlivePolicies;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code sedge simulate} through the CLI, as a user runs it, on a small trace the test writes. */
@Timeout(30)
class SimulateCommandTest {

    private static final List<String> ROW_FIELDS = List.of(
            "policy",
            "invocations",
            "cold_starts",
            "avoidable_cold_starts",
            "cold_start_ratio",
            "wasted_gib_s",
            "added_latency_p50_ms",
            "added_latency_p99_ms");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private Path trace;
    private int events;

    @BeforeEach
    void writeTrace() throws Exception {
        trace = dir.resolve("small.arrivals.csv");
        events = SmallTrace.write(trace);
    }

    @Test
    void jsonIsOneObjectWithEveryFieldAndThePoliciesInRegistryOrder() throws Exception {
        Run run = run("simulate", "--trace", trace.toString(), "-o", "json");

        assertThat(run.exit).as("stderr: %s", run.err).isZero();
        assertThat(run.out.strip().lines()).hasSize(1);
        JsonNode root = JSON.readTree(run.out);
        assertThat(root.get("trace").asText()).isEqualTo("small.arrivals.csv");
        assertThat(root.get("functions").asInt()).isEqualTo(3);
        assertThat(root.get("events").asInt()).isEqualTo(events);
        assertThat(root.get("memory_mib").asLong()).isEqualTo(128);
        assertThat(root.get("cold_start_ms").asLong()).isEqualTo(500);
        List<String> policies = new ArrayList<>();
        for (JsonNode row : root.get("rows")) {
            for (String field : ROW_FIELDS) {
                assertThat(row.has(field)).as("%s in %s", field, row).isTrue();
            }
            assertThat(row.get("invocations").asInt()).isEqualTo(events);
            assertThat(row.get("cold_starts").asLong()).isGreaterThanOrEqualTo(3); // each device's first event
            assertThat(row.get("avoidable_cold_starts").asLong())
                    .isEqualTo(row.get("cold_starts").asLong() - 3);
            assertThat(row.get("wasted_gib_s").isNumber()).isTrue();
            policies.add(row.get("policy").asText());
        }
        assertThat(policies).containsExactlyElementsOf(KeepAlivePolicies.study());
    }

    @Test
    void theSettingsReachTheSimulation() throws Exception {
        JsonNode base = json("--trace", trace.toString(), "--policy", "fixed-60m");
        JsonNode bigger = json("--trace", trace.toString(), "--policy", "fixed-60m", "--memory-mib", "256");
        JsonNode slower = json("--trace", trace.toString(), "--policy", "fixed-60m", "--cold-start-ms", "2000");

        assertThat(bigger.get("memory_mib").asLong()).isEqualTo(256);
        assertThat(slower.get("cold_start_ms").asLong()).isEqualTo(2000);
        JsonNode row = base.get("rows").get(0);
        // Twice the memory per instance: twice the waste, the same cold starts.
        assertThat(bigger.get("rows").get(0).get("wasted_gib_s").asDouble())
                .isCloseTo(2 * row.get("wasted_gib_s").asDouble(), Offset.offset(0.001));
        assertThat(bigger.get("rows").get(0).get("cold_starts")).isEqualTo(row.get("cold_starts"));
        // More than 1 % of the events are cold, so the p99 is one whole start.
        assertThat(row.get("added_latency_p99_ms").asDouble()).isEqualTo(500.0);
        assertThat(slower.get("rows").get(0).get("added_latency_p99_ms").asDouble())
                .isEqualTo(2000.0);
    }

    @Test
    void thePriceOfAColdStartReachesSedgesPolicy() throws Exception {
        JsonNode cheap = json("--trace", trace.toString(), "--policy", "sedge", "--cold-start-worth-min", "1");
        JsonNode dear = json("--trace", trace.toString(), "--policy", "sedge", "--cold-start-worth-min", "600");
        JsonNode c = cheap.get("rows").get(0);
        JsonNode d = dear.get("rows").get(0);
        // A cold start worth ten hours of idle instance keeps more ready than one worth a minute.
        assertThat(d.get("wasted_gib_s").asDouble())
                .isGreaterThan(c.get("wasted_gib_s").asDouble());
        assertThat(d.get("avoidable_cold_starts").asLong())
                .isLessThanOrEqualTo(c.get("avoidable_cold_starts").asLong());
    }

    @Test
    void policiesGivenRunInTheGivenOrder() throws Exception {
        Run run = run(
                "simulate",
                "--trace",
                trace.toString(),
                "--policy",
                "fixed-30m",
                "--policy",
                "oracle",
                "--policy",
                "knative",
                "-o",
                "json");

        assertThat(run.exit).as("stderr: %s", run.err).isZero();
        List<String> policies = new ArrayList<>();
        JSON.readTree(run.out)
                .get("rows")
                .forEach(r -> policies.add(r.get("policy").asText()));
        assertThat(policies).containsExactly("fixed-30m", "oracle", "knative");
    }

    @Test
    void severalTracesPrintOneObjectALine() throws Exception {
        Path second = dir.resolve("second.csv");
        Files.writeString(second, "epoch_ms,device_id,event,extra\n1000,a,ON,\n2000,b,ON,\n700000,a,OFF,\n");

        Run run = run("simulate", "--trace", trace.toString(), "--trace", second.toString(), "-o", "json");

        assertThat(run.exit).as("stderr: %s", run.err).isZero();
        List<String> lines = run.out.strip().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(JSON.readTree(lines.get(0)).get("trace").asText()).isEqualTo("small.arrivals.csv");
        JsonNode other = JSON.readTree(lines.get(1));
        assertThat(other.get("trace").asText()).isEqualTo("second.csv");
        assertThat(other.get("functions").asInt()).isEqualTo(2);
        assertThat(other.get("events").asInt()).isEqualTo(3);
    }

    @Test
    void theTableHasARowPerPolicyAndNamesTheBestUnderIt() {
        Run run = run("simulate", "--trace", trace.toString());

        assertThat(run.exit).as("stderr: %s", run.err).isZero();
        List<String> lines = run.out.lines().toList();
        assertThat(lines.get(0)).startsWith("small.arrivals.csv: " + String.format("%,d", events) + " events of 3");
        int header = lines.indexOf(
                lines.stream().filter(l -> l.startsWith("policy ")).findFirst().orElseThrow());
        assertThat(lines.get(header)).contains("cold starts", "avoidable", "wasted GiB-s", "p99 ms");
        List<String> study = KeepAlivePolicies.study();
        for (int i = 0; i < study.size(); i++) {
            String row = lines.get(header + 1 + i);
            assertThat(row.split(" +")[0]).isEqualTo(study.get(i));
            // Aligned: every cell is padded to its column's width, the numbers flush right.
            assertThat(row).as("aligned").hasSameSizeAs(lines.get(header));
        }
        String verdict = lines.getLast();
        assertThat(verdict)
                .startsWith("Fewest avoidable cold starts: ")
                .contains("least waste: ", "dominated by no other: ");
        assertThat(verdict).doesNotContain("oracle (");
    }

    @Test
    void twoRunsPrintTheSame() {
        Run first = run("simulate", "--trace", trace.toString(), "-o", "json");
        Run second = run("simulate", "--trace", trace.toString(), "-o", "json");
        Run table1 = run("simulate", "--trace", trace.toString());
        Run table2 = run("simulate", "--trace", trace.toString());

        assertThat(first.exit).isZero();
        assertThat(second.out).isEqualTo(first.out);
        assertThat(table2.out).isEqualTo(table1.out);
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of(List.of("--trace", "@dir/absent.csv"), List.of("--trace", "absent.csv", "no such file")),
                Arguments.of(List.of("--trace", "@dir"), List.of("--trace", "not a file")),
                Arguments.of(List.of(), List.of("--trace", "at least one")),
                Arguments.of(
                        List.of("--trace", "@trace", "--policy", "lru"),
                        List.of("--policy", "unknown policy \"lru\"", "knative")),
                Arguments.of(
                        List.of("--trace", "@trace", "--policy", "knative", "--policy", "knative"),
                        List.of("--policy knative", "twice")),
                Arguments.of(
                        List.of("--trace", "@trace", "--key", "epoch_ms"),
                        List.of("--key epoch_ms", "device_id, event or extra")),
                Arguments.of(
                        List.of("--trace", "@trace", "--memory-mib", "-1"), List.of("--memory-mib -1", "at least 1")),
                Arguments.of(List.of("--trace", "@trace", "--node-memory-mib", "-5"), List.of("--node-memory-mib -5")),
                Arguments.of(
                        List.of("--trace", "@trace", "--cold-start-ms", "-500"),
                        List.of("--cold-start-ms -500", "0 or more")),
                Arguments.of(
                        List.of("--trace", "@trace", "--cold-start-worth-min", "0"),
                        List.of("--cold-start-worth-min 0.0", "at least 1 s")),
                Arguments.of(List.of("--trace", "@bad"), List.of("--trace bad.csv: line 3", "epoch_ms \"yesterday\"")),
                Arguments.of(List.of("--trace", "@empty"), List.of("--trace", "empty.csv", "no events")),
                Arguments.of(List.of("--trace", "@trace", "--device", "temp"), List.of("--device temp", "--charts")),
                Arguments.of(
                        List.of("--trace", "@trace", "--charts", "@dir/charts", "--device", "toaster"),
                        List.of("--device toaster", "no such device_id", "small.arrivals.csv")));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void aBadInputIsOneLineNamingTheOption(List<String> args, List<String> expected) throws Exception {
        Files.writeString(dir.resolve("bad.csv"), "epoch_ms,device_id,event,extra\n1000,a,ON,\nyesterday,a,ON,\n");
        Files.writeString(dir.resolve("empty.csv"), "epoch_ms,device_id,event,extra\n");
        List<String> argv = new ArrayList<>(List.of("simulate"));
        for (String a : args) {
            argv.add(a.replace("@trace", trace.toString())
                    .replace("@bad", dir.resolve("bad.csv").toString())
                    .replace("@empty", dir.resolve("empty.csv").toString())
                    .replace("@dir", dir.toString()));
        }

        Run run = run(argv.toArray(String[]::new));

        assertThat(run.exit).isNotZero();
        assertThat(run.out).isEmpty();
        assertThat(run.err.strip().lines()).hasSize(1);
        assertThat(run.err).startsWith("error: ").contains(expected);
    }

    record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SedgeCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private static JsonNode json(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("simulate", "-o", "json"));
        argv.addAll(List.of(args));
        Run run = run(argv.toArray(String[]::new));
        assertThat(run.exit).as("stderr: %s", run.err).isZero();
        return JSON.readTree(run.out);
    }
}
