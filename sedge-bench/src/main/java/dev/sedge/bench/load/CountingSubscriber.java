package dev.sedge.bench.load;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A subscriber connection that counts the messages it receives on one filter and acknowledges each
 * QoS 1 message at once: the receiving end of a broker-only baseline.
 *
 * <p>Not sharable; protocol state is confined to the channel's event loop. {@link #received()} may be
 * read from any thread.
 */
final class CountingSubscriber extends MqttClientHandler {

    private static final int SUBSCRIBE_PACKET_ID = 1;

    private final String filter;
    private final MqttQoS qos;
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private final AtomicLong received = new AtomicLong();
    private boolean acksPending;

    CountingSubscriber(String clientId, String filter, MqttQoS qos) {
        super(clientId);
        this.filter = filter;
        this.qos = qos;
    }

    /** Completes once the broker has granted the subscription. */
    CompletableFuture<Void> subscribed() {
        return subscribed;
    }

    /** Messages received so far. */
    long received() {
        return received.get();
    }

    @Override
    protected void read(ChannelHandlerContext context, MqttMessageType type, MqttMessage m) throws IOException {
        switch (type) {
            case PUBLISH -> {
                received.incrementAndGet();
                MqttPublishMessage p = (MqttPublishMessage) m;
                if (p.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                    context.write(MqttPackets.pubAck(p.variableHeader().packetId()), context.voidPromise());
                    acksPending = true;
                }
            }
            case CONNACK -> {
                MqttPackets.checkConnAck((MqttConnAckMessage) m, clientId);
                context.writeAndFlush(MqttPackets.subscribe(SUBSCRIBE_PACKET_ID, filter, qos));
            }
            case SUBACK -> {
                int granted =
                        ((MqttSubAckMessage) m).payload().grantedQoSLevels().getFirst();
                if (granted != qos.value()) {
                    throw new IOException("broker granted QoS " + granted + " instead of " + qos.value() + " on "
                            + filter + " (0x80 is a refusal)");
                }
                subscribed.complete(null);
            }
            default -> throw new IOException("unexpected " + type + " from the broker on " + clientId);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        if (acksPending) {
            acksPending = false;
            context.flush(); // one flush for every PUBACK of this read
        }
        context.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        subscribed.completeExceptionally(new IOException("the broker closed subscriber connection " + clientId));
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        subscribed.completeExceptionally(cause);
        context.close();
    }
}
