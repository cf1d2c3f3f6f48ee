package dev.sedge.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sedge.broker.session.SessionLimits;
import dev.sedge.broker.store.BrokerStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each broker feature against a real MQTT 5 client over real sockets. */
@Timeout(60)
class BrokerFeaturesTest {

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    private BrokerStore store;
    private MqttBroker broker;
    private String url;

    private void start(BrokerConfig config) throws InterruptedException {
        store = BrokerStore.open(dir.resolve("broker.mv.db"));
        broker = new MqttBroker(config.withPort(0).withSysIntervalSeconds(0), store, clock::get);
        broker.start();
        url = "tcp://127.0.0.1:" + broker.port();
    }

    private void start() throws InterruptedException {
        start(BrokerConfig.defaults());
    }

    private void restart() throws InterruptedException {
        broker.close();
        store.close();
        start();
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
            store.close();
        }
    }

    private PahoClient client(String id, MqttConnectionOptions o) throws Exception {
        return new PahoClient(url, id).connect(o);
    }

    @Test
    void aPersistentSessionKeepsSubscriptionsAndQueuesWhileAway() throws Exception {
        start();
        try (PahoClient sub = client("sub", PahoClient.persistent(300));
                PahoClient pub = client("pub", PahoClient.clean())) {
            assertThat(sub.connectToken.getSessionPresent()).isFalse();
            sub.subscribe("news/#", 1);
            sub.client.disconnect();
            for (int i = 0; i < 3; i++) {
                pub.publish("news/" + i, "m" + i, 1, false);
            }
            sub.connect(PahoClient.persistent(300));
            assertThat(sub.connectToken.getSessionPresent()).isTrue();
            assertThat(sub.texts(3)).containsExactly("m0", "m1", "m2");
        }
    }

    @Test
    void cleanStartDiscardsTheSession() throws Exception {
        start();
        try (PahoClient sub = client("sub", PahoClient.persistent(300));
                PahoClient pub = client("pub", PahoClient.clean())) {
            sub.subscribe("news/#", 1);
            sub.client.disconnect();
            pub.publish("news/x", "lost", 1, false);
            MqttConnectionOptions o = PahoClient.clean();
            sub.connect(o);
            assertThat(sub.connectToken.getSessionPresent()).isFalse();
            sub.subscribe("marker", 1);
            pub.publish("marker", "marker", 1, false);
            assertThat(sub.next().text()).isEqualTo("marker");
        }
    }

    @Test
    void aSessionEndsWhenItsExpiryIntervalPasses() throws Exception {
        start();
        try (PahoClient sub = client("short", PahoClient.persistent(1))) {
            sub.subscribe("t", 1);
            sub.client.disconnect();
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.sessions().get("short") == null);
            sub.connect(PahoClient.persistent(1));
            assertThat(sub.connectToken.getSessionPresent()).isFalse();
        }
    }

    @Test
    void sessionsAndRetainedMessagesSurviveARestart() throws Exception {
        start();
        try (PahoClient sub = client("durable", PahoClient.persistent(3600));
                PahoClient pub = client("pub", PahoClient.clean())) {
            sub.subscribe("d/#", 2);
            sub.client.disconnect();
            pub.publish("d/1", "queued-q1", 1, false);
            pub.publish("d/2", "queued-q2", 2, false);
            pub.publish("r/1", "kept", 1, true);
            pub.client.disconnect();
        }
        restart();
        try (PahoClient sub = client("durable", PahoClient.persistent(3600))) {
            assertThat(sub.connectToken.getSessionPresent()).isTrue();
            assertThat(sub.texts(2)).containsExactly("queued-q1", "queued-q2");
            sub.subscribe("r/#", 1);
            PahoClient.Received r = sub.next();
            assertThat(r.text()).isEqualTo("kept");
            assertThat(r.message().isRetained()).isTrue();
        }
    }

    @Test
    void qos2IsDeliveredExactlyOnceBothWays() throws Exception {
        start();
        try (PahoClient sub = client("s2", PahoClient.clean());
                PahoClient pub = client("p2", PahoClient.clean())) {
            sub.subscribe("q2/#", 2);
            for (int i = 0; i < 50; i++) {
                pub.publish("q2/t", "n" + i, 2, false);
            }
            List<String> got = sub.texts(50);
            assertThat(new HashSet<>(got)).hasSize(50);
            pub.publish("q2/t", "end", 2, false);
            assertThat(sub.next().text()).as("no duplicate before the marker").isEqualTo("end");
            assertThat(sub.received).isEmpty();
        }
    }

    @Test
    void unacknowledgedQos1IsResentAfterReconnect() throws Exception {
        start();
        try (PahoClient sub = new PahoClient(url, "slow");
                PahoClient pub = client("pub", PahoClient.clean())) {
            sub.client.setManualAcks(true);
            sub.connect(PahoClient.persistent(300));
            sub.subscribe("work", 1);
            pub.publish("work", "job", 1, false);
            PahoClient.Received first = sub.next();
            assertThat(first.message().isDuplicate()).isFalse();
            sub.drop(); // never acknowledged
            sub.connect(PahoClient.persistent(300));
            PahoClient.Received again = sub.next();
            assertThat(again.text()).isEqualTo("job"); // the DUP flag itself is checked byte by byte
            sub.client.messageArrivedComplete(again.message().getId(), 1);
        }
    }

    @Test
    void retainedMessagesFollowRetainHandlingAndRetainAsPublished() throws Exception {
        start();
        try (PahoClient pub = client("pub", PahoClient.clean())) {
            pub.publish("state/lamp", "on", 1, true);
            try (PahoClient a = client("a", PahoClient.clean())) {
                a.subscribe("state/+", 1);
                PahoClient.Received r = a.next();
                assertThat(r.text()).isEqualTo("on");
                assertThat(r.message().isRetained()).isTrue();
                // A live retained message loses its RETAIN flag without Retain As Published.
                pub.publish("state/lamp", "off", 1, true);
                assertThat(a.next().message().isRetained()).isFalse();
            }
            try (PahoClient b = client("b", PahoClient.clean())) {
                MqttSubscription never = new MqttSubscription("state/#", 1);
                never.setRetainHandling(2);
                b.subscribe(never);
                MqttSubscription rap = new MqttSubscription("state/lamp", 1);
                rap.setRetainAsPublished(true);
                rap.setRetainHandling(2);
                b.subscribe(rap);
                pub.publish("state/lamp", "dim", 1, true);
                List<PahoClient.Received> two = List.of(b.next(), b.next());
                // One copy per matching subscription: one keeps RETAIN, one does not.
                assertThat(two).extracting(x -> x.message().isRetained()).containsExactlyInAnyOrder(true, false);
            }
            pub.publish("state/lamp", "", 1, true); // an empty retained message clears the topic
            try (PahoClient c = client("c", PahoClient.clean())) {
                c.subscribe("state/+", 1);
                pub.publish("state/marker", "m", 1, false);
                assertThat(c.next().text()).isEqualTo("m");
            }
        }
    }

    @Test
    void aWillIsPublishedWhenTheConnectionDropsAndNotAfterDisconnect() throws Exception {
        start();
        try (PahoClient watcher = client("watcher", PahoClient.clean())) {
            watcher.subscribe("wills/#", 1);
            MqttConnectionOptions o = PahoClient.clean();
            o.setWill("wills/device1", new MqttMessage("gone".getBytes(StandardCharsets.UTF_8), 1, false, null));
            PahoClient device = client("device1", o);
            device.drop();
            assertThat(watcher.next().text()).isEqualTo("gone");

            MqttConnectionOptions polite = PahoClient.clean();
            polite.setWill("wills/device2", new MqttMessage("gone".getBytes(StandardCharsets.UTF_8), 1, false, null));
            PahoClient device2 = client("device2", polite);
            device2.client.disconnect();
            device2.close();
            try (PahoClient pub = client("pub", PahoClient.clean())) {
                pub.publish("wills/marker", "marker", 1, false);
            }
            assertThat(watcher.next().text()).isEqualTo("marker");
        }
    }

    @Test
    void aDelayedWillWaitsForTheSessionToEnd() throws Exception {
        start();
        try (PahoClient watcher = client("watcher", PahoClient.clean())) {
            watcher.subscribe("wills/#", 1);
            MqttConnectionOptions o = PahoClient.persistent(1);
            o.setWill("wills/late", new MqttMessage("late".getBytes(StandardCharsets.UTF_8), 1, false, null));
            MqttProperties wp = new MqttProperties();
            wp.setWillDelayInterval(3600L);
            o.setWillMessageProperties(wp);
            PahoClient device = client("late", o);
            device.drop();
            // Delay 3600 s, session expiry 1 s: the will goes when the session ends (MQTT-3.1.3-9).
            PahoClient.Received r = watcher.next();
            assertThat(r.text()).isEqualTo("late");
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.sessions().get("late") == null);
        }
    }

    @Test
    void sharedSubscriptionsSplitMessagesBetweenMembers() throws Exception {
        start();
        try (PahoClient a = client("a", PahoClient.clean());
                PahoClient b = client("b", PahoClient.clean());
                PahoClient pub = client("pub", PahoClient.clean())) {
            a.subscribe("$share/workers/jobs/#", 1);
            b.subscribe("$share/workers/jobs/#", 1);
            for (int i = 0; i < 20; i++) {
                pub.publish("jobs/" + i, "j" + i, 1, false);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> a.received.size() + b.received.size() == 20);
            assertThat(a.received).isNotEmpty();
            assertThat(b.received).isNotEmpty();
            Set<String> all = new HashSet<>();
            a.received.forEach(r -> all.add(r.text()));
            b.received.forEach(r -> all.add(r.text()));
            assertThat(all).hasSize(20);
        }
    }

    @Test
    void noLocalKeepsAClientsOwnMessagesFromIt() throws Exception {
        start();
        try (PahoClient me = client("me", PahoClient.clean());
                PahoClient other = client("other", PahoClient.clean())) {
            MqttSubscription s = new MqttSubscription("chat", 1);
            s.setNoLocal(true);
            me.subscribe(s);
            me.publish("chat", "mine", 1, false);
            other.publish("chat", "theirs", 1, false);
            assertThat(me.next().text()).isEqualTo("theirs");
        }
    }

    @Test
    void anExpiredMessageIsNotDeliveredAndTheRestIsCountedDown() throws Exception {
        start();
        try (PahoClient sub = client("exp", PahoClient.persistent(300));
                PahoClient pub = client("pub", PahoClient.clean())) {
            sub.subscribe("e/#", 1);
            sub.client.disconnect();
            MqttMessage shortLived = new MqttMessage("short".getBytes(StandardCharsets.UTF_8));
            shortLived.setQos(1);
            MqttProperties p1 = new MqttProperties();
            p1.setMessageExpiryInterval(5L);
            shortLived.setProperties(p1);
            pub.client.publish("e/1", shortLived);
            MqttMessage longLived = new MqttMessage("long".getBytes(StandardCharsets.UTF_8));
            longLived.setQos(1);
            MqttProperties p2 = new MqttProperties();
            p2.setMessageExpiryInterval(100L);
            longLived.setProperties(p2);
            pub.client.publish("e/2", longLived);
            clock.addAndGet(30_000); // the broker's clock moves on 30 s while the subscriber is away
            sub.connect(PahoClient.persistent(300));
            PahoClient.Received r = sub.next();
            assertThat(r.text()).isEqualTo("long");
            assertThat(r.message().getProperties().getMessageExpiryInterval()).isEqualTo(70L); // MQTT-3.3.2-6
        }
    }

    @Test
    void aMessageLargerThanTheClientsMaximumPacketSizeIsNotSentToIt() throws Exception {
        start();
        MqttConnectionOptions small = PahoClient.clean();
        small.setMaximumPacketSize(200L);
        try (PahoClient sub = client("small", small);
                PahoClient pub = client("pub", PahoClient.clean())) {
            sub.subscribe("big/#", 1);
            pub.publish("big/1", "x".repeat(1000), 1, false);
            pub.publish("big/2", "fits", 1, false);
            assertThat(sub.next().text()).isEqualTo("fits");
        }
    }

    @Test
    void connackStatesTheServersLimits() throws Exception {
        start(BrokerConfig.defaults().withReceiveMaximum(20).withMaxKeepAliveSeconds(10));
        MqttConnectionOptions o = PahoClient.clean();
        o.setKeepAliveInterval(60);
        try (PahoClient c = client("limits", o)) {
            MqttProperties p = c.connectToken.getResponseProperties();
            assertThat(p.getReceiveMaximum()).isEqualTo(20);
            assertThat(p.getServerKeepAlive()).isEqualTo(10);
            assertThat(p.getTopicAliasMaximum()).isEqualTo(BrokerConfig.TOPIC_ALIAS_MAXIMUM_DEFAULT);
            assertThat(p.getMaximumPacketSize()).isEqualTo((long) BrokerConfig.MAX_PACKET_BYTES_DEFAULT);
        }
    }

    @Test
    void aFullQueueDropsNewMessagesAndCountsThem() throws Exception {
        start(BrokerConfig.defaults().withSessionLimits(new SessionLimits(5, SessionLimits.NEVER)));
        try (PahoClient sub = client("bounded", PahoClient.persistent(300));
                PahoClient pub = client("pub", PahoClient.clean())) {
            sub.subscribe("flood", 1);
            sub.client.disconnect();
            for (int i = 0; i < 8; i++) {
                pub.publish("flood", "f" + i, 1, false);
            }
            assertThat(broker.sessions().droppedCount()).isEqualTo(3);
            sub.connect(PahoClient.persistent(300));
            assertThat(sub.texts(5)).containsExactly("f0", "f1", "f2", "f3", "f4");
        }
    }

    @Test
    void sysTopicsAreNotMatchedByALeadingWildcard() throws Exception {
        store = BrokerStore.inMemory();
        broker = new MqttBroker(BrokerConfig.defaults().withPort(0).withSysIntervalSeconds(1), store, clock::get);
        broker.start();
        url = "tcp://127.0.0.1:" + broker.port();
        try (PahoClient all = client("all", PahoClient.clean());
                PahoClient sys = client("sys", PahoClient.clean())) {
            all.subscribe("#", 0);
            sys.subscribe("$SYS/broker/clients/connected", 0);
            // The first value may predate these clients; the next publication (each second) counts them.
            PahoClient.Received r = sys.next();
            while (r != null && Integer.parseInt(r.text()) < 2) {
                assertThat(r.topic()).isEqualTo("$SYS/broker/clients/connected");
                r = sys.next();
            }
            assertThat(r).isNotNull();
            assertThat(Integer.parseInt(r.text())).isEqualTo(2);
            all.publish("plain", "p", 0, false);
            assertThat(all.next().topic()).isEqualTo("plain");
        }
    }
}
