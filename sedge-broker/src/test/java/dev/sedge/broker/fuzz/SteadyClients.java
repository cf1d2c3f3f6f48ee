package dev.sedge.broker.fuzz;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
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

/**
 * Two well-behaved MQTT 5 clients (Eclipse Paho) that exchange numbered QoS 1 messages for as long as
 * they run: one publishes and waits for each PUBACK, the other subscribes and notes each number. The
 * publisher keeps at most {@link #WINDOW} messages ahead of the subscriber, as a well-behaved pair does:
 * a PUBACK only says the broker has a message, and a subscriber that falls 1000 behind loses messages
 * to its bounded queue by design. It also waits for Paho's own delivery-complete callback before going
 * on: Paho wakes a synchronous publish at the PUBACK but frees its in-flight slot later, on its callback
 * thread, and a starved callback thread otherwise makes it refuse a publish ("Too many publishes in
 * progress") on a busy machine. Identifiers and topic are random, so no fuzzed packet can aim at them.
 *
 * <p>Lifecycle: {@link #start}, then {@link #stop}, then {@link #close}. Thread-safe.
 */
final class SteadyClients implements AutoCloseable {

    private static final int WINDOW = 100;

    private final String topic = "steady/" + UUID.randomUUID();
    private final Semaphore window = new Semaphore(WINDOW);
    private final Semaphore delivered = new Semaphore(0);
    private final MqttClient publisher;
    private final MqttClient subscriber;
    private final Set<Integer> received = ConcurrentHashMap.newKeySet();
    private final AtomicInteger published = new AtomicInteger();
    private final CompletableFuture<String> trouble = new CompletableFuture<>();
    private final AtomicReference<Thread> loop = new AtomicReference<>();
    private volatile boolean stopping;

    private SteadyClients(String url) throws MqttException {
        publisher = client(url, "steady-pub-" + UUID.randomUUID());
        subscriber = client(url, "steady-sub-" + UUID.randomUUID());
    }

    /** Connects both, subscribes, and starts publishing in the background. */
    static SteadyClients start(String url) throws MqttException {
        SteadyClients c = new SteadyClients(url);
        c.subscriber.subscribe(new MqttSubscription[] {new MqttSubscription(c.topic, 1)});
        c.loop.set(Thread.ofPlatform().name("steady-publisher").daemon().start(c::publishUntilStopped));
        return c;
    }

    private MqttClient client(String url, String id) throws MqttException {
        MqttClient c = new MqttClient(url, id, new MemoryPersistence());
        c.setTimeToWait(30_000);
        c.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
                trouble.complete(id + " was disconnected: " + r);
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
                trouble.complete(id + " saw an error: " + e);
            }

            @Override
            public void messageArrived(String t, MqttMessage m) {
                if (received.add(Integer.parseInt(new String(m.getPayload(), StandardCharsets.US_ASCII)))) {
                    window.release();
                }
            }

            @Override
            public void deliveryComplete(IMqttToken t) {
                delivered.release();
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {}

            @Override
            public void authPacketArrived(int reason, MqttProperties p) {}
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setConnectionTimeout(10);
        o.setAutomaticReconnect(false);
        c.connect(o);
        return c;
    }

    private void publishUntilStopped() {
        while (!stopping && !trouble.isDone()) {
            int n = published.get();
            try {
                if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
                    trouble.complete("the subscriber got nothing for 30 s, " + WINDOW + " messages behind");
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            MqttMessage m = new MqttMessage(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
            m.setQos(1);
            try {
                publisher.publish(topic, m); // returns once the PUBACK is in
                published.incrementAndGet();
                if (!delivered.tryAcquire(30, TimeUnit.SECONDS)) {
                    trouble.complete("Paho did not complete the delivery of message " + n + " in 30 s");
                }
            } catch (MqttException e) {
                trouble.complete("publishing message " + n + " failed: " + e);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Stops publishing and waits (bounded) until the subscriber has every number published; what is
     * still missing then is for {@link #missing} to say.
     *
     * @return how many messages were published
     */
    int stop(Duration atMost) throws InterruptedException {
        stopping = true;
        loop.get().join(atMost);
        int n = published.get();
        try {
            await().atMost(atMost).until(() -> received.size() >= n || trouble.isDone());
        } catch (ConditionTimeoutException e) {
            // missing() names what did not arrive
        }
        return n;
    }

    /** Why a client was unhappy (disconnected, error, a failed publish), or null when it never was. */
    String trouble() {
        return trouble.getNow(null);
    }

    /** How many published numbers the subscriber did not get, and the first of them. */
    String missing() {
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < published.get(); i++) {
            if (!received.contains(i)) {
                missing.add(i);
            }
        }
        return missing.isEmpty()
                ? "none"
                : missing.size() + ", the first: " + missing.subList(0, Math.min(10, missing.size()));
    }

    boolean bothConnected() {
        return publisher.isConnected() && subscriber.isConnected();
    }

    @Override
    public void close() {
        stopping = true;
        for (MqttClient c : new MqttClient[] {publisher, subscriber}) {
            try {
                if (c.isConnected()) {
                    c.disconnect();
                }
                c.close(true);
            } catch (MqttException e) {
                // closing after the test: nothing left to check
            }
        }
    }
}
