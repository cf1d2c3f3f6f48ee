package dev.sedge.bench.load;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * One publisher connection of the load generator. At QoS 1 it keeps at most {@code window} messages
 * unacknowledged and sends the next one when a PUBACK comes back (a closed loop: at saturation the
 * broker sets the pace); at QoS 0 it sends whenever the socket is writable, so TCP flow control sets the
 * pace. It counts what it sent and what was acknowledged, and records each QoS 1 message's time from
 * PUBLISH written to PUBACK read while a measurement window is open.
 *
 * <p>Not sharable. All state is confined to the channel's event loop; other threads use the methods
 * that return futures, which hop onto it.
 */
final class Publisher extends MqttClientHandler {

    /** Messages written before yielding the event loop at QoS 0, so that reads are not starved. */
    private static final int QOS0_BATCH = 64;

    private static final int MAX_PACKET_ID = 65_535;
    /** How soon a publisher held back by the completion gate looks again. */
    private static final long GATE_RETRY_MICROS = 100;
    /** Longest latency the histogram tracks: a minute, far past any benchmark's bound. */
    private static final long HISTOGRAM_MAX_NANOS = 60_000_000_000L;

    /** Counts at one instant. */
    record Counts(long sent, long acked, int inFlight) {}

    /** Counts at the end of a window, with the latencies recorded in it (nanoseconds). */
    record WindowEnd(Counts counts, Histogram latencies) {}

    private final String topic;
    private final MqttQoS qos;
    private final int window;
    private final byte[] payload;
    private final LongSupplier nanoTime;
    private final CompletionGate gate;
    private boolean retryScheduled;

    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    // Send time by packet identifier; inFlightIds says which identifiers await their PUBACK.
    private final long[] sentAt = new long[MAX_PACKET_ID + 1];
    private final boolean[] inFlightIds = new boolean[MAX_PACKET_ID + 1];
    private final Histogram latencies = new Histogram(HISTOGRAM_MAX_NANOS, 3);

    private boolean running;
    private boolean stopped;
    private boolean recording;
    private int nextPacketId = 1;
    private int inFlight;
    private long sent;
    private long acked;

    Publisher(
            String clientId,
            String topic,
            MqttQoS qos,
            int window,
            byte[] payload,
            LongSupplier nanoTime,
            CompletionGate gate) {
        super(clientId);
        this.gate = gate;
        this.topic = topic;
        this.qos = qos;
        this.window = window;
        this.payload = payload;
        this.nanoTime = nanoTime;
    }

    /** Completes when the broker has accepted the connection. */
    CompletableFuture<Void> connected() {
        return connected;
    }

    private Channel channel() {
        return ctx.channel();
    }

    /** Starts publishing. */
    CompletableFuture<Void> start() {
        return onLoop(() -> {
            running = true;
            pump();
            return null;
        });
    }

    /** Opens a measurement window: latencies are recorded from now on. Returns the counts at the start. */
    CompletableFuture<Counts> beginWindow() {
        return onLoop(() -> {
            latencies.reset();
            recording = true;
            return counts();
        });
    }

    /** Closes the window; returns the counts at its end and a copy of the latencies recorded in it. */
    CompletableFuture<WindowEnd> endWindow() {
        return onLoop(() -> {
            recording = false;
            return new WindowEnd(counts(), latencies.copy());
        });
    }

    /** Stops publishing; the future completes once every QoS 1 message sent has been acknowledged. */
    CompletableFuture<Void> stop() {
        onLoop(() -> {
            running = false;
            stopped = true;
            checkDrained();
            return null;
        });
        return drained;
    }

    CompletableFuture<Counts> snapshot() {
        return onLoop(this::counts);
    }

    private Counts counts() {
        return new Counts(sent, acked, inFlight);
    }

    private <T> CompletableFuture<T> onLoop(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        ctx.executor().execute(() -> {
            try {
                result.complete(task.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Override
    protected void read(ChannelHandlerContext context, MqttMessageType type, MqttMessage m) throws IOException {
        switch (type) {
            case PUBACK -> acknowledged(MqttPackets.packetId(m));
            case CONNACK -> {
                MqttPackets.checkConnAck((MqttConnAckMessage) m, clientId);
                connected.complete(null);
            }
            default -> throw new IOException("unexpected " + type + " from the broker on " + clientId);
        }
    }

    private void acknowledged(int packetId) throws IOException {
        if (!inFlightIds[packetId]) {
            throw new IOException("PUBACK for packet " + packetId + " that " + clientId + " has not in flight");
        }
        inFlightIds[packetId] = false;
        inFlight--;
        acked++;
        if (recording) {
            latencies.recordValue(Math.min(nanoTime.getAsLong() - sentAt[packetId], HISTOGRAM_MAX_NANOS));
        }
        checkDrained();
    }

    private void checkDrained() {
        if (stopped && inFlight == 0) {
            drained.complete(null);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        pump(); // refill the window with what the PUBACKs just read freed
        context.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        pump();
        context.fireChannelWritabilityChanged();
    }

    /** Writes as many messages as the window and the socket allow, then flushes once. */
    private void pump() {
        if (!running || !channel().isActive()) {
            return;
        }
        int written = 0;
        if (qos == MqttQoS.AT_MOST_ONCE) {
            while (written < QOS0_BATCH && channel().isWritable()) {
                ctx.write(MqttPackets.publish(topic, qos, 0, Unpooled.wrappedBuffer(payload)), ctx.voidPromise());
                sent++;
                written++;
            }
            if (written == QOS0_BATCH) {
                ctx.executor().execute(this::pump); // more to send: let reads in first
            }
        } else {
            while (inFlight < window && channel().isWritable()) {
                if (gate != null && !gate.tryAcquire()) {
                    retryLater();
                    break;
                }
                int id = nextFreePacketId();
                inFlightIds[id] = true;
                inFlight++;
                sentAt[id] = nanoTime.getAsLong();
                ctx.write(MqttPackets.publish(topic, qos, id, Unpooled.wrappedBuffer(payload)), ctx.voidPromise());
                sent++;
                written++;
            }
        }
        if (written > 0) {
            ctx.flush();
        }
    }

    /** The gate is shut: nothing here will wake this connection, so look again shortly. */
    private void retryLater() {
        if (!retryScheduled) {
            retryScheduled = true;
            ctx.executor()
                    .schedule(
                            () -> {
                                retryScheduled = false;
                                pump();
                            },
                            GATE_RETRY_MICROS,
                            java.util.concurrent.TimeUnit.MICROSECONDS);
        }
    }

    /** The next identifier not in flight; the window is far below 65,535, so one is always free. */
    private int nextFreePacketId() {
        while (true) {
            int id = nextPacketId;
            nextPacketId = id == MAX_PACKET_ID ? 1 : id + 1;
            if (!inFlightIds[id]) {
                return id;
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        IOException closed = new IOException("the broker closed publisher connection " + clientId);
        connected.completeExceptionally(closed);
        drained.completeExceptionally(closed);
        running = false;
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        // The run cannot be trusted once a connection misbehaves: fail it, with the reason.
        connected.completeExceptionally(cause);
        drained.completeExceptionally(cause);
        running = false;
        if (!(cause instanceof ClosedChannelException)) {
            context.close();
        }
    }
}
