package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sedge.dataplane.time.ManualTimers;
import dev.sedge.node.config.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale to zero end to end over MQTT, with real clients (mosquitto_pub and mosquitto_sub) and a real node
 * whose dispatchers run on a fake clock that the test steps through the stable window, instead of waiting
 * a minute for it.
 */
@Timeout(120)
class ScaleToZeroIT {

    private static final Path WAT = Path.of("..", "examples", "wasm-wat", "function.yaml")
            .toAbsolutePath()
            .normalize();
    private static final String NAME = "wasm-echo-topic";

    @TempDir
    Path dataDir;

    /** Steps the fake clock one 2 s decision at a time. */
    private static void step(ManualTimers timers, int seconds) {
        for (int s = 0; s < seconds; s += 2) {
            timers.advance(Duration.ofSeconds(2));
        }
    }

    @Test
    void anIdleFunctionGoesToZeroAfterItsWindowAndTheNextMessageColdStartsItAndIsAnswered() throws Exception {
        Mosquitto.assumeInstalled();
        ManualTimers timers = new ManualTimers(0);
        try (RunningNode node =
                        new RunningNode(RunningNode.knative(new NodeConfig(dataDir, "127.0.0.1", 0, 0, null)), timers);
                Mosquitto.Sub sub = new Mosquitto.Sub(node.mqttPort(), "echoed/#")) {
            RunningNode.Cli deploy = node.cli("deploy", WAT.toString());
            assertThat(deploy.exit()).as(deploy.err()).isZero();
            // Knative's initial scale: one instance before any message.
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> node.function(NAME)
                                    .path("status")
                                    .path("instances")
                                    .path("ready")
                                    .asInt()
                            == 1);

            Mosquitto.publish(node.mqttPort(), "echo/porch", "hello", 1);
            assertThat(sub.next(20)).isEqualTo("echoed/porch echo/porch: HELLO");

            // No traffic: the instance stays while the stable window (60 s) still holds the message...
            step(timers, 56);
            JsonNode warm = node.function(NAME).path("status");
            assertThat(warm.path("instances").path("ready").asInt()).isEqualTo(1);
            assertThat(warm.path("instances").path("desired").asInt()).isEqualTo(1);
            // ...and goes once it is empty (retention 0 s, as Knative's default).
            step(timers, 10);
            JsonNode zero = node.function(NAME).path("status");
            assertThat(zero.path("instances").path("ready").asInt()).isZero();
            assertThat(zero.path("instances").path("desired").asInt()).isZero();
            assertThat(zero.path("decision").path("reason").asText()).isEqualTo("no events for 60s: scale to zero");
            assertThat(node.metric("sedge_function_instances{function=\"" + NAME + "\",state=\"ready\"}"))
                    .isZero();
            assertThat(node.cli("list").out()).contains("0/0");
            // Instance-seconds on the node's clock: the one instance was ready from deploy (fake time 0) until
            // the decision that took it away, and nothing is counted at zero.
            String held = "sedge_function_instance_seconds_total{function=\"" + NAME + "\"}";
            double heldSeconds = node.metric(held);
            assertThat(heldSeconds).isBetween(56.0, 66.0);
            step(timers, 20);
            assertThat(node.metric(held)).isEqualTo(heldSeconds);

            double coldBefore = node.metric("sedge_cold_starts_total{function=\"" + NAME + "\"}");
            Mosquitto.publish(node.mqttPort(), "echo/attic", "again", 1);
            assertThat(sub.next(20)).isEqualTo("echoed/attic echo/attic: AGAIN");
            double coldAfter = node.metric("sedge_cold_starts_total{function=\"" + NAME + "\"}");
            assertThat(coldAfter - (Double.isNaN(coldBefore) ? 0 : coldBefore))
                    .as("the message after zero was a cold start")
                    .isEqualTo(1.0);
            JsonNode back = node.function(NAME).path("status");
            assertThat(back.path("instances").path("ready").asInt()).isEqualTo(1);
            assertThat(back.path("decision").path("reason").asText()).isNotEqualTo("no events for 60s: scale to zero");
        }
    }
}
