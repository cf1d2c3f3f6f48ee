package dev.sedge.bench.load;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import java.io.IOException;

/**
 * What every MQTT client connection of the harness does alike: it sends CONNECT when the channel opens
 * and refuses a malformed packet from the broker; subclasses handle the packets that arrive. Not
 * sharable: one per channel, used on its event loop only.
 */
public abstract class MqttClientHandler extends SimpleChannelInboundHandler<MqttMessage> {

    protected final String clientId;
    protected ChannelHandlerContext ctx;

    protected MqttClientHandler(String clientId) {
        this.clientId = clientId;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        context.writeAndFlush(MqttPackets.connect(clientId));
        context.fireChannelActive();
    }

    @Override
    protected final void channelRead0(ChannelHandlerContext context, MqttMessage m) throws IOException {
        if (m.decoderResult().isFailure()) {
            throw new IOException(
                    "malformed packet from the broker", m.decoderResult().cause());
        }
        read(context, m.fixedHeader().messageType(), m);
    }

    /** Handles one well-formed packet from the broker. */
    protected abstract void read(ChannelHandlerContext context, MqttMessageType type, MqttMessage m) throws IOException;
}
