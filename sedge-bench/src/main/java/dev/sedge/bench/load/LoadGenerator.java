package dev.sedge.bench.load;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * The MQTT load generator: event-driven publisher connections on Netty's MQTT codec, all on a few event
 * loops, sending as fast as the broker lets them (see {@link Publisher}). It measures in windows: the
 * counts at a window's start and end, and the PUBLISH-to-PUBACK latencies inside it.
 *
 * <p>Lifecycle: construct, {@link #connect}, {@link #start()}, windows, {@link #stop}, {@link #close()}.
 * Driven by one thread.
 */
public final class LoadGenerator implements AutoCloseable {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

    /** Counts summed over the connections at one instant. */
    public record Snapshot(long nanoTime, long sent, long acked) {}

    /** What a window measured: the snapshots at its ends and the latencies of the messages acked in it. */
    public record Window(Snapshot start, Snapshot end, Histogram latencyNanos) {}

    private final LoadSpec spec;
    private final MqttClientGroup group;
    private final List<Publisher> publishers = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();
    private Snapshot windowStart;

    private final CompletionGate gate;

    public LoadGenerator(LoadSpec spec, int threads) {
        this(spec, threads, null);
    }

    /**
     * @param completions if not null, messages completed end to end (see
     *     {@link dev.sedge.bench.targets.Target.Running#completionGate()}): publishers also hold back
     *     while {@code publishers x window} messages are sent but not completed
     */
    public LoadGenerator(LoadSpec spec, int threads, LongSupplier completions) {
        this.spec = spec;
        this.group = new MqttClientGroup("sedge-bench-load", threads);
        this.gate =
                completions == null ? null : new CompletionGate(completions, (long) spec.publishers() * spec.window());
    }

    /** Opens every publisher connection; returns once the broker has accepted them all. */
    public void connect(String host, int port) throws IOException, InterruptedException {
        byte[] payload = new byte[spec.payloadBytes()];
        Arrays.fill(payload, (byte) 'x');
        MqttQoS qos = MqttQoS.valueOf(spec.qos());
        String run = Long.toHexString(System.nanoTime());
        for (int i = 0; i < spec.publishers(); i++) {
            Publisher p = new Publisher(
                    "sedge-bench-" + run + "-" + i, spec.topic(i), qos, spec.window(), payload, System::nanoTime, gate);
            channels.add(group.connect(host, port, p, STEP_TIMEOUT));
            publishers.add(p);
        }
        for (Publisher p : publishers) {
            MqttClientGroup.await(p.connected(), STEP_TIMEOUT, "connecting a publisher");
        }
    }

    /** Every connection starts publishing. */
    public void start() throws IOException, InterruptedException {
        all(publishers.stream().map(Publisher::start).toList());
    }

    /** Opens a measurement window. */
    public void beginWindow() throws IOException, InterruptedException {
        windowStart = sum(all(publishers.stream().map(Publisher::beginWindow).toList()));
    }

    /** Closes the window opened last and returns what it measured. */
    public Window endWindow() throws IOException, InterruptedException {
        if (windowStart == null) {
            throw new IllegalStateException("no window open");
        }
        List<Publisher.WindowEnd> ends =
                all(publishers.stream().map(Publisher::endWindow).toList());
        Histogram latencies = new Histogram(3);
        for (Publisher.WindowEnd e : ends) {
            latencies.add(e.latencies());
        }
        Snapshot end = sum(ends.stream().map(Publisher.WindowEnd::counts).toList());
        Window w = new Window(windowStart, end, latencies);
        windowStart = null;
        return w;
    }

    /**
     * Stops publishing and waits, at most {@code timeout}, until every QoS 1 message sent has been
     * acknowledged. Returns the final counts; what is still unacknowledged after the timeout shows in them.
     */
    public Snapshot stop(Duration timeout) throws IOException, InterruptedException {
        CompletableFuture<?>[] drained =
                publishers.stream().map(Publisher::stop).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(drained).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Reported through the counts: sent and acked differ.
        } catch (ExecutionException e) {
            throw new IOException(
                    "a publisher connection failed: " + e.getCause().getMessage(), e.getCause());
        }
        return sum(all(publishers.stream().map(Publisher::snapshot).toList()));
    }

    private static Snapshot sum(List<Publisher.Counts> counts) {
        long sent = 0;
        long acked = 0;
        for (Publisher.Counts c : counts) {
            sent += c.sent();
            acked += c.acked();
        }
        return new Snapshot(System.nanoTime(), sent, acked);
    }

    private static <T> List<T> all(List<CompletableFuture<T>> futures) throws IOException, InterruptedException {
        List<T> out = new ArrayList<>(futures.size());
        for (CompletableFuture<T> f : futures) {
            try {
                out.add(f.get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            } catch (TimeoutException e) {
                throw new IOException("a publisher's event loop did not answer within " + STEP_TIMEOUT.toSeconds()
                        + " s: the generator is stuck");
            } catch (ExecutionException e) {
                throw new IOException("a publisher failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
        return out;
    }

    /** Closes every connection. Idempotent. */
    @Override
    public void close() {
        for (Channel c : channels) {
            c.close();
        }
        group.close();
    }
}
