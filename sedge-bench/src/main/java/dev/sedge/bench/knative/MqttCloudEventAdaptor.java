package dev.sedge.bench.knative;

import dev.sedge.bench.load.MqttClientGroup;
import dev.sedge.bench.load.MqttClientHandler;
import dev.sedge.bench.load.MqttPackets;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The adaptor hop of the Knative-style path, as Knative's MQTT source is one: an MQTT client that
 * subscribes at QoS 1 and, for each message, POSTs a binary-mode CloudEvent to its sink ({@link
 * CloudEventSender}), acknowledging the message (PUBACK) only once the sink answered 2xx. A message the
 * sink never takes is not acknowledged: the broker keeps it for the session.
 *
 * <p>Run as its own process: {@code MqttCloudEventAdaptor <host> <port> <filter> <sink-url>}; it prints
 * {@link #SUBSCRIBED} once the broker granted the subscription, and runs until killed or disconnected.
 * The handler is not sharable; its protocol state is confined to the channel's event loop.
 */
public final class MqttCloudEventAdaptor extends MqttClientHandler {

    public static final String SUBSCRIBED = "adaptor subscribed";

    private static final int SUBSCRIBE_PACKET_ID = 1;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

    private final String filter;
    private final CloudEventSender sender;
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private long events;

    public MqttCloudEventAdaptor(String clientId, String filter, CloudEventSender sender) {
        super(clientId);
        this.filter = filter;
        this.sender = sender;
    }

    /** Completes once the broker granted the subscription. */
    public CompletableFuture<Void> subscribed() {
        return subscribed;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 4) {
            System.err.println("usage: MqttCloudEventAdaptor <host> <port> <filter> <sink-url>");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        try (CloudEventSender sender = new CloudEventSender(URI.create(args[3]), "mqtt://" + host + ":" + port);
                MqttClientGroup group = new MqttClientGroup("adaptor", 1)) {
            MqttCloudEventAdaptor adaptor = new MqttCloudEventAdaptor("sedge-bench-adaptor", args[2], sender);
            Channel channel = group.connect(host, port, adaptor, CONNECT_TIMEOUT);
            MqttClientGroup.await(adaptor.subscribed(), CONNECT_TIMEOUT, "subscribing to " + args[2]);
            System.out.println(SUBSCRIBED);
            System.out.flush();
            channel.closeFuture().await();
        }
    }

    @Override
    protected void read(ChannelHandlerContext context, MqttMessageType type, MqttMessage m) throws IOException {
        switch (type) {
            case PUBLISH -> forward(context, (MqttPublishMessage) m);
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

    private void forward(ChannelHandlerContext context, MqttPublishMessage p) {
        byte[] payload = ByteBufUtil.getBytes(p.payload());
        int packetId = p.variableHeader().packetId();
        boolean needsAck = p.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE;
        String id = clientId + "-" + ++events;
        sender.send(id, p.variableHeader().topicName(), payload)
                .whenComplete((ok, error) -> context.executor().execute(() -> {
                    if (error != null) {
                        // Not acknowledged: the broker keeps the message for this session.
                        System.err.println("adaptor: event " + id + " not delivered: " + error.getMessage());
                    } else if (needsAck) {
                        context.writeAndFlush(MqttPackets.pubAck(packetId), context.voidPromise());
                    }
                }));
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        subscribed.completeExceptionally(new IOException("the broker closed the adaptor's connection"));
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        subscribed.completeExceptionally(cause);
        context.close();
    }
}
