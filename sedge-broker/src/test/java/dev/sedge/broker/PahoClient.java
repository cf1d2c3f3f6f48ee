package dev.sedge.broker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A real MQTT 5 client (Eclipse Paho) that collects what it receives, for tests. Not thread-safe. */
final class PahoClient implements AutoCloseable {

    /** One received message. */
    record Received(String topic, MqttMessage message) {
        String text() {
            return new String(message.getPayload(), StandardCharsets.UTF_8);
        }
    }

    final MqttClient client;
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> disconnectedBy = new CompletableFuture<>();
    IMqttToken connectToken;

    PahoClient(String url, String clientId) throws MqttException {
        client = new MqttClient(url, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
                disconnectedBy.complete(r.getReturnCode());
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {}

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                received.add(new Received(topic, m));
            }

            @Override
            public void deliveryComplete(IMqttToken t) {}

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {}

            @Override
            public void authPacketArrived(int reason, MqttProperties p) {}
        });
    }

    static MqttConnectionOptions clean() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setConnectionTimeout(10);
        return o;
    }

    /** Options for a session that lasts the given seconds after disconnecting. */
    static MqttConnectionOptions persistent(long expirySeconds) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(expirySeconds);
        o.setConnectionTimeout(10);
        return o;
    }

    PahoClient connect(MqttConnectionOptions o) throws MqttException {
        connectToken = client.connectWithResult(o);
        return this;
    }

    PahoClient subscribe(String filter, int qos) throws MqttException {
        return subscribe(new MqttSubscription(filter, qos));
    }

    PahoClient subscribe(MqttSubscription s) throws MqttException {
        IMqttToken t = client.subscribe(new MqttSubscription[] {s});
        t.waitForCompletion(10_000);
        return this;
    }

    void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(qos);
        m.setRetained(retained);
        client.publish(topic, m);
    }

    Received next() throws InterruptedException {
        return received.poll(10, TimeUnit.SECONDS);
    }

    /** The next message, or null if none comes in the given milliseconds (for "nothing arrives" checks). */
    Received nextWithin(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Waits for n messages and returns their payloads in arrival order. */
    List<String> texts(int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Received r = next();
            if (r == null) {
                throw new AssertionError("got " + out.size() + " of " + n + " messages: " + out);
            }
            out.add(r.text());
        }
        return out;
    }

    /** Drops the TCP connection without DISCONNECT, as a crashed device would. */
    void drop() throws MqttException {
        client.disconnectForcibly(0, 1, false);
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close(true);
        } catch (MqttException e) {
            // Closing a test client that is already gone.
        }
    }
}
