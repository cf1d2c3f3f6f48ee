package dev.sedge.broker;

import static dev.sedge.broker.WireBytes.bytes;
import static dev.sedge.broker.WireBytes.written;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.broker.retain.RetainedMessages;
import dev.sedge.broker.router.Router;
import dev.sedge.broker.server.BrokerStats;
import dev.sedge.broker.server.ConnectionContext;
import dev.sedge.broker.server.MqttConnection;
import dev.sedge.broker.session.SessionLimits;
import dev.sedge.broker.session.SessionRegistry;
import dev.sedge.broker.store.BrokerStore;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The connection handler driven byte by byte, as a client's TCP stream would. */
@Timeout(10)
class ConnectionBytesTest {

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new MqttDecoder(1024), MqttEncoder.INSTANCE, new MqttConnection(context()));
    }

    private static ConnectionContext context() {
        Router router = new Router();
        BrokerStore store = BrokerStore.inMemory();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        SessionRegistry sessions =
                new SessionRegistry(store, router, SessionLimits.DEFAULT, timer, System::currentTimeMillis, m -> {});
        return new ConnectionContext(
                BrokerConfig.defaults(),
                router,
                sessions,
                new RetainedMessages(store, System::currentTimeMillis),
                new BrokerStats(),
                router::route,
                System::currentTimeMillis,
                BrokerSecurity.NONE);
    }

    /** CONNECT, MQTT 3.1.1, clean session, keep-alive 60, client id "c". */
    private static final int[] CONNECT_311 = {
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
        0x3C, //              keep-alive 60 s
        0x00,
        0x01,
        'c' //          client identifier "c"
    };

    @Test
    void connectIsAnsweredWithAnAcceptingConnack() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(CONNECT_311));
        // CONNACK, remaining length 2, no session present, return code 0 (accepted)
        assertThat(written(ch)).isEqualTo("20020000");
        assertThat(ch.isActive()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void pingreqIsAnsweredWithPingresp() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(CONNECT_311));
        written(ch);
        ch.writeInbound(bytes(0xC0, 0x00)); // PINGREQ
        assertThat(written(ch)).isEqualTo("d000"); // PINGRESP
        ch.finishAndReleaseAll();
    }

    @Test
    void aPacketBeforeConnectClosesTheConnection() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(0xC0, 0x00)); // PINGREQ first: MQTT-3.1.0-1
        assertThat(ch.isActive()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void anUnknownProtocolLevelIsRefusedWithReturnCode1() {
        EmbeddedChannel ch = channel();
        int[] connect = CONNECT_311.clone();
        connect[8] = 0x09; // protocol level 9 does not exist
        ch.writeInbound(bytes(connect));
        // CONNACK with return code 1: unacceptable protocol version (MQTT-3.1.2-2)
        assertThat(written(ch)).isEqualTo("20020001");
        ch.runPendingTasks();
        assertThat(ch.isActive()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void qos1PublishIsAcknowledgedWithItsPacketIdentifier() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(CONNECT_311));
        written(ch);
        ch.writeInbound(bytes(
                0x32,
                8, //                 PUBLISH, QoS 1, remaining length 8
                0x00,
                0x03,
                'a',
                '/',
                'b', // topic "a/b"
                0x12,
                0x34, //              packet identifier 0x1234
                'x' //                      payload
                ));
        assertThat(written(ch)).isEqualTo("40021234"); // PUBACK 0x1234
        ch.finishAndReleaseAll();
    }

    @Test
    void aWildcardInAPublishedTopicClosesTheConnection() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(CONNECT_311));
        written(ch);
        ch.writeInbound(bytes(0x30, 0x04, 0x00, 0x02, 'a', '+')); // PUBLISH QoS 0 to "a+"
        assertThat(ch.isActive()).isFalse();
        ch.finishAndReleaseAll();
    }

    /** CONNECT, MQTT 3.1.1, a will with QoS 3 (found by BrokerFuzzTest). */
    private static final int[] CONNECT_311_WILL_QOS_3 = {
        0x10,
        19, //                CONNECT, remaining length 19
        0x00,
        0x04,
        'M',
        'Q',
        'T',
        'T', // protocol name
        0x04, //                    protocol level 4 = 3.1.1
        0x1E, //                    flags: will QoS 3 (0x18), will flag (0x04), clean session (0x02)
        0x00,
        0x3C, //              keep-alive 60 s
        0x00,
        0x01,
        'c', // client identifier "c"
        0x00,
        0x01,
        'w', // will topic "w"
        0x00,
        0x01,
        'x' //          will message "x"
    };

    @Test
    void aWillWithQos3IsMalformedAndClosesTheConnection() {
        ConnectionContext context = context();
        EmbeddedChannel ch =
                new EmbeddedChannel(new MqttDecoder(1024), MqttEncoder.INSTANCE, new MqttConnection(context));
        ch.writeInbound(bytes(CONNECT_311_WILL_QOS_3));
        // MQTT-3.1.2-14: 3.1.1 has no CONNACK code for it; the connection closes without one.
        assertThat(ch.outboundMessages()).isEmpty();
        assertThat(ch.isActive()).isFalse();
        assertThat(context.stats().malformed()).isEqualTo(1);
        assertThat(context.sessions().connectedCount()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void anMqtt5WillWithQos3IsRefusedWithReasonCode0x81() {
        ConnectionContext context = context();
        EmbeddedChannel ch =
                new EmbeddedChannel(new MqttDecoder(1024), MqttEncoder.INSTANCE, new MqttConnection(context));
        ch.writeInbound(bytes(
                0x10,
                21, //                CONNECT, remaining length 21
                0x00,
                0x04,
                'M',
                'Q',
                'T',
                'T', // protocol name
                0x05, //                    protocol level 5
                0x1E, //                    flags: will QoS 3, will flag, clean start
                0x00,
                0x3C, //              keep-alive 60 s
                0x00, //                    properties: none
                0x00,
                0x01,
                'c', //         client identifier "c"
                0x00, //                    will properties: none
                0x00,
                0x01,
                'w', //         will topic "w"
                0x00,
                0x01,
                'x' //          will message "x"
                ));
        // CONNACK (0x20, one length byte), flags 0x00, reason 0x81 malformed packet, then a reason string
        assertThat(written(ch))
                .startsWith("20")
                .satisfies(h -> assertThat(h.substring(4, 8)).isEqualTo("0081"));
        ch.runPendingTasks();
        assertThat(ch.isActive()).isFalse();
        assertThat(context.stats().malformed()).isEqualTo(1);
        ch.finishAndReleaseAll();
    }

    /** CONNECT, MQTT 5, clean start, keep-alive 60, no properties, client id "c". */
    private static final int[] CONNECT_5 = {
        0x10,
        14, //                fixed header: CONNECT, remaining length 14
        0x00,
        0x04,
        'M',
        'Q',
        'T',
        'T', // protocol name
        0x05, //                    protocol level 5
        0x02, //                    flags: clean start
        0x00,
        0x3C, //              keep-alive 60 s
        0x00, //                    properties: none
        0x00,
        0x01,
        'c' //          client identifier "c"
    };

    @Test
    void anInvalidFilterGetsReasonCode0x8FAndTheConnectionStays() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(CONNECT_5));
        assertThat(written(ch)).startsWith("20").contains("0000"); // CONNACK, reason 0 (success)
        ch.writeInbound(bytes(
                0x82,
                11, //                SUBSCRIBE, remaining length 11
                0x00,
                0x01, //              packet identifier 1
                0x00, //                    properties: none
                0x00,
                0x05,
                'a',
                '/',
                '#',
                '/',
                'b', // filter "a/#/b": '#' not last
                0x01 //                     options: QoS 1
                ));
        // SUBACK, remaining length 4, packet id 1, no properties, reason 0x8F topic filter invalid
        assertThat(written(ch)).isEqualTo("90040001008f");
        assertThat(ch.isActive()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void anUnknownTopicAliasIsAProtocolError() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(CONNECT_5));
        written(ch);
        ch.writeInbound(bytes(
                0x30,
                0x07, //              PUBLISH QoS 0, remaining length 7
                0x00,
                0x00, //              empty topic name: the alias stands for it
                0x03,
                0x23,
                0x00,
                0x05, //  properties (3 bytes): Topic Alias (0x23) = 5, never set
                'x' //                      payload
                ));
        assertThat(written(ch)).startsWith("e0").contains("82"); // DISCONNECT, 0x82 protocol error
        ch.runPendingTasks();
        assertThat(ch.isActive()).isFalse();
        ch.finishAndReleaseAll();
    }

    /** CONNECT, MQTT 5, clean start off, Session Expiry Interval 300, client id "c". */
    private static final int[] CONNECT_5_PERSISTENT = {
        0x10,
        19, //                CONNECT, remaining length 19
        0x00,
        0x04,
        'M',
        'Q',
        'T',
        'T', // protocol name
        0x05, //                    protocol level 5
        0x00, //                    flags: clean start off
        0x00,
        0x00, //              keep-alive off
        0x05,
        0x11,
        0x00,
        0x00,
        0x01,
        0x2C, // properties (5 bytes): Session Expiry Interval = 300
        0x00,
        0x01,
        'c' //          client identifier "c"
    };

    @Test
    void anUnacknowledgedPublishIsResentWithDupAndTheSameIdentifier() {
        ConnectionContext context = context();
        EmbeddedChannel first =
                new EmbeddedChannel(new MqttDecoder(1024), MqttEncoder.INSTANCE, new MqttConnection(context));
        first.writeInbound(bytes(CONNECT_5_PERSISTENT));
        // CONNACK (0x20, one length byte), flags 0x00: no session present, reason 0x00: success
        assertThat(written(first))
                .startsWith("20")
                .satisfies(h -> assertThat(h.substring(4, 8)).isEqualTo("0000"));
        first.writeInbound(bytes(
                0x82,
                0x07, //              SUBSCRIBE, remaining length 7
                0x00,
                0x07, //              packet identifier 7
                0x00, //                    properties: none
                0x00,
                0x01,
                't', //         filter "t"
                0x01 //                     QoS 1
                ));
        first.runPendingTasks();
        assertThat(written(first)).isEqualTo("9004000700" + "01"); // SUBACK id 7, granted QoS 1
        context.router().route(new Message("t", new byte[] {'x'}, 1, false, Message.MessageProperties.NONE, "p"));
        first.runPendingTasks();
        // PUBLISH QoS 1, DUP off: 0x32, remaining 7, topic "t", packet id 1, no properties, 'x'
        assertThat(written(first)).isEqualTo("3207" + "000174" + "0001" + "00" + "78");
        first.close(); // dropped before PUBACK

        EmbeddedChannel second =
                new EmbeddedChannel(new MqttDecoder(1024), MqttEncoder.INSTANCE, new MqttConnection(context));
        second.writeInbound(bytes(CONNECT_5_PERSISTENT));
        // CONNACK, flags 0x01: session present, reason 0x00
        assertThat(written(second)).satisfies(h -> assertThat(h.substring(4, 8)).isEqualTo("0100"));
        second.runPendingTasks();
        // The same PUBLISH again with DUP set (0x3A) and the same packet identifier (MQTT-4.4.0-1)
        assertThat(written(second)).isEqualTo("3a07" + "000174" + "0001" + "00" + "78");
        second.finishAndReleaseAll();
        first.finishAndReleaseAll();
    }

    @Test
    void anUnsubscribeWithoutFiltersIsAProtocolError() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(CONNECT_5));
        written(ch);
        ch.writeInbound(bytes(
                0xA2,
                0x03, //              UNSUBSCRIBE, remaining length 3
                0x00,
                0x02, //              packet identifier 2
                0x00 //                     properties: none; then no topic filter at all (MQTT-3.10.3-2)
                ));
        assertThat(written(ch)).startsWith("e0").contains("82"); // DISCONNECT, 0x82 protocol error
        ch.runPendingTasks();
        assertThat(ch.isActive()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void aResponseTopicWithAWildcardIsAProtocolError() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(CONNECT_5));
        written(ch);
        ch.writeInbound(bytes(
                0x30,
                0x0B, //              PUBLISH QoS 0, remaining length 11
                0x00,
                0x01,
                't', //               topic "t"
                0x06, //              properties: 6 bytes
                0x08, //              Response Topic
                0x00,
                0x03,
                'r',
                '/',
                '#', //               "r/#": a wildcard where a topic name belongs
                'x' //                payload
                ));
        assertThat(written(ch)).startsWith("e0").contains("82"); // MQTT-3.3.2-14
        ch.runPendingTasks();
        assertThat(ch.isActive()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void willQosWithoutAWillIsRefusedAsMalformed() {
        EmbeddedChannel ch = channel();
        int[] connect = CONNECT_5.clone();
        connect[9] = 0x02 | 0x08; //   flags: clean start and Will QoS 1, but no Will Flag (MQTT-3.1.2-11)
        ch.writeInbound(bytes(connect));
        // CONNACK with reason 0x81 malformed packet
        assertThat(written(ch)).satisfies(h -> assertThat(h.substring(6, 8)).isEqualTo("81"));
        ch.runPendingTasks();
        assertThat(ch.isActive()).isFalse();
        ch.finishAndReleaseAll();
    }
}
