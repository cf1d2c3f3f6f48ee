package dev.sedge.bench.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sedge.bench.mqtt.MqttLatency;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code serverful} target: Mosquitto and the function service, a JVM of its own, that runs the
 * bench's function for each message and publishes its reply.
 */
@Timeout(120)
class ServerfulTargetIT {

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(20);

    @BeforeEach
    void needsMosquitto() {
        assumeTrue(
                Files.isExecutable(MosquittoTarget.installed().binary()),
                "mosquitto not found: install the Debian package mosquitto to run the serverful target");
    }

    @Test
    void theEchoFunctionsRepliesArriveOnTheReplyTopicAndAreCounted(@TempDir Path workDir) throws Exception {
        ServerfulTarget target = ServerfulTarget.echo(MosquittoTarget.installed(), MqttLatency.SEDGE_RESPONSE_TOPIC);

        try (Target.Running running = target.start(workDir, MqttLatency.FILTER);
                PahoClient client = PahoClient.connect(running, "serverful-it")) {
            BlockingQueue<String> replies = new LinkedBlockingQueue<>();
            client.client()
                    .subscribe(
                            MqttLatency.SEDGE_REPLY_FILTER,
                            1,
                            (topic, m) ->
                                    replies.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));
            for (int i = 0; i < 5; i++) {
                client.publish("bench/latency/" + i, "m" + i);
            }

            Set<String> got = new HashSet<>();
            long deadline = System.nanoTime() + REPLY_TIMEOUT.toNanos();
            while (got.size() < 5) {
                String r = replies.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertThat(r).as("replies so far: %s", got).isNotNull();
                got.add(r);
            }
            assertThat(got)
                    .containsExactlyInAnyOrder(
                            "bench/reply/0 m0",
                            "bench/reply/1 m1",
                            "bench/reply/2 m2",
                            "bench/reply/3 m3",
                            "bench/reply/4 m4");
            await().atMost(REPLY_TIMEOUT).until(running::completed, n -> n == 5); // each reply's PUBACK
            assertThat(running.completionGate().getAsLong()).isEqualTo(5);
            assertThat(running.processes()).containsOnlyKeys("mosquitto", "function service");
        }
    }

    @Test
    void aFunctionWithoutAReplyCountsEachCall(@TempDir Path workDir) throws Exception {
        ServerfulTarget target = ServerfulTarget.noop(MosquittoTarget.installed());

        try (Target.Running running = target.start(workDir, "bench/throughput/+");
                PahoClient publisher = PahoClient.connect(running, "serverful-it-noop")) {
            for (int i = 0; i < 5; i++) {
                publisher.publish("bench/throughput/" + (i % 2), "m" + i);
            }
            await().atMost(REPLY_TIMEOUT).until(running::completed, n -> n == 5);
        }
    }

    @Test
    void aMissingMosquittoIsUnavailableWithTheReason(@TempDir Path workDir) {
        ServerfulTarget target = ServerfulTarget.noop(new MosquittoTarget(Path.of("/nonexistent/mosquitto")));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> target.start(workDir, "bench/throughput/+"))
                .isInstanceOf(Target.Unavailable.class)
                .hasMessageContaining("not installed")
                .hasMessageContaining("/nonexistent/mosquitto");
    }
}
