package dev.sedge.bench.replay;

import dev.sedge.bench.load.MqttClientHandler;
import dev.sedge.bench.load.MqttPackets;
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

/**
 * Subscribes at QoS 1 to the replay's reply topics and hands each reply's event number (the first 8
 * bytes, as the echo function returns them) and arrival time to the {@link ReplayLedger}.
 *
 * <p>Not sharable; all state is confined to the channel's event loop, which it shares with the
 * {@link TracePublisher} and the ledger.
 */
final class ReplySubscriber extends MqttClientHandler {

    private static final int SUBSCRIBE_PACKET_ID = 1;

    private final String filter;
    private final ReplayLedger ledger;
    private final LongSupplier nanoTime;
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private boolean acksPending;

    ReplySubscriber(String clientId, String filter, ReplayLedger ledger, LongSupplier nanoTime) {
        super(clientId);
        this.filter = filter;
        this.ledger = ledger;
        this.nanoTime = nanoTime;
    }

    CompletableFuture<Void> subscribed() {
        return subscribed;
    }

    @Override
    protected void read(ChannelHandlerContext context, MqttMessageType type, MqttMessage m) throws IOException {
        switch (type) {
            case PUBLISH -> {
                MqttPublishMessage p = (MqttPublishMessage) m;
                ByteBuf payload = p.payload();
                if (payload.readableBytes() == Long.BYTES) {
                    ledger.replied(payload.getLong(payload.readerIndex()), nanoTime.getAsLong());
                } else {
                    ledger.unknownReply();
                }
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
                    throw new IOException("the node granted QoS " + granted + " instead of 1 on " + filter);
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
            context.flush();
        }
        context.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        IOException closed = new IOException("the node closed the replay's reply subscriber " + clientId);
        subscribed.completeExceptionally(closed);
        ledger.failed(closed);
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        IOException failure = cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
        subscribed.completeExceptionally(failure);
        ledger.failed(failure);
        context.close();
    }
}
