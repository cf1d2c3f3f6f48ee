package dev.sedge.bench.knative;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import dev.sedge.bench.load.MqttClientGroup;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The adaptor against a scripted broker (raw MQTT bytes on a loopback socket) and a test HTTP sink:
 * each message becomes a binary-mode CloudEvent, and its PUBACK is written only after the sink's 2xx.
 */
@Timeout(60)
class MqttCloudEventAdaptorTest {

    private static final long WAIT_SECONDS = 20;

    private final BlockingQueue<Headers> requests = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final CountDownLatch secondAttemptArrived = new CountDownLatch(1);
    private final CountDownLatch releaseSecondAttempt = new CountDownLatch(1);
    private HttpServer sink;
    private ServerSocket broker;
    private CloudEventSender sender;
    private MqttClientGroup group;

    @BeforeEach
    void start() throws IOException {
        // The sink refuses the first attempt (503), and holds the second until the test releases it (200).
        sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        sink.createContext("/", exchange -> {
            try (exchange) {
                requests.add(exchange.getRequestHeaders());
                bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                if (attempts.incrementAndGet() == 1) {
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                secondAttemptArrived.countDown();
                try {
                    releaseSecondAttempt.await(WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.sendResponseHeaders(200, -1);
            }
        });
        sink.start();
        broker = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sender = new CloudEventSender(
                URI.create("http://127.0.0.1:" + sink.getAddress().getPort() + "/"), "mqtt://test");
        group = new MqttClientGroup("adaptor-test", 1);
    }

    @AfterEach
    void stop() throws IOException {
        releaseSecondAttempt.countDown();
        group.close();
        sender.close();
        broker.close();
        sink.stop(0);
    }

    @Test
    void postsACloudEventAndAcknowledgesOnlyAfterA2xx() throws Exception {
        MqttCloudEventAdaptor adaptor = new MqttCloudEventAdaptor("adaptor-1", "sensors/+", sender);
        group.connect("127.0.0.1", broker.getLocalPort(), adaptor, Duration.ofSeconds(WAIT_SECONDS));
        try (Socket s = broker.accept()) {
            s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();

            assertThat(readPacket(in)[0] & 0xF0).as("CONNECT").isEqualTo(0x10);
            out.write(new byte[] {0x20, 0x02, 0x00, 0x00}); // CONNACK, no session present, accepted
            byte[] subscribe = readPacket(in);
            assertThat(subscribe[0] & 0xFF).as("SUBSCRIBE").isEqualTo(0x82);
            out.write(new byte[] {
                (byte) 0x90,
                0x03, // SUBACK, remaining length 3
                subscribe[2],
                subscribe[3], // the SUBSCRIBE's packet identifier
                0x01 // granted QoS 1
            });
            out.write(new byte[] {
                0x32,
                0x0F, // PUBLISH, QoS 1, remaining length 15
                0x00,
                0x0A,
                's',
                'e',
                'n',
                's',
                'o',
                'r',
                's',
                '/',
                's',
                '1', // topic "sensors/s1"
                0x00,
                0x07, // packet identifier 7
                'h' // payload "h"
            });
            out.flush();
            assertThat(adaptor.subscribed()).succeedsWithin(Duration.ofSeconds(WAIT_SECONDS));

            assertThat(secondAttemptArrived.await(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isTrue();
            // The first attempt was answered 503 and the second is held: nothing may be acknowledged yet.
            assertThat(in.available()).as("bytes from the adaptor before a 2xx").isZero();

            releaseSecondAttempt.countDown();
            byte[] ack = new byte[4];
            in.readFully(ack);
            assertThat(ack).as("PUBACK of packet 7").containsExactly(0x40, 0x02, 0x00, 0x07);
        }

        Headers h = requests.take();
        assertThat(h.getFirst("ce-specversion")).isEqualTo("1.0");
        assertThat(h.getFirst("ce-id")).isNotBlank();
        assertThat(h.getFirst("ce-source")).isEqualTo("mqtt://test");
        assertThat(h.getFirst("ce-type")).isEqualTo(CloudEventSender.TYPE);
        assertThat(h.getFirst("ce-subject")).isEqualTo("sensors/s1");
        assertThat(h.getFirst("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(bodies.take()).isEqualTo("h");
        Headers retry = requests.take();
        assertThat(retry.getFirst("ce-id")).as("a retry is the same event").isEqualTo(h.getFirst("ce-id"));
    }

    /** One MQTT packet: the fixed header's first byte, the remaining length, then the rest, as read. */
    private static byte[] readPacket(DataInputStream in) throws IOException {
        int first = in.readUnsignedByte();
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        byte[] packet = new byte[2 + length];
        packet[0] = (byte) first;
        packet[1] = (byte) length; // enough for the short packets of this test
        in.readFully(packet, 2, length);
        return packet;
    }
}
