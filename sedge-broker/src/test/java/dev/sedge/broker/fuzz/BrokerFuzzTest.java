package dev.sedge.broker.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sedge.broker.BrokerConfig;
import dev.sedge.broker.BrokerSecurity;
import dev.sedge.broker.MqttBroker;
import dev.sedge.broker.auth.AclFile;
import dev.sedge.broker.auth.PasswordAuthenticator;
import dev.sedge.broker.auth.PasswordHash;
import dev.sedge.broker.auth.UsersFile;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import org.assertj.core.api.SoftAssertions;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A million and more valid, damaged and random MQTT packets must not crash the broker, leak a buffer,
 * or disturb a well-behaved client. Most go through embedded channels built like the broker's pipeline
 * (fast, deterministic, every buffer checked); tens of thousands go over real sockets to two running
 * brokers, one open and one with users and ACLs, while two Paho clients exchange QoS 1 messages through
 * the open one.
 *
 * <p>The seed is fixed; {@code -Dsedge.fuzz.seed=N} runs another one. Every finding names the seed,
 * and embedded findings the packets that led to them.
 */
class BrokerFuzzTest {

    private static final long SEED_DEFAULT = 0x5ED6E_F022L;
    private static final long EMBEDDED_PACKETS = 1_000_000;
    private static final long SOCKET_PACKETS = 60_000;
    private static final int SOCKET_PARALLEL = 6;
    /** Fuzzing stops here whatever the counts; the test then fails for packets it did not send. */
    private static final Duration FUZZ_DEADLINE = Duration.ofSeconds(200);

    @Test
    @Timeout(300)
    void garbageNeverCrashesLeaksOrDisturbsOtherClients() throws Exception {
        long seed = Long.getLong("sedge.fuzz.seed", SEED_DEFAULT);
        String run = "fuzz seed " + seed + " (replay with -Dsedge.fuzz.seed=" + seed + ")";
        System.out.println(run);
        // The log watch reads Netty through java.util.logging; with another backend it would hear nothing.
        assertThat(InternalLoggerFactory.getDefaultFactory())
                .as("Netty logs through java.util.logging in this build")
                .isInstanceOf(JdkLoggerFactory.class);

        long started = System.nanoTime();
        PacketCorpus corpus = PacketCorpus.build(new Random(seed), 400);
        SoftAssertions softly = new SoftAssertions();
        try (LogWatch log = LogWatch.install(BrokerFuzzTest::expected, "dev.sedge.broker", "io.netty");
                LeakWatch leaks = LeakWatch.install()) {
            leaks.leakCanaryAndAwaitItsReport(Duration.ofSeconds(30)); // the leak check can hear a leak

            MqttBroker open = new MqttBroker(BrokerConfig.defaults().withPort(0));
            MqttBroker secured = new MqttBroker(BrokerConfig.defaults().withPort(0), security());
            EmbeddedFuzzer.Result embedded;
            SocketFuzzer.Result sockets;
            long embeddedSeconds;
            long socketSeconds;
            try {
                open.start();
                secured.start();
                String openUrl = "tcp://127.0.0.1:" + open.port();
                try (SteadyClients steady = SteadyClients.start(openUrl)) {
                    long deadline = System.nanoTime() + FUZZ_DEADLINE.toNanos();
                    SocketFuzzer socketFuzzer = new SocketFuzzer(
                            corpus,
                            seed,
                            List.of(
                                    new InetSocketAddress("127.0.0.1", open.port()),
                                    new InetSocketAddress("127.0.0.1", open.port()),
                                    new InetSocketAddress("127.0.0.1", open.port()),
                                    new InetSocketAddress("127.0.0.1", secured.port())));
                    CompletableFuture<SocketFuzzer.Result> overSockets = CompletableFuture.supplyAsync(
                            () -> socketFuzzer.run(SOCKET_PARALLEL, SOCKET_PACKETS, deadline),
                            r -> Thread.ofPlatform().name("socket-fuzzer").start(r));
                    long fuzzing = System.nanoTime();
                    embedded = new EmbeddedFuzzer(corpus, seed, log).run(EMBEDDED_PACKETS, deadline);
                    embeddedSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - fuzzing);
                    sockets = overSockets.get(FUZZ_DEADLINE.toSeconds() + 30, TimeUnit.SECONDS);
                    socketSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - fuzzing);

                    int steadyMessages = steady.stop(Duration.ofSeconds(30));
                    softly.assertThat(steady.trouble())
                            .as("the steady clients were never disconnected nor refused")
                            .isNull();
                    softly.assertThat(steady.bothConnected())
                            .as("the steady clients are connected")
                            .isTrue();
                    softly.assertThat(steady.missing())
                            .as("steady messages lost of " + steadyMessages)
                            .isEqualTo("none");
                    softly.assertThat(steadyMessages)
                            .as("steady messages exchanged")
                            .isPositive();

                    // Every fuzzing connection is gone: none is stuck half-open or half-authenticated.
                    awaitQuietly(() -> open.connectedClients() == 2 && secured.connectedClients() == 0);
                    softly.assertThat(open.connectedClients())
                            .as("clients on the open broker (the steady two)")
                            .isEqualTo(2);
                    softly.assertThat(secured.connectedClients())
                            .as("clients on the secured broker")
                            .isZero();
                }
                softly.assertThat(roundTrip(open, null))
                        .as("open broker routes after fuzzing")
                        .isEqualTo("after");
                softly.assertThat(roundTrip(secured, PacketCorpus.USER))
                        .as("secured broker routes after fuzzing")
                        .isEqualTo("after");
                softly.assertThat(open.stats().malformed() + secured.stats().malformed())
                        .as("malformed packets the running brokers saw")
                        .isPositive();
            } finally {
                open.close();
                secured.close();
            }

