package dev.sedge.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sedge.broker.router.Router;
import dev.sedge.broker.server.BrokerStats;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Back-pressure end to end: a plain TCP client floods a broker on 127.0.0.1 whose in-process subscriber
 * stops taking messages; the broker stops reading the client until the subscriber drains.
 */
@Timeout(60)
class BackPressureSocketTest {

    private static final String TOPIC = "bp/t";
    private static final int LIMIT = 100;
    private static final int FLOOD = 20_000;
    private static final int PAYLOAD_BYTES = 100;
    /** Fixed header (2), topic length (2), topic, payload: a QoS 0 PUBLISH as {@link #publish} writes it. */
    private static final int PACKET_BYTES = 2 + 2 + TOPIC.length() + PAYLOAD_BYTES;
    /**
     * The messages one read can bring past a full subscriber: Netty reads at most 64 KiB at a time and
     * routes all that it decoded, plus the packet the previous read left half done.
     */
    private static final int ONE_READ = 65_536 / PACKET_BYTES + 2;

    private MqttBroker broker;
    private FillingSubscriber subscriber;
    private Socket socket;

    @BeforeEach
    void start() throws Exception {
        broker = new MqttBroker(BrokerConfig.defaults().withPort(0).withSysIntervalSeconds(0));
        broker.start();
        subscriber = new FillingSubscriber(LIMIT);
        broker.router().subscribe(new Router.Subscription(TOPIC, 1, subscriber, null, false));
    }

    @AfterEach
    void stop() throws IOException {
        if (socket != null) {
            socket.close(); // also ends a writer blocked in TCP
        }
        broker.close();
    }

    @Test
    void aQos0FloodIntoAFullSubscriberWaitsInTcpAndAllOfItArrivesAfterTheDrain() throws Exception {
        connect(60);
        CompletableFuture<Void> written = CompletableFuture.runAsync(
                () -> {
                    try {
                        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
                        for (int i = 0; i < FLOOD; i++) {
                            out.write(publish(i));
                        }
                        // PUBLISH QoS 1, remaining length 2 + 4 + 2 + 2: topic "bp/t", packet identifier 7, "ok"
                        out.write(concat(bytes(0x32, 10, 0x00, 0x04), ascii(TOPIC), bytes(0x00, 0x07), ascii("ok")));
                        out.flush();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                },
                r -> Thread.ofVirtual().name("flood").start(r)); // it blocks in TCP while the broker does not read
        BrokerStats stats = broker.stats();

        await().atMost(Duration.ofSeconds(10)).until(() -> stats.publishersPausedNow() == 1);
        assertThat(stats.publishersPausedTotal()).isEqualTo(1);
        await().during(Duration.ofMillis(700))
                .atMost(Duration.ofSeconds(3))
                .until(() -> subscriber.count() <= LIMIT + ONE_READ);
        int held = subscriber.count();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> subscriber.count() == held);
        assertThat(held).isLessThan(FLOOD);

        subscriber.drain(true);
        await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.count() == FLOOD + 1);
        List<Message> got = subscriber.messages();
        for (int i = 0; i < FLOOD; i++) {
            assertThat(index(got.get(i)))
                    .as("message %d, in order, none lost", i)
                    .isEqualTo(i);
        }
        // After the resume, QoS 1 is acknowledged as ever: PUBACK, remaining length 2, packet identifier 7.
        assertThat(read(4)).isEqualTo("40020007");
        await().atMost(Duration.ofSeconds(5)).until(() -> stats.publishersPausedNow() == 0);
        written.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPausedClientWithAShortKeepAliveIsNotDisconnectedForSilence() throws Exception {
        connect(1); // silent for 1.5 s while read from: disconnected (MQTT-3.1.2-24)
        OutputStream out = socket.getOutputStream();
        for (int i = 0; i < LIMIT; i++) {
            out.write(publish(i));
        }
        out.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.stats().publishersPausedNow() == 1);

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> broker.connectedClients() == 1);

        subscriber.drain(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.stats().publishersPausedNow() == 0);
        out.write(bytes(0xC0, 0x00)); // PINGREQ
        out.flush();
        assertThat(read(2)).isEqualTo("d000"); // PINGRESP
        // Read from again, the client is held to its keep-alive again: silence closes the connection.
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.connectedClients() == 0);
    }

    @Test
    void aClientThatLeavesWhilePausedLeavesNothingBehind() throws Exception {
        connect(60);
        OutputStream out = socket.getOutputStream();
        for (int i = 0; i < LIMIT; i++) {
            out.write(publish(i));
        }
        out.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.stats().publishersPausedNow() == 1);
        socket.close();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> broker.connectedClients() == 0 && broker.stats().publishersPausedNow() == 0);

        subscriber.drain(true); // runs the callback the gone connection left: it must do nothing
        connect(60);
        socket.getOutputStream().write(publish(LIMIT));
        socket.getOutputStream().flush();
        await().atMost(Duration.ofSeconds(5)).until(() -> subscriber.count() == LIMIT + 1);
        assertThat(broker.stats().publishersPausedTotal()).isEqualTo(1);
    }

    /** Opens a connection and completes an MQTT 3.1.1 CONNECT with the given keep-alive. */
    private void connect(int keepAliveSeconds) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), broker.port());
        socket.setSoTimeout(10_000); // a read that hangs fails the test instead
        OutputStream out = socket.getOutputStream();
        out.write(bytes(
                0x10,
                13, //                CONNECT, remaining length 13
                0x00,
                0x04,
                'M',
                'Q',
                'T',
                'T', // protocol name
                0x04, //                    protocol level 4 = 3.1.1
                0x02, //                    flags: clean session
                keepAliveSeconds >> 8,
                keepAliveSeconds & 0xFF, // keep-alive
                0x00,
                0x01,
                'f')); //       client identifier "f"
        out.flush();
        assertThat(read(4)).isEqualTo("20020000"); // CONNACK, accepted
    }

    /** PUBLISH QoS 0 to {@link #TOPIC}; the payload starts with {@code i} in eight digits. */
    private static byte[] publish(int i) {
        byte[] payload = new byte[PAYLOAD_BYTES];
        java.util.Arrays.fill(payload, (byte) '.');
        byte[] digits = ascii(String.format("%08d", i));
        System.arraycopy(digits, 0, payload, 0, digits.length);
        // PUBLISH QoS 0, remaining length 2 + 4 + 100 (one byte: under 128), topic, payload
        return concat(bytes(0x30, PACKET_BYTES - 2, 0x00, TOPIC.length()), ascii(TOPIC), payload);
    }

    private static int index(Message m) {
        return Integer.parseInt(new String(m.payload(), 0, 8, StandardCharsets.US_ASCII));
    }

    private String read(int n) throws IOException {
        byte[] b = new byte[n];
        new DataInputStream(socket.getInputStream()).readFully(b);
        return HexFormat.of().formatHex(b);
    }

    private static byte[] bytes(int... b) {
        byte[] a = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            a[i] = (byte) b[i];
        }
        return a;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
