package dev.sedge.broker.e2e;

import static dev.sedge.broker.e2e.MosquittoClients.pubOk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.broker.BrokerConfig;
import dev.sedge.broker.MqttBroker;
import dev.sedge.broker.e2e.MosquittoClients.Published;
import dev.sedge.broker.e2e.MosquittoClients.Received;
import dev.sedge.broker.e2e.MosquittoClients.Sub;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broker against mosquitto's own command-line clients over real sockets: QoS 2, retained
 * messages, wills, persistent sessions, MQTT 5 properties and $SYS. Skipped, with the reason, where
 * mosquitto-clients is not installed.
 */
@Timeout(60)
class MosquittoClientsTest {

    private MqttBroker broker;
    private int port;

    @BeforeAll
    static void clientsInstalled() {
        MosquittoClients.assumeInstalled();
    }

    private void start(BrokerConfig config) throws InterruptedException {
        broker = new MqttBroker(config.withPort(0));
        broker.start();
        port = broker.port();
    }

    private void start() throws InterruptedException {
        start(BrokerConfig.defaults().withSysIntervalSeconds(0));
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void qos2MessagesArriveExactlyOnceThroughTheFourPacketExchange() throws Exception {
        start();
        try (Sub sub = Sub.start(port, "-q", "2", "-t", "e2e/q2/#")) {
            for (int i = 0; i < 5; i++) {
                Published p = pubOk(port, "-q", "2", "-t", "e2e/q2/n", "-m", "m" + i);
                // The publisher's half of the exchange (MQTT 4.3.3), as mosquitto_pub logged it.
                assertThat(p.logged("received PUBREC"))
                        .as("PUBREC to the publisher")
                        .isTrue();
                assertThat(p.logged("sending PUBREL")).isTrue();
                assertThat(p.logged("received PUBCOMP"))
                        .as("PUBCOMP to the publisher")
                        .isTrue();
            }
            for (int i = 0; i < 5; i++) {
                Received r = sub.next();
                assertThat(r.payload()).isEqualTo("m" + i);
                assertThat(r.qos()).isEqualTo(2);
            }
            pubOk(port, "-q", "2", "-t", "e2e/q2/n", "-m", "end");
            assertThat(sub.next().payload())
                    .as("no duplicate before the marker")
                    .isEqualTo("end");
            // The subscriber's half, logged before each message is printed: PUBREC, PUBREL, PUBCOMP.
            List<String> log = sub.transcript();
            assertThat(log.stream().filter(l -> l.contains("sending PUBREC"))).hasSize(6);
            assertThat(log.stream().filter(l -> l.contains("received PUBREL"))).hasSize(6);
            assertThat(log.stream().filter(l -> l.contains("sending PUBCOMP"))).hasSize(6);
        }
    }

    @Test
    void aRetainedMessageGoesToLaterSubscribersUntilAnEmptyOneClearsIt() throws Exception {
        start();
        pubOk(port, "-q", "1", "-r", "-t", "e2e/retained/lamp", "-m", "on");
        try (Sub late = Sub.start(port, "-q", "1", "-t", "e2e/retained/#")) {
            Received r = late.next();
            assertThat(r.topic()).isEqualTo("e2e/retained/lamp");
            assertThat(r.payload()).isEqualTo("on");
            assertThat(r.retained())
                    .as("RETAIN set on a retained message sent at subscribe")
                    .isTrue();
        }
        pubOk(port, "-q", "1", "-r", "-n", "-t", "e2e/retained/lamp"); // -n: empty payload clears it
        try (Sub later = Sub.start(port, "-q", "1", "-t", "e2e/retained/#")) {
            pubOk(port, "-q", "1", "-t", "e2e/retained/marker", "-m", "marker");
            Received first = later.next();
            assertThat(first.payload())
                    .as("nothing retained arrived before the marker")
                    .isEqualTo("marker");
            assertThat(first.retained()).isFalse();
        }
    }

    @Test
    void aWillIsPublishedWhenAClientIsKilledAndNotWhenItDisconnects() throws Exception {
        start();
        try (Sub watcher = Sub.start(port, "-q", "1", "-t", "e2e/wills/#")) {
            Sub device = Sub.start(
                    port,
                    "-i",
                    "e2e-device",
                    "-t",
                    "e2e/device/commands",
                    "--will-topic",
                    "e2e/wills/device",
                    "--will-payload",
                    "gone",
                    "--will-qos",
                    "1");
            device.kill(); // no DISCONNECT: the broker only sees the connection drop
            Received will = watcher.next();
            assertThat(will.topic()).isEqualTo("e2e/wills/device");
            assertThat(will.payload()).isEqualTo("gone");

            Sub polite = Sub.start(
                    port,
                    "-C",
                    "1", // leaves after one message, with a DISCONNECT, which discards the will
                    "-i",
                    "e2e-polite",
                    "-t",
                    "e2e/device/commands",
                    "--will-topic",
                    "e2e/wills/polite",
                    "--will-payload",
                    "gone",
                    "--will-qos",
                    "1");
            pubOk(port, "-q", "1", "-t", "e2e/device/commands", "-m", "bye");
            polite.awaitExit();
            assertThat(polite.transcript()).anyMatch(l -> l.contains("sending DISCONNECT"));
            pubOk(port, "-q", "1", "-t", "e2e/wills/marker", "-m", "marker");
            assertThat(watcher.next().payload()).isEqualTo("marker");
        }
    }

    @Test
    void aPersistentSessionGetsWhatWasQueuedWhileItWasAway() throws Exception {
        start();
        String[] persistent = {"-c", "-i", "e2e-persistent", "-q", "1", "-t", "e2e/persist/#"};
        try (Sub first = Sub.start(port, "-C", "1", "-c", "-i", "e2e-persistent", "-q", "1", "-t", "e2e/persist/#")) {
            pubOk(port, "-q", "1", "-t", "e2e/persist/bye", "-m", "bye");
            first.awaitExit(); // disconnected after one message; the session stays
        }
        for (int i = 0; i < 3; i++) {
            pubOk(port, "-q", "1", "-t", "e2e/persist/" + i, "-m", "queued-" + i);
        }
        try (Sub again = Sub.start(port, persistent)) {
            assertThat(again.next().payload()).isEqualTo("queued-0");
            assertThat(again.next().payload()).isEqualTo("queued-1");
            assertThat(again.next().payload()).isEqualTo("queued-2");
        }
    }

    @Test
    void mqtt5UserPropertiesResponseTopicAndContentTypeReachTheSubscriber() throws Exception {
        start();
        try (Sub sub = Sub.start(port, "-V", "mqttv5", "-q", "1", "-t", "e2e/v5/#")) {
            pubOk(
                    port,
                    "-V",
                    "mqttv5",
                    "-q",
                    "1",
                    "-t",
                    "e2e/v5/request",
                    "-m",
                    "ping",
                    "-D",
                    "publish",
                    "user-property",
                    "unit",
                    "celsius",
                    "-D",
                    "publish",
                    "response-topic",
                    "e2e/v5/reply",
                    "-D",
                    "publish",
                    "content-type",
                    "text/plain");
            Received r = sub.next();
            assertThat(r.payload()).isEqualTo("ping");
            assertThat(r.responseTopic()).isEqualTo("e2e/v5/reply");
            assertThat(r.userProperties()).isEqualTo("unit:celsius");
            assertThat(r.contentType()).isEqualTo("text/plain");
        }
    }

    @Test
    void sysTopicsTellVersionAndClientsAndAreNotMatchedByHash() throws Exception {
        start(BrokerConfig.defaults().withSysIntervalSeconds(1));
        try (Sub all = Sub.start(port, "-q", "1", "-t", "#");
                Sub sys = Sub.start(port, "-t", "$SYS/broker/version", "-t", "$SYS/broker/clients/connected")) {
            boolean version = false;
            int connected = -1;
            // Retained values come at once; the count is republished each second until it sees both clients.
            while (!version || connected < 2) {
                Received r = sys.next();
                if (r.topic().equals("$SYS/broker/version")) {
                    assertThat(r.payload()).startsWith("sedge ");
                    version = true;
                } else {
                    assertThat(r.topic()).isEqualTo("$SYS/broker/clients/connected");
                    connected = Integer.parseInt(r.payload());
                }
            }
            // That publication was routed too, and '#' did not match it (MQTT-4.7.2-1): the marker is first.
            pubOk(port, "-q", "1", "-t", "e2e/sys/marker", "-m", "marker");
            assertThat(all.next().topic()).isEqualTo("e2e/sys/marker");
        }
    }
}