            // Everything is closed now: any buffer not released is garbage, and a later canary flushes it out.
            leaks.leakCanaryAndAwaitItsReport(Duration.ofSeconds(30));
            softly.assertThat(leaks.leaks()).as("buffer leaks Netty reported").isEmpty();
            softly.assertThat(log.problems().stream().map(LogWatch::describe).toList())
                    .as("warnings and errors logged by the broker or Netty")
                    .isEmpty();
            softly.assertThat(embedded.findings())
                    .as("findings in embedded channels")
                    .isEmpty();
            softly.assertThat(embedded.malformed())
                    .as("malformed packets embedded brokers saw")
                    .isPositive();
            softly.assertThat(embedded.published())
                    .as("PUBLISH packets embedded brokers took")
                    .isPositive();
            softly.assertThat(embedded.packets() + sockets.packets())
                    .as("packets sent in all")
                    .isGreaterThanOrEqualTo(EMBEDDED_PACKETS);
            softly.assertThat(sockets.packets()).as("packets sent over sockets").isGreaterThanOrEqualTo(50_000);

            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            System.out.printf(
                    "%s: %,d packets in %d s: %,d through %,d embedded connections in %d s (%,d PUBLISH taken),"
                            + " %,d over %,d sockets in %d s (%,d cut by the broker); malformed: %,d embedded, %,d"
                            + " open broker, %,d secured broker%n",
                    run,
                    embedded.packets() + sockets.packets(),
                    seconds,
                    embedded.packets(),
                    embedded.connections(),
                    embeddedSeconds,
                    embedded.published(),
                    sockets.packets(),
                    sockets.connections(),
                    socketSeconds,
                    sockets.resets(),
                    embedded.malformed(),
                    open.stats().malformed(),
                    secured.stats().malformed());
        }
        try {
            softly.assertAll();
        } catch (AssertionError e) {
            throw new AssertionError(run + ":\n" + e.getMessage(), e);
        }
    }

    /** What brokers may log under attack: a full queue of a fuzzing client's session is not a fault. */
    private static boolean expected(LogRecord r) {
        String message = r.getMessage();
        return message != null && message.contains("messages queued, the limit");
    }

    /** Users file with the fuzzer's user, and an ACL that allows some of the corpus's topics and not others. */
    private static BrokerSecurity security() throws Exception {
        UsersFile users = UsersFile.parse(
                Path.of("users"),
                List.of(PacketCorpus.USER + ":"
                        + PasswordHash.create(
                                        PacketCorpus.PASSWORD.getBytes(StandardCharsets.UTF_8),
                                        PasswordHash.ITERATIONS_MIN,
                                        new SecureRandom())
                                .encoded()));
        return new BrokerSecurity(
                new PasswordAuthenticator(users, true, false, new SecureRandom()),
                AclFile.parse(
                        Path.of("acl"),
                        List.of(
                                "everyone",
                                "topic readwrite fz/+",
                                "topic read $SYS/#",
                                "user " + PacketCorpus.USER,
                                "topic readwrite fz/#",
                                "topic readwrite sensors/#")),
                null);
    }

    /** A new client connects, subscribes, publishes and gets its message back. */
    private static String roundTrip(MqttBroker broker, String user) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + broker.port(), "after-fuzz", new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setConnectionTimeout(10);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(PacketCorpus.PASSWORD.getBytes(StandardCharsets.UTF_8));
        }
        c.connect(o);
        try {
            BlockingQueue<String> got = new ArrayBlockingQueue<>(1);
            c.subscribe(new MqttSubscription[] {new MqttSubscription("fz/after", 1)}, new IMqttMessageListener[] {
                (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8))
            });
            MqttMessage m = new MqttMessage("after".getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            c.publish("fz/after", m);
            return got.poll(10, TimeUnit.SECONDS);
        } finally {
            c.disconnect();
            c.close();
        }
    }

    private static void awaitQuietly(java.util.concurrent.Callable<Boolean> condition) {
        try {
            await().atMost(Duration.ofSeconds(20)).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the soft assertions that follow say what is wrong
        }
    }
}
