package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sedge.dataplane.time.ManualTimers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst over MQTT against a function with {@code max: 4}: it never has more than 4 instances, and once
 * the burst is over it goes back to 1 and then to 0. Real MQTT clients and a real node; its dispatchers
 * run on a fake clock that the test steps one 2 s decision at a time.
 */
@Timeout(120)
class BurstIT {

    private static final String F = "bursty";

    @TempDir
    Path dir;

    @Test
    void neverMoreThanItsMaximumThenBackToOneAndZero() throws Exception {
        ManualTimers timers = new ManualTimers(0);
        try (GatedFunction f = new GatedFunction(dir, F, 4, "burst/+");
                RunningNode node = RunningNode.onFakeClock(dir.resolve("data"), timers);
                MqttClients.Client device = new MqttClients.Client(node.mqttPort(), "burster")) {
            RunningNode.Cli deploy = node.cli("deploy", f.descriptor.toString());
            assertThat(deploy.exit()).as(deploy.err()).isZero();
            for (int i = 0; i < 60; i++) {
                device.publish("burst/" + i, "e" + i, 1);
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> status(node).path("queue").asInt() >= 59);

            List<Integer> seen = new ArrayList<>();
            for (int t = 0; t < 12; t += 2) {
                timers.advance(Duration.ofSeconds(2));
                await().atMost(Duration.ofSeconds(20))
                        .until(() ->
                                status(node).path("instances").path("starting").asInt() == 0);
                seen.add(status(node).path("instances").path("ready").asInt());
            }
            JsonNode during = status(node);
            assertThat(during.path("panic").asBoolean()).isTrue();
            assertThat(during.path("instances").path("desired").asInt()).isEqualTo(4);
            assertThat(during.path("running").asInt()).isEqualTo(4);
            assertThat(seen)
                    .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(4))
                    .contains(4);

            f.gate.release(60);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> node.metric("sedge_invocations_total{function=\"" + F + "\"}") == 60);
            List<Integer> after = new ArrayList<>();
            for (int t = 0; t < 180; t += 2) {
                timers.advance(Duration.ofSeconds(2));
                after.add(status(node).path("instances").path("desired").asInt());
            }
            assertThat(after).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(4));
            assertThat(after).contains(1);
            assertThat(after.indexOf(1)).isLessThan(after.indexOf(0));
            assertThat(after.getLast()).isZero();
            assertThat(status(node).path("instances").path("ready").asInt()).isZero();
            assertThat(node.metric("sedge_scale_events_total{direction=\"up\",function=\"" + F + "\"}"))
                    .isPositive();
        }
    }

    private static JsonNode status(RunningNode node) throws Exception {
        return node.function(F).path("status");
    }
}
