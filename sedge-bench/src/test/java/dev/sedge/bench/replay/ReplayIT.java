package dev.sedge.bench.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.bench.targets.SedgeNode;
import dev.sedge.node.cli.SedgeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sedge replay --mode both} against a node in its own process on loopback: 59 events of three
 * keys over 23 minutes of trace time, replayed at 100x in about 14 s per mode. The node's defaults are
 * those of a node set up for scale to zero in seconds (no instance before the first event, a 6 s window,
 * no grace period after deploy, and the learned keep-alive priced in the replay's seconds: a cold start
 * worth 4 s of an idle instance, so it holds one 5 s after an event), so that
 * the short run shows what the serverless mode is for: two keys go quiet for 12 s, longer than the
 * window, and come back. Nothing here asserts a speed; what it checks holds on any machine: every event
 * answered, no cold start at all for functions kept at one instance, and the serverless functions paying
 * cold starts (more than one per function) for less instance time.
 */
@Timeout(240)
class ReplayIT {

    @TempDir
    Path dir;

    /** A steady key, and two that go quiet for 12 s of replay time between bursts. */
    private Path trace() throws Exception {
        List<long[]> events = new ArrayList<>(); // {trace seconds, key}
        for (int s = 0; s <= 1400; s += 50) {
            events.add(new long[] {s, 0}); // 29 events, one every 0.5 s of replay
        }
        for (int s = 0; s < 100; s += 10) {
            events.add(new long[] {s, 1});
            events.add(new long[] {1300 + s, 1}); // 20 events in two bursts
        }
        for (int s = 150; s < 200; s += 10) {
            events.add(new long[] {s, 2});
            events.add(new long[] {1200 + s, 2}); // 10 events in two bursts
        }
        events.sort((a, b) -> Long.compare(a[0], b[0]));
        String[] keys = {"kitchen/motion", "hall:door", "garden temp"};
        StringBuilder csv = new StringBuilder("epoch_ms,device_id,event,extra\n");
        for (long[] e : events) {
            csv.append(String.format(
                    Locale.ROOT, "%d,%s,reading,-%n", 1_700_000_000_000L + e[0] * 1000, keys[(int) e[1]]));
        }
        return Files.writeString(dir.resolve("three-keys.csv"), csv);
    }

    private record Run(int exit, String out, String err) {}

    private static Run replay(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SedgeCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void serverlessPaysColdStartsForLessInstanceTimeThanServerfulAndEveryEventIsAnswered() throws Exception {
        Path config = Files.writeString(
                dir.resolve("node.yaml"),
                "scale: {initial: 0, window: 6s, scaleToZeroGracePeriod: 0s, coldStartWorth: 4s}\n");
        Path trace = trace();
        try (SedgeNode node = SedgeNode.start(dir, List.of("-Xmx256m"), List.of("--config", config.toString()))) {
            String mqtt = node.host() + ":" + node.mqttPort();
            String api = node.api().base().toString();

            int closed;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closed = s.getLocalPort();
            }
            Run refused = replay(
                    "replay",
                    "--trace",
                    trace.toString(),
                    "--speedup",
                    "100",
                    "--mode",
                    "serverless",
                    "--api",
                    api,
                    "--mqtt",
                    "127.0.0.1:" + closed);
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.err().strip()).startsWith("error: --mqtt: cannot connect to 127.0.0.1:" + closed);

            Run run = replay(
                    "replay",
                    "--trace",
                    trace.toString(),
                    "--speedup",
                    "100",
                    "--mode",
                    "both",
                    "--api",
                    api,
                    "--mqtt",
                    mqtt,
                    "-o",
                    "json");
            assertThat(run.exit()).as("stderr:%n%s", run.err()).isZero();
            JsonNode root = JsonMapper.builder().build().readTree(run.out());
            assertThat(root.get("scenario").asText()).isEqualTo("serverless-vs-serverful");
            assertThat(root.get("params").get("functions").asInt()).isEqualTo(3);
            assertThat(root.get("params").get("events").asInt()).isEqualTo(59);
            JsonNode rows = root.get("rows");
            assertThat(rows).extracting(r -> r.get("target").asText()).containsExactly("serverless", "serverful");
            for (JsonNode row : rows) {
                assertThat(row.get("sent").asLong()).as("%s", row).isEqualTo(59);
                assertThat(row.get("completed").asLong()).as("%s", row).isEqualTo(59);
                assertThat(row.get("lost").asLong()).as("%s", row).isZero();
                assertThat(row.get("errors").asLong()).as("%s", row).isZero();
                assertThat(row.get("p50_us").asLong()).as("%s", row).isPositive();
                assertThat(row.get("cpu_s").asDouble()).as("%s", row).isPositive();
                double instanceSeconds = row.get("instance_s").asDouble();
                assertThat(row.get("memory_gib_s").asDouble())
                        .as("%s", row)
                        .isCloseTo(instanceSeconds * 128 / 1024, within(0.01 + instanceSeconds * 0.001));
            }
            JsonNode serverless = rows.get(0);
            JsonNode serverful = rows.get(1);
            assertThat(serverful.get("cold_starts").asLong())
                    .as("%s", serverful)
                    .isZero();
            // Each function's first event is cold, and a key that went quiet went to zero and paid again.
            assertThat(serverless.get("cold_starts").asLong())
                    .as("%s", serverless)
                    .isGreaterThan(3);
            assertThat(serverless.get("cold_start_ms_mean").asDouble())
                    .as("%s", serverless)
                    .isPositive();
            // Three instances all along, against fewer for less time.
            double wall = serverful.get("wall_s").asDouble();
            assertThat(serverful.get("instance_s").asDouble()).isCloseTo(3 * wall, within(0.05 * 3 * wall));
            assertThat(serverless.get("instance_s").asDouble())
                    .as("serverless %s against serverful %s", serverless, serverful)
                    .isLessThan(serverful.get("instance_s").asDouble());
            assertThat(root.get("ratios")
                            .get("memory_gib_s:serverless/serverful")
                            .asDouble())
                    .isLessThan(1);

            // The run removed what it deployed.
            assertThat(node.api().functions()).isEmpty();
        }
    }
}
