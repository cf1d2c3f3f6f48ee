package dev.sedge.bench.replay;

import dev.sedge.bench.load.MqttClientHandler;
import dev.sedge.bench.load.MqttPackets;
import dev.sedge.bench.load.PacketIds;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Publishes a trace's events at QoS 1, each at its due time: open loop, from one timer on the event loop
 * that wakes at the next event's absolute due time and sends every event due by then, so that lateness
 * never accumulates from one event to the next; what is sent late is recorded as late. The payload is
 * the event's number (8 bytes, big-endian), which the echo function sends back.
 *
 * <p>Not sharable; all state is confined to the channel's event loop, which it shares with the
 * {@link ReplySubscriber} and the {@link ReplayLedger}.
 */
final class TracePublisher extends MqttClientHandler {

    private final Schedule schedule;
    private final String[] topics;
    private final ReplayLedger ledger;
    private final LongSupplier nanoTime;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final PacketIds ids = new PacketIds();
    private boolean begun;
    private long start;
    private int next;
    private boolean wakeScheduled;

    /** @param topics each function's topic, by the function's index in the schedule */
    TracePublisher(String clientId, Schedule schedule, String[] topics, ReplayLedger ledger, LongSupplier nanoTime) {
        super(clientId);
        this.schedule = schedule;
        this.topics = topics;
        this.ledger = ledger;
        this.nanoTime = nanoTime;
    }

    CompletableFuture<Void> connected() {
        return connected;
    }

    /** Starts the replay: event {@code i} is due at {@code startNanos + schedule.dueNanos(i)}. */
    void begin(long startNanos) {
        ctx.executor().execute(() -> {
            start = startNanos;
            begun = true;
            sendDue();
        });
    }

    private void sendDue() {
        wakeScheduled = false;
        long now = nanoTime.getAsLong();
        int written = 0;
        while (next < schedule.events() && ids.count() < PacketIds.MAX) {
            long due = start + schedule.dueNanos(next);
            if (due - now > 0) {
                break;
            }
            int id = ids.take();
            ledger.sent(next, now, now - due);
            ctx.write(
                    MqttPackets.publish(
                            topics[schedule.function(next)],
                            MqttQoS.AT_LEAST_ONCE,
                            id,
                            Unpooled.buffer(Long.BYTES).writeLong(next)),
                    ctx.voidPromise());
            next++;
            written++;
        }
        if (written > 0) {
            ctx.flush();
        }
        // Held back by a full window of unacknowledged messages, a PUBACK sends the rest; else the timer.
        if (next < schedule.events() && ids.count() < PacketIds.MAX && !wakeScheduled) {
            wakeScheduled = true;
            long delay = start + schedule.dueNanos(next) - nanoTime.getAsLong();
            ctx.executor().schedule(this::sendDue, Math.max(0, delay), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    protected void read(ChannelHandlerContext context, MqttMessageType type, MqttMessage m) throws IOException {
        switch (type) {
            case PUBACK -> {
                int id = MqttPackets.packetId(m);
                boolean wasFull = ids.count() == PacketIds.MAX;
                if (!ids.release(id)) {
                    throw new IOException("PUBACK for packet " + id + " that " + clientId + " has not in flight");
                }
                ledger.acked();
                if (wasFull && begun) {
                    sendDue();
                }
            }
            case CONNACK -> {
                MqttPackets.checkConnAck((MqttConnAckMessage) m, clientId);
                connected.complete(null);
            }
            default -> throw new IOException("unexpected " + type + " from the broker on " + clientId);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        IOException closed = new IOException("the node closed the replay's publisher connection " + clientId);
        connected.completeExceptionally(closed);
        ledger.failed(closed);
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        IOException failure = cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
        connected.completeExceptionally(failure);
        ledger.failed(failure);
        if (!(cause instanceof ClosedChannelException)) {
            context.close();
        }
    }
}
