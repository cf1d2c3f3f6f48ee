package dev.sedge.bench.load;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.IOException;
import java.time.Duration;

/**
 * One MQTT subscriber that counts what it receives on a filter and acknowledges QoS 1 messages: how a
 * broker-only baseline's deliveries are counted.
 *
 * <p>Thread-safe. Lifecycle: {@link #open}, then {@link #close()}.
 */
public final class SubscriberConnection implements AutoCloseable {

    private final Channel channel;
    private final CountingSubscriber handler;

    private SubscriberConnection(Channel channel, CountingSubscriber handler) {
        this.channel = channel;
        this.handler = handler;
    }

    /** Connects, subscribes at QoS 1 and returns once the broker has granted the subscription. */
    public static SubscriberConnection open(
            MqttClientGroup group, String host, int port, String clientId, String filter, Duration timeout)
            throws IOException, InterruptedException {
        CountingSubscriber handler = new CountingSubscriber(clientId, filter, MqttQoS.AT_LEAST_ONCE);
        Channel channel = group.connect(host, port, handler, timeout);
        try {
            MqttClientGroup.await(handler.subscribed(), timeout, "subscribing " + clientId + " to " + filter);
        } catch (IOException | InterruptedException e) {
            channel.close();
            throw e;
        }
        return new SubscriberConnection(channel, handler);
    }

    /** Messages received so far. */
    public long received() {
        return handler.received();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5_000);
    }
}
