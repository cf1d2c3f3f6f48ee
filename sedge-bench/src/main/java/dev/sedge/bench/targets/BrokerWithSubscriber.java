package dev.sedge.bench.targets;

import dev.sedge.bench.load.MqttClientGroup;
import dev.sedge.bench.load.SubscriberConnection;
import dev.sedge.bench.proc.ChildProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A broker-only target once started: the broker's process and, unless the caller brings its own, one
 * subscriber connection in this process at QoS 1 on the benchmark's topics, counting what it receives.
 * What the {@code mosquitto} and {@code hivemq-ce} targets give.
 *
 * <p>Immutable; the subscriber's count is thread-safe.
 *
 * @param name the target's name, for error messages
 * @param subscriber null when no filter was given, then {@link #completed()} stays 0
 * @param gateOnDelivery whether the generator's loop is also closed on the subscriber's count ({@link
 *     #completionGate()}), for a broker whose PUBACK runs ahead of its delivery
 */
record BrokerWithSubscriber(
        String name,
        ChildProcess broker,
        String host,
        int mqttPort,
        MqttClientGroup group,
        SubscriberConnection subscriber,
        boolean gateOnDelivery)
        implements Target.Running {

    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(20);

    /**
     * Attaches the counting subscriber on {@code filter} (none when it is null) to a started broker; on
     * failure the broker is stopped too.
     */
    static BrokerWithSubscriber attach(
            String name, ChildProcess broker, String host, int port, String filter, boolean gateOnDelivery)
            throws IOException, InterruptedException {
        if (filter == null) {
            return new BrokerWithSubscriber(name, broker, host, port, null, null, false);
        }
        MqttClientGroup group = null;
        try {
            group = new MqttClientGroup("sedge-bench-subscriber", 1);
            SubscriberConnection sub =
                    SubscriberConnection.open(group, host, port, "sedge-bench-subscriber", filter, SUBSCRIBE_TIMEOUT);
            return new BrokerWithSubscriber(name, broker, host, port, group, sub, gateOnDelivery);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (group != null) {
                group.close();
            }
            broker.close();
            throw e;
        }
    }

    @Override
    public long pid() {
        return broker.pid();
    }

    @Override
    public LongSupplier completionGate() {
        return gateOnDelivery && subscriber != null ? subscriber::received : null;
    }

    @Override
    public long completed() throws IOException {
        if (!broker.isAlive()) {
            throw new IOException(name + " has exited; last output:\n" + broker.tailText());
        }
        return subscriber == null ? 0 : subscriber.received();
    }

    @Override
    public void close() {
        if (subscriber != null) {
            subscriber.close();
            group.close();
        }
        broker.close();
    }
}
