package dev.sedge.broker;

import static dev.sedge.broker.WireBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.broker.retain.RetainedMessages;
import dev.sedge.broker.router.Backlog;
import dev.sedge.broker.router.Router;
import dev.sedge.broker.router.Subscriber;
import dev.sedge.broker.router.TestBacklog;
import dev.sedge.broker.server.BrokerStats;
import dev.sedge.broker.server.ConnectionContext;
import dev.sedge.broker.server.MqttConnection;
import dev.sedge.broker.session.SessionRegistry;
import dev.sedge.broker.store.BrokerStore;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client connection stops being read while a subscriber's backlog is full, driven byte by byte. */
@Timeout(10)
class BackPressureBytesTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final TestBacklog backlog = new TestBacklog(false);
    /** What the subscriber's deliveries return: the QoS 1 acknowledgement waits for it. */
    private CompletableFuture<Void> handled = Subscriber.DONE;
    /** Messages the subscriber was given. */
    private final java.util.concurrent.atomic.AtomicInteger delivered = new java.util.concurrent.atomic.AtomicInteger();

    private ConnectionContext context;
    private EmbeddedChannel ch;

    /** A connection to a broker with one subscriber on "t", whose backlog is {@link #backlog}. */
    private void connect(BrokerConfig config, int[] connect) {
        Router router = new Router();
        BrokerStore store = BrokerStore.inMemory();
        SessionRegistry sessions =
                new SessionRegistry(store, router, config.sessionLimits(), timer, System::currentTimeMillis, m -> {});
        context = new ConnectionContext(
                config,
                router,
                sessions,
                new RetainedMessages(store, System::currentTimeMillis),
                new BrokerStats(),
                router::route,
                System::currentTimeMillis,
                BrokerSecurity.NONE);
        router.subscribe(new Router.Subscription(
                "t",
                1,
                new Subscriber() {
                    @Override
                    public CompletableFuture<Void> deliver(Message message, int qos) {
                        delivered.incrementAndGet();
                        return handled;
                    }

                    @Override
                    public Backlog backlog() {
                        return backlog;
                    }
                },
                null,
                false));
        ch = new EmbeddedChannel(new MqttDecoder(1024), MqttEncoder.INSTANCE, new MqttConnection(context));
        ch.freezeTime();
        ch.writeInbound(bytes(connect));
        assertThat(written()).isEqualTo("20020000"); // CONNACK, accepted
    }

    @AfterEach
    void close() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
        timer.shutdownNow();
    }

    private String written() {
        return WireBytes.written(ch);
    }

    /** CONNECT, MQTT 3.1.1, clean session, keep-alive 1 s, client id "c". */
    private static final int[] CONNECT_311_KEEP_ALIVE_1 = {
        0x10,
        13, //                fixed header: CONNECT, remaining length 13
        0x00,
        0x04,
        'M',
        'Q',
        'T',
        'T', // protocol name
        0x04, //                    protocol level 4 = 3.1.1
        0x02, //                    flags: clean session
        0x00,
        0x01, //              keep-alive 1 s: silence of 1.5 s closes the connection
        0x00,
        0x01,
        'c' //          client identifier "c"
    };

    /** PUBLISH QoS 0 to "t", payload "x". */
    private static final int[] PUBLISH_QOS_0 = {
        0x30,
        4, //                 PUBLISH, QoS 0, remaining length 4
        0x00,
        0x01,
        't', //         topic "t"
        'x' //                      payload
    };

    /** PUBLISH QoS 1 to "t" with packet identifier {@code id}, payload "x". */
    private static int[] publishQos1(int id) {
        return new int[] {
            0x32,
            6, //                 PUBLISH, QoS 1, remaining length 6
            0x00,
            0x01,
            't', //         topic "t"
            0x00,
            id, //                packet identifier
            'x' //                      payload
        };
    }

    @Test
    void aQos0PublishIntoAFullBacklogStopsReadingUntilItDrains() {
        connect(BrokerConfig.defaults(), CONNECT_311_KEEP_ALIVE_1);
        backlog.fill();

        ch.writeInbound(bytes(PUBLISH_QOS_0));
        assertThat(ch.config().isAutoRead()).isFalse();
        assertThat(context.stats().publishersPausedTotal()).isEqualTo(1);
        assertThat(context.stats().publishersPausedNow()).isEqualTo(1);

        // What was read already is handled, and does not watch the same backlog twice.
        ch.writeInbound(bytes(PUBLISH_QOS_0));
        assertThat(backlog.registrations()).isEqualTo(1);

        backlog.drain();
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(context.stats().publishersPausedNow()).isZero();
        assertThat(context.stats().publishersPausedTotal()).isEqualTo(1);
    }

    @Test
    void qos0PacketsDecodedAfterReadingStoppedWaitInTheConnectionUntilTheBacklogDrains() {
        connect(BrokerConfig.defaults(), CONNECT_311_KEEP_ALIVE_1);
        backlog.fill();
        ch.writeInbound(bytes(PUBLISH_QOS_0)); // into the full backlog: reading stops
        assertThat(delivered).hasValue(1);

        // What one read had decoded already still arrives: it waits instead of piling into the backlog.
        ch.writeInbound(bytes(PUBLISH_QOS_0));
        ch.writeInbound(bytes(PUBLISH_QOS_0));
        ch.writeInbound(bytes(PUBLISH_QOS_0));
        assertThat(delivered).hasValue(1);

        // The client half-closes: the connection stays until what it sent is read.
        ch.pipeline().fireUserEventTriggered(io.netty.channel.socket.ChannelInputShutdownEvent.INSTANCE);
        assertThat(ch.isOpen()).isTrue();

        backlog.drain();
        ch.runPendingTasks();
        assertThat(delivered).hasValue(4);
        assertThat(ch.isOpen()).as("closed once everything was read").isFalse();
    }

    @Test
    void aQos1PublishIntoAFullBacklogIsAcknowledgedAndStopsReading() {
        connect(BrokerConfig.defaults(), CONNECT_311_KEEP_ALIVE_1);
        backlog.fill();

        ch.writeInbound(bytes(publishQos1(0x05)));
        assertThat(written()).isEqualTo("40020005"); // PUBACK 5: the subscriber took it
        assertThat(ch.config().isAutoRead()).isFalse();

        backlog.drain();
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).isTrue();
    }

    @Test
    void receiveMaximumThenBacklogClearResumesOnlyAfterBoth() {
        CompletableFuture<Void> slow = pausedForBothReasons();

        slow.complete(null);
        ch.runPendingTasks();
        // PUBACK 1 and 2, in the order the subscriber's future runs its callbacks: the receive maximum lets go
        assertThat(List.of(written(), written())).containsExactlyInAnyOrder("40020001", "40020002");
        assertThat(ch.config().isAutoRead())
                .as("the full backlog still holds it")
                .isFalse();

        backlog.drain();
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).isTrue();
    }

    @Test
    void backlogThenReceiveMaximumClearResumesOnlyAfterBoth() {
        CompletableFuture<Void> slow = pausedForBothReasons();

        backlog.drain();
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead())
                .as("the receive maximum still holds it")
                .isFalse();
        assertThat(context.stats().publishersPausedNow()).isZero();

        slow.complete(null);
        ch.runPendingTasks();
        assertThat(List.of(written(), written())).containsExactlyInAnyOrder("40020001", "40020002");
        assertThat(ch.config().isAutoRead()).isTrue();
    }

    /** A 3.1.1 client over a receive maximum of 1, into a full backlog whose subscriber holds the PUBACKs. */
    private CompletableFuture<Void> pausedForBothReasons() {
        connect(BrokerConfig.defaults().withReceiveMaximum(1), CONNECT_311_KEEP_ALIVE_1);
        CompletableFuture<Void> slow = new CompletableFuture<>();
        handled = slow;
        backlog.fill();
        ch.writeInbound(bytes(publishQos1(0x01))); // into the full backlog: paused
        ch.writeInbound(bytes(publishQos1(0x02))); // a second unacknowledged: over the receive maximum
        assertThat(ch.config().isAutoRead()).isFalse();
        assertThat(ch.outboundMessages())
                .as("no PUBACK before the subscriber is done")
                .isEmpty();
        return slow;
    }

    @Test
    void aClientPausedLongerThanItsKeepAliveIsNotDisconnectedForSilence() {
        connect(BrokerConfig.defaults(), CONNECT_311_KEEP_ALIVE_1);
        backlog.fill();
        ch.writeInbound(bytes(PUBLISH_QOS_0));

        ch.advanceTimeBy(10, TimeUnit.SECONDS); // more than six keep-alive timeouts, not read from
        ch.runScheduledPendingTasks();
        assertThat(ch.isActive()).isTrue();

        backlog.drain();
        ch.runPendingTasks();
        ch.advanceTimeBy(1400, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isActive())
                .as("the silence clock restarted when reading resumed")
                .isTrue();
        ch.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isActive())
                .as("silent for 1.5 s while read from: MQTT-3.1.2-24")
                .isFalse();
    }

    @Test
    void aClientPausedForTheReceiveMaximumIsNotDisconnectedForSilence() {
        connect(BrokerConfig.defaults().withReceiveMaximum(1), CONNECT_311_KEEP_ALIVE_1);
        CompletableFuture<Void> slow = new CompletableFuture<>();
        handled = slow;
        ch.writeInbound(bytes(publishQos1(0x01)));
        ch.writeInbound(bytes(publishQos1(0x02)));
        assertThat(ch.config().isAutoRead()).isFalse();

        ch.advanceTimeBy(10, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isActive()).isTrue();
        slow.complete(null);
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).isTrue();
    }

    @Test
    void aConnectionClosedWhilePausedLeavesNothingBehind() {
        connect(BrokerConfig.defaults(), CONNECT_311_KEEP_ALIVE_1);
        backlog.fill();
        ch.writeInbound(bytes(PUBLISH_QOS_0));
        assertThat(context.stats().publishersPausedNow()).isEqualTo(1);

        ch.close();
        assertThat(context.stats().publishersPausedNow()).isZero();
        assertThat(context.sessions().connectedCount()).isZero();

        backlog.drain(); // the callback the closed connection left with the backlog: harmless
        ch.runPendingTasks();
        assertThat(context.stats().publishersPausedNow()).isZero();
        assertThat(context.stats().publishersPausedTotal()).isEqualTo(1);
    }
}
