package dev.sedge.bench.targets;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A blocking Paho MQTT 3.1.1 client on a started target, for tests: connected on open, closed on close. */
final class PahoClient implements AutoCloseable {

    private final MqttClient client;

    private PahoClient(MqttClient client) {
        this.client = client;
    }

    static PahoClient connect(Target.Running target, String clientId) throws MqttException {
        MqttClient c =
                new MqttClient("tcp://" + target.host() + ":" + target.mqttPort(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setConnectionTimeout(20);
        c.connect(options);
        return new PahoClient(c);
    }

    MqttClient client() {
        return client;
    }

    /** Publishes at QoS 1; returns once the broker acknowledged it. */
    void publish(String topic, String payload) throws MqttException {
        client.publish(topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, false);
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect(5_000);
            }
        } finally {
            client.close();
        }
    }
}
