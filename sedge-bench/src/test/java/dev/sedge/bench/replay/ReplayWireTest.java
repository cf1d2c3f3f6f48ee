package dev.sedge.bench.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.bench.load.MqttPackets;
import dev.sedge.scaling.sim.Trace;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The replay's two connections on embedded channels and a mock clock: the publisher sends each event at
 * its due time from one timer and records what it sent late; the subscriber matches replies to events.
 */
class ReplayWireTest {

    private static final long MS = 1_000_000;

    private final MockTicker ticker = Ticker.newMockTicker();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private EmbeddedChannel channel(io.netty.channel.ChannelHandler handler) {
        EmbeddedChannel ch =
                EmbeddedChannel.builder().ticker(ticker).handlers(handler).build();
        channels.add(ch);
        MqttMessage connect = ch.readOutbound();
        assertThat(connect.fixedHeader().messageType()).isEqualTo(MqttMessageType.CONNECT);
        ch.writeInbound(MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .build());
        return ch;
    }

    /** The PUBLISH packets written since the last call, as "topic#event". */
    private static List<String> published(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        for (MqttMessage m = ch.readOutbound(); m != null; m = ch.readOutbound()) {
            MqttPublishMessage p = (MqttPublishMessage) m;
            assertThat(p.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
            out.add(p.variableHeader().topicName() + "#" + p.payload().getLong(0));
            p.release();
        }
        return out;
    }

    @Test
    void eventsGoOutAtTheirDueTimesAndWhatTheTimerSendsLateIsCountedLate() {
        // Events at 0, 100 ms, 100 ms and 1 s of trace time, replayed at speed 1.
        Trace trace = new Trace("t", List.of("a", "b"), new int[] {0, 1, 0, 1}, new long[] {0, 100, 100, 1000});
        ReplayLedger ledger = new ReplayLedger(4);
        TracePublisher publisher = new TracePublisher(
                "p",
                Schedule.of(trace, 1, 0),
                new String[] {"sensors/a/events", "sensors/b/events"},
                ledger,
                ticker::nanoTime);
        EmbeddedChannel ch = channel(publisher);
        assertThat(publisher.connected()).isDone();

        publisher.begin(ticker.nanoTime());
        ch.runPendingTasks();
        assertThat(published(ch)).containsExactly("sensors/a/events#0");

        ticker.advance(99, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(published(ch)).isEmpty();
        ticker.advance(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(published(ch)).containsExactly("sensors/b/events#1", "sensors/a/events#2");

        // The timer wakes 600 ms after the last event was due: it is sent then, and counted late.
        ticker.advance(1500, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(published(ch)).containsExactly("sensors/b/events#3");
        ReplayLedger.Tally t = ledger.tally();
        assertThat(t.sent()).isEqualTo(4);
        assertThat(t.lateSends()).isEqualTo(1);
        assertThat(t.maxLagNanos()).isEqualTo(600 * MS);

        for (int id = 1; id <= 4; id++) {
            ch.writeInbound(MqttPackets.pubAck(id));
        }
        assertThat(ledger.tally().acked()).isEqualTo(4);
    }

    @Test
    void eachReplyIsTimedOnceFromItsEventsSendAndTheRunCompletesWithTheLast() {
        ReplayLedger ledger = new ReplayLedger(2);
        ledger.sent(0, 1_000 * MS, 0);
        ledger.sent(1, 1_200 * MS, 0);
        ReplySubscriber subscriber = new ReplySubscriber("s", "sedge-replay/r/+", ledger, ticker::nanoTime);
        EmbeddedChannel ch = channel(subscriber);
        MqttMessage subscribe = ch.readOutbound();
        assertThat(subscribe.fixedHeader().messageType()).isEqualTo(MqttMessageType.SUBSCRIBE);
        ch.writeInbound(MqttMessageBuilders.subAck()
                .packetId(1)
                .addGrantedQos(MqttQoS.AT_LEAST_ONCE)
                .build());
        assertThat(subscriber.subscribed()).isDone();

        ticker.advance(1_000 * MS + 5 * MS - ticker.nanoTime(), TimeUnit.NANOSECONDS); // 5 ms after event 0
        ch.writeInbound(reply(7, 0));
        ch.writeInbound(reply(8, 0)); // a redelivery: not timed again
        ch.writeInbound(reply(9, 42)); // no such event
        assertThat(ledger.allReplied()).isNotDone();
        ticker.advance(200 * MS, TimeUnit.NANOSECONDS); // 5 ms after event 1
        ch.writeInbound(reply(10, 1));

        assertThat(ledger.allReplied()).isDone();
        ReplayLedger.Tally t = ledger.tally();
        assertThat(t.replied()).isEqualTo(2);
        assertThat(t.duplicateReplies()).isEqualTo(1);
        assertThat(t.unknownReplies()).isEqualTo(1);
        assertThat(t.latencyNanos().getTotalCount()).isEqualTo(2);
        assertThat(t.latencyNanos().getMaxValue()).isBetween(4_990_000L, 5_010_000L);
        // Every QoS 1 reply is acknowledged.
        List<Integer> acked = new ArrayList<>();
        for (MqttMessage m = ch.readOutbound(); m != null; m = ch.readOutbound()) {
            acked.add(MqttPackets.packetId(m));
        }
        assertThat(acked).containsExactly(7, 8, 9, 10);
    }

    private static MqttPublishMessage reply(int packetId, long event) {
        return MqttPackets.publish(
                "sedge-replay/r/001",
                MqttQoS.AT_LEAST_ONCE,
                packetId,
                Unpooled.buffer(8).writeLong(event));
    }
}
