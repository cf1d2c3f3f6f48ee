package dev.sedge.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * The subscriber at the end of a latency benchmark's route: for each reply of the current phase it
 * records the time from the message's intended send time ({@link Stamp}) to now, which corrects for
 * coordinated omission, and counts replies, those received inside the measurement window apart.
 *
 * <p>Not sharable; all state is confined to the channel's event loop, reached through futures.
 */
final class ReplyRecorder extends MqttClientHandler {

    private static final int SUBSCRIBE_PACKET_ID = 1;
    /** Longest latency tracked: a minute, far past any phase's bound. */
    private static final long MAX_NANOS = 60_000_000_000L;

    /** A phase's replies: all of them, those received in the window, and the latencies of measured ones. */
    record Received(long received, long receivedInWindow, Histogram latencyNanos) {}

    private final String filter;
    private final LongSupplier nanoTime;
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private final Histogram latencies = new Histogram(MAX_NANOS, 3);

    private boolean acksPending;
    private int phase = -1;
    private long expected;
    private long windowStart;
    private long windowEnd;
    private long received;
    private long receivedInWindow;
    private Timeline timeline;
    private CompletableFuture<Void> all = new CompletableFuture<>();

    ReplyRecorder(String clientId, String filter, LongSupplier nanoTime) {
        super(clientId);
        this.filter = filter;
        this.nanoTime = nanoTime;
    }

    CompletableFuture<Void> subscribed() {
        return subscribed;
    }

    /**
     * Expects {@code expected} replies of {@code phase}, whose window is {@code [windowStart, windowEnd)}
     * in nanoTime, and also records each one in {@code timeline} unless it is null. The returned future
     * completes when all have come.
     */
    CompletableFuture<CompletableFuture<Void>> begin(
            int phase, long expected, long windowStart, long windowEnd, Timeline timeline) {
        CompletableFuture<CompletableFuture<Void>> ready = new CompletableFuture<>();
        ctx.executor().execute(() -> {
            this.phase = phase;
            this.timeline = timeline;
            this.expected = expected;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
            this.received = 0;
            this.receivedInWindow = 0;
            this.latencies.reset();
            this.all = new CompletableFuture<>();
            ready.complete(all);
        });
        return ready;
    }

    /** What the current phase received so far. */
    CompletableFuture<Received> snapshot() {
        CompletableFuture<Received> r = new CompletableFuture<>();
        ctx.executor().execute(() -> r.complete(new Received(received, receivedInWindow, latencies.copy())));
        return r;
    }

    @Override
    protected void read(ChannelHandlerContext context, MqttMessageType type, MqttMessage m) throws IOException {
        switch (type) {
            case PUBLISH -> {
                MqttPublishMessage p = (MqttPublishMessage) m;
                reply(p.payload());
                if (p.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                    context.write(MqttPackets.pubAck(p.variableHeader().packetId()), context.voidPromise());
                    acksPending = true;
                }
            }
            case CONNACK -> {
                MqttPackets.checkConnAck((MqttConnAckMessage) m, clientId);
                context.writeAndFlush(MqttPackets.subscribe(SUBSCRIBE_PACKET_ID, filter, MqttQoS.AT_LEAST_ONCE));
            }
            case SUBACK -> {
                int granted =
                        ((MqttSubAckMessage) m).payload().grantedQoSLevels().getFirst();
                if (granted != 1) {
                    throw new IOException("broker granted QoS " + granted + " instead of 1 on " + filter);
                }
                subscribed.complete(null);
            }
            default -> throw new IOException("unexpected " + type + " from the broker on " + clientId);
        }
    }

    private void reply(ByteBuf payload) throws IOException {
        if (payload.readableBytes() < Stamp.BYTES) {
            throw new IOException("a reply of " + payload.readableBytes() + " bytes carries no send time");
        }
        if (Stamp.phase(payload) != phase) {
            return; // a straggler of an earlier phase: it was counted as lost there
        }
        long now = nanoTime.getAsLong();
        received++;
        if (now >= windowStart && now < windowEnd) {
            receivedInWindow++;
        }
        long latency = now - Stamp.intendedNanos(payload);
        if (Stamp.measured(payload)) {
            latencies.recordValue(Math.min(Math.max(0, latency), MAX_NANOS));
        }
        if (timeline != null) {
            timeline.record(now, latency);
        }
        if (received >= expected) {
            all.complete(null);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        if (acksPending) {
            acksPending = false;
            context.flush();
        }
        context.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        IOException closed = new IOException("the broker closed subscriber connection " + clientId);
        subscribed.completeExceptionally(closed);
        all.completeExceptionally(closed);
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        subscribed.completeExceptionally(cause);
        all.completeExceptionally(cause);
        context.close();
    }
}
