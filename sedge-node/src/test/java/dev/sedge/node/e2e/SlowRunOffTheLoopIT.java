package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short function's events run on their publisher's event loop; one that turns slow must not keep
 * holding it. A jvm function answers twenty events at once (so its events may run on the loop), then its
 * runs block until the test lets them go: the first such run may hold its loop (nothing can know before
 * it runs), but the ones after it run on threads of their own, so that the publisher's next messages are
 * still read and acknowledged, and other clients' messages keep flowing, while three runs are blocked.
 * Real MQTT clients, a real node.
 */
@Timeout(120)
class SlowRunOffTheLoopIT {

    @TempDir
    Path dir;

    @Test
    void afterOneSlowRunTheFunctionsEventsLeaveTheEventLoop() throws Exception {
        try (GatedFunction f = new GatedFunction(dir, "turns-slow", 4, "slow/+");
                RunningNode node = new RunningNode(dir.resolve("data"));
                MqttClients.Client device = new MqttClients.Client(node.mqttPort(), "device");
                MqttClients.Client listener = new MqttClients.Client(node.mqttPort(), "listener");
                MqttClients.Client talker = new MqttClients.Client(node.mqttPort(), "talker")) {
            RunningNode.Cli deploy = node.cli("deploy", f.descriptor.toString());
            assertThat(deploy.exit()).as(deploy.err()).isZero();
            f.gate.release(20);
            for (int i = 0; i < 20; i++) {
                device.publish("slow/quick" + i, "q", 1);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> f.gate.availablePermits() == 0);

            // The first slow run: it may hold the device's event loop until it is let go.
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> device.publish("slow/first", "s", 1));
            await().atMost(Duration.ofSeconds(20)).until(() -> f.gate.hasQueuedThreads());
            f.gate.release(1);
            first.get(20, TimeUnit.SECONDS);

            // Every run from here on blocks; the device's publications are still acknowledged at once
            // (the trigger acknowledges on receipt), which they could not be if a run held its loop.
            long began = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                device.publish("slow/held" + i, "h", 1);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> f.gate.getQueueLength() == 3);
            listener.subscribe("chat/#");
            for (int i = 0; i < 20; i++) {
                talker.publish("chat/" + i, "m" + i, 1);
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> listener.received().size() == 20);
            assertThat(f.gate.getQueueLength())
                    .as("the three runs are still blocked")
                    .isEqualTo(3);
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(20));

            f.gate.release(3);
            await().atMost(Duration.ofSeconds(20)).until(() -> !f.gate.hasQueuedThreads());
        }
    }
}
