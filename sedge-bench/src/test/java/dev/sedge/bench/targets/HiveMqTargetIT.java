package dev.sedge.bench.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code hivemq-ce} target: HiveMQ CE in its own JVM, on a loopback port, routing to the counting subscriber. */
@Timeout(120)
class HiveMqTargetIT {

    @Test
    void routesEveryQos1MessageToTheCountingSubscriberAndStops(@TempDir Path workDir) throws Exception {
        HiveMqTarget target = HiveMqTarget.built();
        assumeTrue(
                Files.isRegularFile(target.runnerJar()),
                "the HiveMQ CE runner is not built (no " + target.runnerJar() + "; ./mvnw package builds it)");

        long pid;
        try (Target.Running running = target.start(workDir, "bench/test/+")) {
            pid = running.pid();
            assertThat(running.host()).isEqualTo("127.0.0.1");
            try (PahoClient publisher = PahoClient.connect(running, "hivemq-it-publisher")) {
                for (int i = 0; i < 5; i++) {
                    publisher.publish("bench/test/" + (i % 2), "m" + i);
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(running::completed, n -> n == 5);
            assertThat(running.completionGate().getAsLong()).isEqualTo(5); // the loop closes on delivery
            assertThat(running.processes()).containsOnlyKeys("target");
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    }

    @Test
    void aMissingRunnerIsUnavailableWithTheReason(@TempDir Path workDir) {
        HiveMqTarget target = new HiveMqTarget(Path.of("/nonexistent/sedge-peer-hivemq.jar"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> target.start(workDir, "bench/test/+"))
                .isInstanceOf(Target.Unavailable.class)
                .hasMessageContaining("not built")
                .hasMessageContaining("/nonexistent/sedge-peer-hivemq.jar");
    }
}
