package dev.sedge.bench.replay;

import dev.sedge.bench.load.MqttClientGroup;
import io.netty.channel.Channel;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The replay's two MQTT connections to the node, on one event loop: the reply subscriber, connected and
 * subscribed first so that no reply is missed, and the publisher of the trace. The loop's one thread
 * owns the {@link ReplayLedger}; this class reads it by hopping onto that thread.
 *
 * <p>Thread-safe. Lifecycle: {@link #connect}, {@link #begin}, wait on {@link #allReplied()}, {@link
 * #tally()}, {@link #close()}.
 */
final class ReplayClient implements AutoCloseable {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

    private final MqttClientGroup group;
    private final ReplayLedger ledger;
    private final TracePublisher publisher;
    private final Channel publisherChannel;
    private final Channel subscriberChannel;

    private ReplayClient(
            MqttClientGroup group,
            ReplayLedger ledger,
            TracePublisher publisher,
            Channel publisherChannel,
            Channel subscriberChannel) {
        this.group = group;
        this.ledger = ledger;
        this.publisher = publisher;
        this.publisherChannel = publisherChannel;
        this.subscriberChannel = subscriberChannel;
    }

    /**
     * Connects and subscribes to {@code replyFilter}, then connects the publisher of {@code schedule}'s
     * events, each on {@code topics[function]}.
     *
     * @throws IOException if the node cannot be reached or refuses a step, within a bound
     */
    static ReplayClient connect(
            String host, int port, String clientPrefix, Schedule schedule, String[] topics, String replyFilter)
            throws IOException, InterruptedException {
        MqttClientGroup group = new MqttClientGroup("sedge-replay", 1);
        try {
            ReplayLedger ledger = new ReplayLedger(schedule.events());
            ReplySubscriber subscriber =
                    new ReplySubscriber(clientPrefix + "-replies", replyFilter, ledger, System::nanoTime);
            Channel sub = group.connect(host, port, subscriber, STEP_TIMEOUT);
            MqttClientGroup.await(subscriber.subscribed(), STEP_TIMEOUT, "subscribing to " + replyFilter);
            TracePublisher publisher =
                    new TracePublisher(clientPrefix + "-events", schedule, topics, ledger, System::nanoTime);
            Channel pub = group.connect(host, port, publisher, STEP_TIMEOUT);
            MqttClientGroup.await(publisher.connected(), STEP_TIMEOUT, "connecting the publisher");
            return new ReplayClient(group, ledger, publisher, pub, sub);
        } catch (IOException | InterruptedException | RuntimeException e) {
            group.close();
            throw e;
        }
    }

    /** Starts publishing: event {@code i} is due at {@code startNanos} ({@link System#nanoTime()}) plus its offset. */
    void begin(long startNanos) {
        publisher.begin(startNanos);
    }

    /** Completes when every event has its reply; fails when a connection does. */
    CompletableFuture<Void> allReplied() {
        return ledger.allReplied();
    }

    /** The ledger's counts and latencies now. */
    ReplayLedger.Tally tally() throws IOException, InterruptedException {
        CompletableFuture<ReplayLedger.Tally> t = new CompletableFuture<>();
        publisherChannel.eventLoop().execute(() -> t.complete(ledger.tally()));
        try {
            return t.get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the replay's event loop did not answer within " + STEP_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IOException("reading the replay's counts failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        publisherChannel.close();
        subscriberChannel.close();
        group.close();
    }
}
