package dev.sedge.node.e2e;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/** A real MQTT 5 client (Paho) that records what it receives: a device, or a dashboard. */
final class MqttClients {

    private MqttClients() {}

    /** One connected client; {@link #received()} holds "topic payload" lines in arrival order. */
    static final class Client implements AutoCloseable {
        private final MqttClient client;
        private final List<String> received = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> perTopic = new ConcurrentHashMap<>();

        Client(int port, String clientId) throws MqttException {
            client = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            client.connect(options);
        }

        /** Subscribes at QoS 1 and returns once the SUBACK has arrived. */
        void subscribe(String filter) throws MqttException {
            IMqttMessageListener listener = (topic, m) -> {
                received.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8));
                perTopic.computeIfAbsent(topic, t -> new AtomicInteger()).incrementAndGet();
            };
            client.subscribe(
                    new MqttSubscription[] {new MqttSubscription(filter, 1)}, new IMqttMessageListener[] {listener});
        }

        /**
         * Publishes and returns once the broker has acknowledged (QoS 1). Paho 1.2.5 at times still counts
         * an acknowledged publication as in flight for a moment and refuses the next one with "too many
         * publishes in progress" (32202); that one is tried again, nothing else is.
         */
        void publish(String topic, String payload, int qos) {
            MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            m.setQos(qos);
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(20))
                    .pollInterval(java.time.Duration.ofMillis(10))
                    .ignoreNoExceptions()
                    .until(() -> {
                        try {
                            client.publish(topic, m);
                            return true;
                        } catch (MqttException e) {
                            if (e.getReasonCode()
                                    == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                                return false;
                            }
                            throw e;
                        }
                    });
        }

        List<String> received() {
            return received;
        }

        /** How many messages arrived on each topic. */
        Map<String, Integer> countsByTopic() {
            Map<String, Integer> out = new java.util.TreeMap<>();
            perTopic.forEach((t, n) -> out.put(t, n.get()));
            return out;
        }

        @Override
        public void close() throws MqttException {
            try {
                if (client.isConnected()) {
                    client.disconnect();
                }
            } finally {
                client.close();
            }
        }
    }
}
