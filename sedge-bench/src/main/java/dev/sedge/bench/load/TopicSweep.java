package dev.sedge.bench.load;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes one QoS 1 message to each topic of a list, at most a window of them unacknowledged, and
 * finishes when every one is acknowledged: against a trigger with {@code ack: on-complete}, once every
 * function has run. How a benchmark gives each of many functions one event.
 *
 * <p>Not sharable; its state is confined to the channel's event loop. {@link #run} drives one sweep.
 */
public final class TopicSweep extends MqttClientHandler {

    /** Enough to keep a node busy, far below the 65,535 packet identifiers. */
    static final int WINDOW = 64;

    private static final byte[] PAYLOAD = "sweep".getBytes(StandardCharsets.UTF_8);

    private final List<String> topics;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private int next;
    private int inFlight;
    private int acked;

    private TopicSweep(String clientId, List<String> topics) {
        super(clientId);
        this.topics = List.copyOf(topics);
    }

    /**
     * Connects, publishes one message to each topic and returns when all are acknowledged.
     *
     * @throws IOException if the broker refuses, closes the connection, or does not finish within
     *     {@code timeout}
     */
    public static void run(MqttClientGroup group, String host, int port, List<String> topics, Duration timeout)
            throws IOException, InterruptedException {
        TopicSweep sweep = new TopicSweep("sedge-bench-sweep-" + Long.toHexString(System.nanoTime()), topics);
        if (topics.isEmpty()) {
            return;
        }
        Channel channel = group.connect(host, port, sweep, timeout);
        try {
            sweep.done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException(
                    "publishing to " + topics.size() + " topics did not finish within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException("publishing failed: " + cause, cause);
        } finally {
            channel.close().awaitUninterruptibly(5_000);
        }
    }

    private void send(ChannelHandlerContext context) {
        int written = 0;
        while (inFlight < WINDOW && next < topics.size()) {
            // Identifiers 1..WINDOW*2 in turn: one is reused only after a whole window was acknowledged.
            int id = next % (WINDOW * 2) + 1;
            context.write(
                    MqttPackets.publish(topics.get(next), MqttQoS.AT_LEAST_ONCE, id, Unpooled.wrappedBuffer(PAYLOAD)),
                    context.voidPromise());
            next++;
            inFlight++;
            written++;
        }
        if (written > 0) {
            context.flush();
        }
    }

    @Override
    protected void read(ChannelHandlerContext context, MqttMessageType type, MqttMessage m) throws IOException {
        switch (type) {
            case CONNACK -> {
                MqttPackets.checkConnAck((MqttConnAckMessage) m, clientId);
                send(context);
            }
            case PUBACK -> {
                inFlight--;
                acked++;
                if (acked == topics.size()) {
                    done.complete(null);
                } else {
                    send(context);
                }
            }
            default -> throw new IOException("unexpected " + type + " from the broker on " + clientId);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        done.completeExceptionally(new IOException(
                "the broker closed " + clientId + " after " + acked + " of " + topics.size() + " acknowledgements"));
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        done.completeExceptionally(cause);
        context.close();
    }
}
