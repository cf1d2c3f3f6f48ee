package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The node is killed with SIGKILL while a publisher sends 10,000 messages and restarted on the same data
 * directory; a persistent subscriber ends with every message: duplicates allowed at QoS 1, none at QoS 2.
 */
@Timeout(240)
class NodeCrashIT {

    private static final int MESSAGES = 10_000;
    private static final int WINDOW = 64;

    @TempDir
    Path dataDir;

    private final AtomicReference<Throwable> killerFailure = new AtomicReference<>();
    private NodeProcess node;

    /** An MQTT 5 client with a persistent session that reconnects by itself. */
    private static final class Client implements MqttCallback {
        final MqttAsyncClient mqtt;
        final Set<String> distinct = ConcurrentHashMap.newKeySet();
        final AtomicInteger arrivals = new AtomicInteger();

        final MqttConnectionOptions options = new MqttConnectionOptions();

        Client(String url, String id) throws MqttException {
            mqtt = new MqttAsyncClient(url, id, new MemoryPersistence());
            mqtt.setCallback(this);
            options.setCleanStart(false);
            options.setSessionExpiryInterval(3600L);
            options.setConnectionTimeout(5);
            mqtt.connect(options).waitForCompletion(20_000);
        }

        /**
         * Reconnects, resuming the session (the client then resends what it had in flight), retrying
         * while the node is down.
         */
        void awaitConnected() {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .until(this::tryConnect);
        }

        private boolean tryConnect() {
            if (mqtt.isConnected()) {
                return true;
            }
            try {
                mqtt.connect(options).waitForCompletion(5_000);
                return true;
            } catch (MqttException e) {
                return false;
            }
        }

        @Override
        public void connectComplete(boolean reconnect, String uri) {}

        @Override
        public void disconnected(MqttDisconnectResponse r) {}

        @Override
        public void mqttErrorOccurred(MqttException e) {}

