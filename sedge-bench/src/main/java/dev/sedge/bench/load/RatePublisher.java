package dev.sedge.bench.load;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * An open-loop publisher: message {@code i} of a phase is due at {@code start + i / rate}, whatever the
 * broker does, and carries that intended time in its payload ({@link Stamp}), so that a latency measured
 * from it includes any delay in sending (no coordinated omission). Messages are QoS 1; a PUBACK only
 * frees the packet identifier. When the generator falls behind (the socket is not writable, every
 * identifier is in flight, the event loop was late), due messages go out as soon as it can, and the
 * phase's achieved rate and largest lag show it.
 *
 * <p>Not sharable; all state is confined to the channel's event loop, reached through futures.
 */
final class RatePublisher extends MqttClientHandler {

    /** Below the 65,535 packet identifiers, so a free one is always found quickly. */
    static final int MAX_IN_FLIGHT = 60_000;

    /** How soon a blocked publisher (no identifier free, socket full) looks again. */
    private static final long BLOCKED_RETRY_NANOS = 50_000;

    /** What a phase sent: counts, and how well the generator kept the offered rate in the window. */
    record Sent(long sent, long acked, double achievedRatePerSecond, long maxLagNanos, long p99LagNanos) {}

    private final String topic;
    private final int payloadBytes;
    private final LongSupplier nanoTime;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final PacketIds ids = new PacketIds();

    private long acked;

    // The current phase.
    private CompletableFuture<Sent> phaseDone;
    private int phase;
    private long startNanos;
    private double intervalNanos;
    private long firstMeasured;
    private long total;
    private long next;
    private long firstMeasuredSentAt;
    private long lastMeasuredSentAt;
    private long maxLagNanos;
    private final org.HdrHistogram.Histogram lagNanos = new org.HdrHistogram.Histogram(60_000_000_000L, 2);
    private boolean scheduled;

    RatePublisher(String clientId, String topic, int payloadBytes, LongSupplier nanoTime) {
        super(clientId);
        this.topic = topic;
        this.payloadBytes = payloadBytes;
        this.nanoTime = nanoTime;
    }

    CompletableFuture<Void> connected() {
        return connected;
    }

    /**
     * Starts a phase at {@code startNanos}: {@code warmupMessages} then {@code windowMessages} at {@code
     * rate} a second. The future completes once the last one is written.
     */
    CompletableFuture<Sent> begin(int phase, long startNanos, double rate, long warmupMessages, long windowMessages) {
        CompletableFuture<Sent> done = new CompletableFuture<>();
        ctx.executor().execute(() -> {
            this.phaseDone = done;
            this.phase = phase;
            this.startNanos = startNanos;
            this.intervalNanos = 1e9 / rate;
            this.firstMeasured = warmupMessages;
            this.total = warmupMessages + windowMessages;
            this.next = 0;
            this.firstMeasuredSentAt = 0;
            this.lastMeasuredSentAt = 0;
            this.maxLagNanos = 0;
            this.lagNanos.reset();
            this.acked = 0;
            schedule(Math.max(0, startNanos - nanoTime.getAsLong()));
        });
        return done;
    }

    private long intended(long i) {
        return startNanos + (long) (i * intervalNanos);
    }

    private void schedule(long delayNanos) {
        if (!scheduled) {
            scheduled = true;
            ctx.executor().schedule(this::tick, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Writes every message that is due, then sleeps until the next one is. */
    private void tick() {
        scheduled = false;
        if (phaseDone == null || phaseDone.isDone() || !ctx.channel().isActive()) {
            return;
        }
        long now = nanoTime.getAsLong();
        int written = 0;
        while (next < total && ids.count() < MAX_IN_FLIGHT && ctx.channel().isWritable()) {
            long intended = intended(next);
            if (intended > now) {
                break;
            }
            boolean measured = next >= firstMeasured;
            int id = ids.take();
            ctx.write(
                    MqttPackets.publish(
                            topic, MqttQoS.AT_LEAST_ONCE, id, Stamp.write(payloadBytes, intended, phase, measured)),
                    ctx.voidPromise());
            if (measured) {
                if (firstMeasuredSentAt == 0) {
                    firstMeasuredSentAt = now;
                }
                lastMeasuredSentAt = now;
                maxLagNanos = Math.max(maxLagNanos, now - intended);
                lagNanos.recordValue(Math.min(Math.max(0, now - intended), lagNanos.getHighestTrackableValue()));
            }
            next++;
            written++;
        }
        if (written > 0) {
            ctx.flush();
        }
        if (next == total) {
            long windowMessages = total - firstMeasured;
            long span = lastMeasuredSentAt - firstMeasuredSentAt;
            // n messages sent over a span cover n - 1 intervals
            double achieved = windowMessages > 1 && span > 0 ? (windowMessages - 1) / (span / 1e9) : 0;
            phaseDone.complete(new Sent(total, acked, achieved, maxLagNanos, lagNanos.getValueAtPercentile(99)));
            return;
        }
        long wait = intended(next) - nanoTime.getAsLong();
        boolean blocked = ids.count() >= MAX_IN_FLIGHT || !ctx.channel().isWritable();
        schedule(blocked ? Math.max(wait, BLOCKED_RETRY_NANOS) : Math.max(0, wait));
    }

    @Override
    protected void read(ChannelHandlerContext context, MqttMessageType type, MqttMessage m) throws IOException {
        switch (type) {
            case PUBACK -> {
                int id = MqttPackets.packetId(m);
                if (!ids.release(id)) {
                    throw new IOException("PUBACK for packet " + id + " that " + clientId + " has not in flight");
                }
                acked++;
            }
            case CONNACK -> {
                MqttPackets.checkConnAck((MqttConnAckMessage) m, clientId);
                connected.complete(null);
            }
            default -> throw new IOException("unexpected " + type + " from the broker on " + clientId);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (context.channel().isWritable()) {
            schedule(0);
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        IOException closed = new IOException("the broker closed publisher connection " + clientId);
        connected.completeExceptionally(closed);
        if (phaseDone != null) {
            phaseDone.completeExceptionally(closed);
        }
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        connected.completeExceptionally(cause);
        if (phaseDone != null) {
            phaseDone.completeExceptionally(cause);
        }
        context.close();
    }
}
