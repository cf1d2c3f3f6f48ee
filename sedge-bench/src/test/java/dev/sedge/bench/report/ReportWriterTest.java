package dev.sedge.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ReportWriterTest {

    private static final Machine MACHINE = new Machine(2, "25.0.3", "6.1.0", "23.5 GiB");

    private static Report report(Row... rows) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("duration_s", 20L);
        params.put("qos", 1);
        params.put("payload_bytes", 64);
        params.put("publishers", 8);
        Map<String, Double> ratios = new LinkedHashMap<>();
        ratios.put("sedge/mosquitto", Report.throughputRatio(List.of(rows), "sedge", "mosquitto"));
        return new Report("mqtt-throughput", MACHINE, params, Map.of("rounds", 1), List.of(rows), ratios);
    }

    private static Row.Measured measured(String target, double rate, long sent, long completed) {
        return new Row.Measured(
                target,
                rate,
                new Row.Latency(100, 900, 2_000),
                0.0123456,
                0.25,
                sent,
                completed,
                new Row.Generator(sent, 0.002, 0.31));
    }

    @Test
    void jsonHasEveryFieldOfTheSchemaAndTheRatio() throws Exception {
        JsonNode root = JsonMapper.builder()
                .build()
                .readTree(ReportWriter.json(
                        report(measured("sedge", 30_000, 1_000, 1_000), measured("mosquitto", 40_000, 900, 890))));

        assertThat(root.get("scenario").asText()).isEqualTo("mqtt-throughput");
        assertThat(root.get("machine").get("cores").asInt()).isEqualTo(2);
        assertThat(root.get("machine").get("jdk").asText()).isEqualTo("25.0.3");
        assertThat(root.get("machine").get("kernel").asText()).isEqualTo("6.1.0");
        assertThat(root.get("machine").get("memory").asText()).isEqualTo("23.5 GiB");
        assertThat(root.get("params").properties())
                .extracting(Map.Entry::getKey)
                .containsExactly("duration_s", "qos", "payload_bytes", "publishers");
        JsonNode sedge = root.get("rows").get(0);
        assertThat(sedge.get("target").asText()).isEqualTo("sedge");
        assertThat(sedge.get("throughput_per_s").asDouble()).isEqualTo(30_000.0);
        assertThat(sedge.get("p50_us").asLong()).isEqualTo(100);
        assertThat(sedge.get("p99_us").asLong()).isEqualTo(900);
        assertThat(sedge.get("p999_us").asLong()).isEqualTo(2_000);
        assertThat(sedge.get("cpu_s_per_1k").asDouble()).isEqualTo(0.01235);
        assertThat(sedge.get("lost").asLong()).isZero();
        assertThat(sedge.get("cpu_wait_per_s").asDouble()).isEqualTo(0.25);
        assertThat(sedge.has("skipped")).isFalse();
        JsonNode mosquitto = root.get("rows").get(1);
        assertThat(mosquitto.get("sent").asLong()).isEqualTo(900);
        assertThat(mosquitto.get("completed").asLong()).isEqualTo(890);
        assertThat(mosquitto.get("lost").asLong()).isEqualTo(10);
        assertThat(root.get("ratios").get("sedge/mosquitto").asDouble()).isEqualTo(0.75);
    }

    @Test
    void aSkippedRowKeepsEveryFieldEmptyAndSaysWhy() throws Exception {
        JsonNode root = JsonMapper.builder()
                .build()
                .readTree(ReportWriter.json(report(
                        measured("sedge", 30_000, 1_000, 1_000),
                        new Row.Skipped("mosquitto", "mosquitto is not installed"))));

        JsonNode skipped = root.get("rows").get(1);
        assertThat(skipped.get("skipped").asText()).isEqualTo("mosquitto is not installed");
        for (String field :
                List.of("throughput_per_s", "p50_us", "p99_us", "p999_us", "cpu_s_per_1k", "sent", "completed")) {
            assertThat(skipped.get(field).isNull()).as(field).isTrue();
        }
        assertThat(root.get("ratios").has("sedge/mosquitto")).isTrue();
        assertThat(root.get("ratios").get("sedge/mosquitto").isNull()).isTrue();
    }

    @Test
    void markdownHasOneLinePerTarget() {
        String md = ReportWriter.markdown(
                report(measured("sedge", 30_000, 1_000, 1_000), new Row.Skipped("mosquitto", "not installed | here")));

        assertThat(md).contains("Machine: 2 cores, 23.5 GiB memory, kernel 6.1.0, JDK 25.0.3.");
        assertThat(md).contains("Parameters: duration_s 20, qos 1, payload_bytes 64, publishers 8.");
        assertThat(md).contains("Settings: rounds 1.");
        assertThat(md.lines()
                        .filter(l -> l.startsWith(
                                "| sedge | 30,000 | 100 | 900 | 2,000 | 0.01235 | 1,000 | 1,000 | 0 | 0.25 threads |")))
                .hasSize(1);
        assertThat(md).contains("| mosquitto | skipped: not installed \\| here |");
        assertThat(md).contains("Ratio sedge/mosquitto (throughput): n/a");
    }

    @Test
    void rowsOfTheirOwnFiguresPrintThoseFiguresInTheirOrderAndNothingOfTheMessagePath() throws Exception {
        Map<String, Object> empty = new LinkedHashMap<>();
        empty.put("cpu_percent_of_core", 0.4321);
        empty.put("rss_mib", 80.5);
        empty.put("cpu_s", 1500.0); // four significant digits, written out in full
        Map<String, Object> cold = new LinkedHashMap<>(empty);
        cold.put("per_function_kib", 12.0);
        Report report = new Report(
                "idle",
                MACHINE,
                Map.of("functions", 100),
                Map.of(),
                List.of(new Row.Figures("empty", empty), new Row.Figures("cold-100", cold)),
                Map.of("rss_mib:cold-100/empty", 1.5));

        JsonNode root = JsonMapper.builder().build().readTree(ReportWriter.json(report));
        JsonNode row = root.get("rows").get(1);
        assertThat(row.properties())
                .extracting(Map.Entry::getKey)
                .containsExactly("target", "cpu_percent_of_core", "rss_mib", "cpu_s", "per_function_kib");
        assertThat(root.get("rows").get(0).get("cpu_percent_of_core").asDouble())
                .isEqualTo(0.4321);
        assertThat(root.get("ratios").get("rss_mib:cold-100/empty").asDouble()).isEqualTo(1.5);
        assertThat(ReportWriter.json(report)).contains("\"rss_mib\" : 80.5").doesNotContain("E+");

        String md = ReportWriter.markdown(report);
        assertThat(md).contains("| target | cpu percent of core | rss mib | cpu s | per function kib |");
        assertThat(md).contains("| empty | 0.4321 | 80.5 | 1500 |  |");
        assertThat(md).contains("| cold-100 | 0.4321 | 80.5 | 1500 | 12 |");
        assertThat(md).contains("Ratio cold-100/empty (rss mib): 1.5");
        assertThat(md).doesNotContain("msg/s");
    }
}
