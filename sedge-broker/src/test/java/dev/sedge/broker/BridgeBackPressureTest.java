package dev.sedge.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sedge.broker.bridge.Backoff;
import dev.sedge.broker.bridge.BridgeConfig;
import dev.sedge.broker.bridge.BridgeEndpoint;
import dev.sedge.broker.bridge.BridgeSessionStore;
import dev.sedge.broker.bridge.MqttBridge;
import dev.sedge.broker.router.Router;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bridge stops reading its external broker (here a second broker on 127.0.0.1) while a local
 * subscriber it feeds is full, and loses nothing by it.
 */
@Timeout(60)
class BridgeBackPressureTest {

    private static final int LIMIT = 100;
    private static final int FLOOD = 20_000;
    private static final int PAYLOAD_BYTES = 100;
    /**
     * The messages one read can bring past a full subscriber: Netty reads at most 64 KiB at a time. A
     * PUBLISH from the external broker is at least its payload and five more bytes.
     */
    private static final int ONE_READ = 65_536 / (PAYLOAD_BYTES + 5) + 2;

    @Test
    void aFullSubscriberStopsTheBridgeReadingAndEverythingArrivesAfterTheDrain() throws Exception {
        try (MqttBroker external =
                new MqttBroker(BrokerConfig.defaults().withPort(0).withSysIntervalSeconds(0))) {
            external.start();
            Router local = new Router();
            FillingSubscriber subscriber = new FillingSubscriber(LIMIT);
            local.subscribe(new Router.Subscription("jobs/#", 0, subscriber, null, false));
            BridgeConfig config = new BridgeConfig(
                    BridgeEndpoint.parse("mqtt://127.0.0.1:" + external.port()),
                    "bp-bridge",
                    null,
                    null,
                    null,
                    BridgeConfig.SESSION_EXPIRY_DEFAULT,
                    Duration.ofSeconds(1), // keep-alive: the pause below lasts several of them
                    BridgeConfig.RECEIVE_MAXIMUM_DEFAULT,
                    BridgeConfig.MAX_PACKET_BYTES_DEFAULT,
                    new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)),
                    BridgeConfig.OUTBOX_LIMIT_DEFAULT);
            try (MqttBridge bridge = new MqttBridge(config, local, BridgeSessionStore.inMemory())) {
                bridge.subscribe("g", "jobs/#", 0);
                bridge.start();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> bridge.subscribed().contains("$share/g/jobs/#"));

                for (int i = 0; i < FLOOD; i++) {
                    external.publish(Message.of("jobs/x", payload(i), 0));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.count() >= LIMIT);
                // Held for twice the keep-alive's one and a half periods: not read from, yet not given up.
                await().during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> bridge.isConnected() && subscriber.count() <= LIMIT + ONE_READ);
                assertThat(bridge.receivedCount()).isLessThan(FLOOD);

                subscriber.drain(true);
                await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.count() == FLOOD);
                List<Message> got = subscriber.messages();
                for (int i = 0; i < FLOOD; i++) {
                    assertThat(index(got.get(i)))
                            .as("message %d, in order, none lost", i)
                            .isEqualTo(i);
                }
                assertThat(bridge.isConnected()).isTrue();
            }
        }
    }

    private static byte[] payload(int i) {
        byte[] payload = new byte[PAYLOAD_BYTES];
        java.util.Arrays.fill(payload, (byte) '.');
        byte[] digits = String.format("%08d", i).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, payload, 0, digits.length);
        return payload;
    }

    private static int index(Message m) {
        return Integer.parseInt(new String(m.payload(), 0, 8, StandardCharsets.US_ASCII));
    }
}
