package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sedge.broker.Message;
import dev.sedge.broker.bridge.Backoff;
import dev.sedge.broker.bridge.BridgeConfig;
import dev.sedge.broker.bridge.BridgeEndpoint;
import dev.sedge.broker.bridge.BridgeSessionStore;
import dev.sedge.broker.bridge.MqttBridge;
import dev.sedge.broker.router.Router;
import dev.sedge.broker.router.Subscriber;
import dev.sedge.node.e2e.MqttClients.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The bridge's link to a real Mosquitto: losing it and getting it back, and the QoS 2 flows. */
@Timeout(120)
class BridgeLinkIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Held here: the logging framework keeps loggers only weakly. */
    private final Logger bridgeLog = Logger.getLogger("dev.sedge.bridge");

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private Level previousLevel;

    @BeforeEach
    void recordTheBridgesLog() {
        MosquittoServer.assumeInstalled();
        previousLevel = bridgeLog.getLevel();
        bridgeLog.setLevel(Level.ALL);
        handler.setLevel(Level.ALL);
        bridgeLog.addHandler(handler);
    }

    @AfterEach
    void stopRecording() {
        bridgeLog.removeHandler(handler);
        bridgeLog.setLevel(previousLevel);
    }

    private long logged(Level level, String fragment) {
        return records.stream()
                .filter(r -> r.getLevel().equals(level))
                .filter(r -> java.text.MessageFormat.format(r.getMessage(), r.getParameters())
                        .contains(fragment))
                .count();
    }

    @Test
    void aLostBrokerIsRetriedWithBackoffAndOneLinePerChangeOfState() throws Exception {
        try (MosquittoServer mosquitto = MosquittoServer.start(dir.resolve("mosquitto"))) {
            BridgeConfig config = BridgeConfig.of(
                            BridgeEndpoint.parse("mqtt://127.0.0.1:" + mosquitto.port), "link-test")
                    .withBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)));
            Router router = new Router();
            BlockingQueue<Message> got = new LinkedBlockingQueue<>();
            router.subscribe(new Router.Subscription(
                    "jobs/#",
                    1,
                    (m, qos) -> {
                        got.add(m);
                        return Subscriber.DONE;
                    },
                    null,
                    false));
            try (MqttBridge bridge = new MqttBridge(config, router, BridgeSessionStore.inMemory())) {
                bridge.subscribe("workers", "jobs/#", 1);
                bridge.start();
                await().atMost(WAIT).until(() -> bridge.subscribed().contains("$share/workers/jobs/#"));

                mosquitto.stop();
                await().atMost(WAIT).until(() -> logged(Level.FINE, "still cannot connect") >= 5);
                assertThat(bridge.isConnected()).isFalse();
                assertThat(logged(Level.WARNING, "bridge to mqtt://127.0.0.1:" + mosquitto.port + " lost"))
                        .isEqualTo(1);
                assertThat(logged(Level.WARNING, "cannot connect"))
                        .as("one warning however many attempts, while the reason stays the same")
                        .isEqualTo(1);

                // Without persistence the restarted broker lost the session: the bridge subscribes again.
                mosquitto.run();
                await().atMost(WAIT).until(() -> bridge.subscribed().contains("$share/workers/jobs/#"));
                assertThat(logged(Level.INFO, "(new session)")).isEqualTo(2);
                try (Client device = new Client(mosquitto.port, "device")) {
                    device.publish("jobs/after", "again", 1);
                }
                Message m = got.poll(30, TimeUnit.SECONDS);
                assertThat(m).isNotNull();
                assertThat(m.topic()).isEqualTo("jobs/after");
            }
        }
    }

    @Test
    void qos2FlowsCompleteInBothDirections() throws Exception {
        try (MosquittoServer mosquitto = MosquittoServer.start(dir.resolve("mosquitto"));
                Client device = new Client(mosquitto.port, "device")) {
            BridgeConfig config =
                    BridgeConfig.of(BridgeEndpoint.parse("mqtt://127.0.0.1:" + mosquitto.port), "link-q2");
            Router router = new Router();
            BlockingQueue<Message> got = new LinkedBlockingQueue<>();
            router.subscribe(new Router.Subscription(
                    "in/#",
                    2,
                    (m, qos) -> {
                        got.add(m);
                        return Subscriber.DONE;
                    },
                    null,
                    false));
            try (MqttBridge bridge = new MqttBridge(config, router, BridgeSessionStore.inMemory())) {
                bridge.subscribe("workers", "in/#", 2);
                bridge.start();
                await().atMost(WAIT).until(() -> bridge.subscribed().contains("$share/workers/in/#"));
                device.subscribe("out/#");

                // In: PUBLISH, PUBREC from the bridge once routed, PUBREL, PUBCOMP from the bridge.
                device.publish("in/a", "exactly once", 2);
                Message in = got.poll(30, TimeUnit.SECONDS);
                assertThat(in).isNotNull();
                assertThat(in.qos()).isEqualTo(2);
                await().atMost(WAIT).until(() -> mosquitto.log().contains("Received PUBCOMP from link-q2"));
                assertThat(mosquitto.log()).contains("Received PUBREC from link-q2");

                // Out: a message the node publishes at QoS 2 is done when the broker's PUBCOMP arrives.
                CompletableFuture<Void> out = router.route(new Message(
                        "out/b",
                        "reply".getBytes(StandardCharsets.UTF_8),
                        2,
                        false,
                        Message.MessageProperties.NONE,
                        null));
                out.get(30, TimeUnit.SECONDS);
                assertThat(mosquitto.log()).contains("Received PUBREL from link-q2");
                await().atMost(WAIT).until(() -> device.received().contains("out/b reply"));
                assertThat(bridge.forwardedCount()).isEqualTo(1);
            }
        }
    }
}
