package dev.sedge.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sedge.broker.router.Router;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The broker against a real MQTT 5 client library over real sockets. */
@Timeout(60)
class BrokerPahoTest {

    private MqttBroker broker;
    private String url;

    @BeforeEach
    void start() throws InterruptedException {
        broker = new MqttBroker(BrokerConfig.defaults().withPort(0));
        broker.start();
        url = "tcp://127.0.0.1:" + broker.port();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private MqttClient client(String id) throws MqttException {
        MqttClient c = new MqttClient(url, id, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setConnectionTimeout(10);
        c.connect(o);
        return c;
    }

    @Test
    void routesQos1WithWildcardsAndKeepsMqtt5Properties() throws Exception {
        BlockingQueue<MqttMessage> got = new ArrayBlockingQueue<>(10);
        BlockingQueue<String> topics = new ArrayBlockingQueue<>(10);
        MqttClient sub = client("sub");
        sub.subscribe(
                new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
                    new org.eclipse.paho.mqttv5.common.MqttSubscription("sensors/+/temperature", 1)
                },
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {
                    (t, m) -> {
                        topics.add(t);
                        got.add(m);
                    }
                });
        MqttClient pub = client("pub");
        MqttMessage m = new MqttMessage("21.5".getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        MqttProperties props = new MqttProperties();
        props.setResponseTopic("replies/pub");
        props.setCorrelationData(new byte[] {7, 8});
        props.setContentType("text/plain");
        props.setUserProperties(List.of(new UserProperty("unit", "C")));
        m.setProperties(props);
        pub.publish("sensors/s1/temperature", m);
        pub.publish("sensors/s1/humidity", new MqttMessage(new byte[] {1}));

        MqttMessage received = got.poll(10, TimeUnit.SECONDS);
        assertThat(received).isNotNull();
        assertThat(topics.poll()).isEqualTo("sensors/s1/temperature");
        assertThat(new String(received.getPayload(), StandardCharsets.UTF_8)).isEqualTo("21.5");
        assertThat(received.getQos()).isEqualTo(1);
        assertThat(received.getProperties().getResponseTopic()).isEqualTo("replies/pub");
        assertThat(received.getProperties().getCorrelationData()).containsExactly(7, 8);
        assertThat(received.getProperties().getContentType()).isEqualTo("text/plain");
        assertThat(received.getProperties().getUserProperties())
                .extracting(UserProperty::getKey)
                .containsExactly("unit");
        assertThat(got.poll(200, TimeUnit.MILLISECONDS))
                .as("humidity does not match the filter")
                .isNull();
        pub.disconnect();
        sub.disconnect();
    }

    @Test
    void pubackWaitsForAnInProcessSubscriberThatAsksToBeAwaited() throws Exception {
        CompletableFuture<Void> functionDone = new CompletableFuture<>();
        CompletableFuture<Message> delivered = new CompletableFuture<>();
        broker.router()
                .subscribe(new Router.Subscription(
                        "jobs/#",
                        1,
                        (msg, qos) -> {
                            delivered.complete(msg);
                            return functionDone;
                        },
                        null,
                        false));
        MqttAsyncClient pub = new MqttAsyncClient(url, "async-pub", new MemoryPersistence());
        pub.connect(new MqttConnectionOptions()).waitForCompletion(10_000);
        MqttMessage m = new MqttMessage("work".getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        IMqttToken token = pub.publish("jobs/1", m);

        assertThat(delivered.get(10, TimeUnit.SECONDS).topic()).isEqualTo("jobs/1");
        // The subscriber has the message but has not finished: no PUBACK yet.
        assertThat(token.isComplete()).isFalse();
        functionDone.complete(null);
        token.waitForCompletion(10_000);
        assertThat(token.isComplete()).isTrue();
        pub.disconnect().waitForCompletion(10_000);
        pub.close();
    }

    @Test
    void aSecondConnectionWithTheSameIdentifierTakesTheSessionOver() throws Exception {
        CompletableFuture<Integer> reason = new CompletableFuture<>();
        MqttClient first = new MqttClient(url, "same-id", new MemoryPersistence());
        first.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
                reason.complete(r.getReturnCode());
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {}

            @Override
            public void messageArrived(String t, MqttMessage m) {}

            @Override
            public void deliveryComplete(IMqttToken t) {}

            @Override
            public void connectComplete(boolean r, String s) {}

            @Override
            public void authPacketArrived(int r, MqttProperties p) {}
        });
        first.connect();
        MqttClient second = client("same-id");
        assertThat(reason.get(10, TimeUnit.SECONDS)).isEqualTo(0x8E); // Session taken over
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.connectedClients() == 1);
        second.disconnect();
    }

    @Test
    void anEmptyClientIdentifierIsAssignedOne() throws Exception {
        MqttAsyncClient c = new MqttAsyncClient(url, "", new MemoryPersistence());
        IMqttToken t = c.connect(new MqttConnectionOptions());
        t.waitForCompletion(10_000);
        assertThat(t.getResponseProperties().getAssignedClientIdentifier()).startsWith("sedge-");
        c.disconnect().waitForCompletion(10_000);
        c.close();
    }
}