        @Override
        public void messageArrived(String topic, MqttMessage m) {
            arrivals.incrementAndGet();
            distinct.add(new String(m.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void authPacketArrived(int reason, MqttProperties p) {}
    }

    private record Sent(int index, IMqttToken token) {}

    /** What a persistent subscriber received, however it is implemented. */
    private interface Received extends AutoCloseable {
        Set<String> distinct();

        AtomicInteger arrivals();

        /** Makes sure the subscriber is connected again after the restart. */
        void reconnect();

        @Override
        void close();
    }

    /** QoS 1: Eclipse Paho, whose session resumes on reconnect. */
    private static Received pahoSubscriber(String url) throws MqttException {
        Client c = new Client(url, "crash-sub-1");
        c.mqtt.subscribe(new MqttSubscription("crash/#", 1)).waitForCompletion(20_000);
        return new Received() {
            @Override
            public Set<String> distinct() {
                return c.distinct;
            }

            @Override
            public AtomicInteger arrivals() {
                return c.arrivals;
            }

            @Override
            public void reconnect() {
                c.awaitConnected();
            }

            @Override
            public void close() {
                try {
                    c.mqtt.disconnectForcibly(0, 1000, false);
                    c.mqtt.close(true);
                } catch (MqttException e) {
                    // Test teardown.
                }
            }
        };
    }

    /** QoS 2: a receiver that keeps exactly-once as the specification words it (see {@link Qos2Receiver}). */
    private Received exactlyOnceSubscriber() {
        Qos2Receiver r = new Qos2Receiver(node.mqttPort, "crash-sub-2", "crash/#");
        await().atMost(Duration.ofSeconds(30)).until(r::connected);
        return new Received() {
            @Override
            public Set<String> distinct() {
                return r.distinct;
            }

            @Override
            public AtomicInteger arrivals() {
                return r.arrivals;
            }

            @Override
            public void reconnect() {
                await().atMost(Duration.ofSeconds(90)).until(r::connected);
            }

            @Override
            public void close() {
                r.close();
            }
        };
    }

    /**
     * Waits for one publication's acknowledgement. At QoS 1 a publication whose connection was lost is
     * published again (a duplicate is allowed); at QoS 2 the client's session sends it again with its
     * packet identifier after reconnecting, which is what makes it exactly once, so it is not repeated.
     *
     * @return false when the caller must publish it again
     */
    private static boolean settle(Sent sent, int qos) {
        try {
            sent.token().waitForCompletion(60_000);
            return true;
        } catch (MqttException e) {
            return qos == 2;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void everyAcknowledgedMessageSurvivesASigkill(int qos) throws Exception {
        assertThat(NodeProcess.JAR).as("the packaged CLI").exists();
        node = new NodeProcess(dataDir, "--max-queued-messages", String.valueOf(2 * MESSAGES)).start();
        String url = node.mqttUrl();
        Received sub = qos == 1 ? pahoSubscriber(url) : exactlyOnceSubscriber();
        Client pub = new Client(url, "crash-pub-" + qos);
        AtomicInteger published = new AtomicInteger();
        Thread killer = Thread.ofPlatform().start(() -> {
            try {
                await().atMost(Duration.ofSeconds(120)).until(() -> published.get() >= MESSAGES / 3);
                node.kill(); // SIGKILL: no shutdown hook, no final commit
                node.start();
                sub.reconnect();
            } catch (Exception | AssertionError e) {
                killerFailure.set(e);
            }
        });
        try {
            ArrayDeque<Sent> window = new ArrayDeque<>();
            ArrayDeque<Integer> toSend = new ArrayDeque<>();
            for (int i = 0; i < MESSAGES; i++) {
                toSend.add(i);
            }
            while (!toSend.isEmpty() || !window.isEmpty()) {
                if (toSend.isEmpty() || window.size() >= WINDOW) {
                    Sent oldest = window.poll();
                    if (!settle(oldest, qos)) {
                        toSend.addFirst(oldest.index());
                    }
                    continue;
                }
                int i = toSend.poll();
                MqttMessage m = new MqttMessage(String.valueOf(i).getBytes(StandardCharsets.UTF_8));
                m.setQos(qos);
                try {
                    window.add(new Sent(i, pub.mqtt.publish("crash/t", m)));
                    published.incrementAndGet();
                } catch (MqttException e) {
                    // Not connected, or the client's window is full: nothing was sent, so sending it
                    // again later creates no duplicate.
                    toSend.addFirst(i);
                    if (window.isEmpty()) {
                        assertThat(killerFailure.get())
                                .as("restart failed; node output: %s", node.output)
                                .isNull();
                        try {
                            pub.awaitConnected();
                        } catch (org.awaitility.core.ConditionTimeoutException t) {
                            throw new AssertionError("publisher did not reconnect; node output: " + node.output, t);
                        }
                    } else {
                        Sent oldest = window.poll();
                        if (!settle(oldest, qos)) {
                            toSend.addFirst(oldest.index());
                        }
                    }
                }
            }
            killer.join(120_000);
            sub.reconnect();
            try {
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> sub.distinct().size() == MESSAGES);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                java.util.List<Integer> missing = new java.util.ArrayList<>();
                for (int i = 0; i < MESSAGES && missing.size() < 20; i++) {
                    if (!sub.distinct().contains(String.valueOf(i))) {
                        missing.add(i);
                    }
                }
                throw new AssertionError(
                        "subscriber has " + sub.distinct().size() + " of " + MESSAGES
                                + " (arrivals " + sub.arrivals().get() + "), first missing " + missing + "; published "
                                + published.get() + "; node output: " + node.output,
                        e);
            }
            if (qos == 2) {
                assertThat(sub.arrivals().get()).as("QoS 2: no duplicates").isEqualTo(MESSAGES);
            } else {
                assertThat(sub.arrivals().get()).isGreaterThanOrEqualTo(MESSAGES);
            }
        } finally {
            try {
                pub.mqtt.disconnectForcibly(0, 1000, false);
                pub.mqtt.close(true);
            } catch (MqttException e) {
                // Test teardown.
            }
            sub.close();
            killer.join(10_000);
            node.stop();
        }
    }
}
