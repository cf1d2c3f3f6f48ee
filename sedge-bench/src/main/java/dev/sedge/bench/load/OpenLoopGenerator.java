package dev.sedge.bench.load;

import io.netty.channel.Channel;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * The latency benchmark's generator: one open-loop publisher ({@link RatePublisher}) and one subscriber
 * for the replies ({@link ReplyRecorder}), each on its own event loop. It runs phases, one per offered
 * rate: a warm-up, then a measurement window, then a drain until every reply has come or a bound passes.
 *
 * <p>Lifecycle: construct, {@link #connect}, phases ({@link #begin}, {@link Phase#finish}), {@link
 * #close()}. Driven by one thread.
 */
public final class OpenLoopGenerator implements AutoCloseable {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);
    /** A phase starts this long after it is set up, so that both ends are ready when its first message is due. */
    private static final long START_DELAY_NANOS = 20_000_000;

    public static final int MIN_PAYLOAD_BYTES = Stamp.BYTES;

    /** What one phase measured. */
    public record Result(
            double offeredPerSecond,
            double achievedPerSecond,
            long maxLagNanos,
            long p99LagNanos,
            long sent,
            long acked,
            long received,
            long receivedInWindow,
            Histogram latencyNanos) {}

    private final int payloadBytes;
    private final MqttClientGroup group = new MqttClientGroup("sedge-bench-open-loop", 2);
    private RatePublisher publisher;
    private ReplyRecorder recorder;
    private Channel publisherChannel;
    private Channel recorderChannel;
    private int phases;

    public OpenLoopGenerator(int payloadBytes) {
        if (payloadBytes < MIN_PAYLOAD_BYTES || payloadBytes > LoadSpec.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("--payload-bytes: " + payloadBytes + " is out of range ("
                    + MIN_PAYLOAD_BYTES + ".." + LoadSpec.MAX_PAYLOAD_BYTES + ")");
        }
        this.payloadBytes = payloadBytes;
    }

    /** Subscribes to {@code replyFilter}, then connects the publisher of {@code topic}. */
    public void connect(String host, int port, String topic, String replyFilter)
            throws IOException, InterruptedException {
        String run = Long.toHexString(System.nanoTime());
        recorder = new ReplyRecorder("sedge-bench-replies-" + run, replyFilter, System::nanoTime);
        recorderChannel = group.connect(host, port, recorder, STEP_TIMEOUT);
        MqttClientGroup.await(recorder.subscribed(), STEP_TIMEOUT, "subscribing to " + replyFilter);
        publisher = new RatePublisher("sedge-bench-open-loop-" + run, topic, payloadBytes, System::nanoTime);
        publisherChannel = group.connect(host, port, publisher, STEP_TIMEOUT);
        MqttClientGroup.await(publisher.connected(), STEP_TIMEOUT, "connecting the publisher");
    }

    /** A phase under way. */
    public final class Phase {
        private final double rate;
        private final long start;
        private final long windowStart;
        private final long windowEnd;
        private final CompletableFuture<RatePublisher.Sent> sent;
        private final CompletableFuture<Void> allReceived;

        private Phase(
                double rate,
                long start,
                long windowStart,
                long windowEnd,
                CompletableFuture<RatePublisher.Sent> sent,
                CompletableFuture<Void> allReceived) {
            this.rate = rate;
            this.start = start;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
            this.sent = sent;
            this.allReceived = allReceived;
        }

        /** When the phase's first message is due, in {@link System#nanoTime()}. */
        public long startNanos() {
            return start;
        }

        /** Whether every message is sent and every reply has come. */
        public boolean complete() {
            return sent.isDone() && allReceived.isDone();
        }

        /** When the measurement window opens, in {@link System#nanoTime()}. */
        public long windowStartNanos() {
            return windowStart;
        }

        public long windowEndNanos() {
            return windowEnd;
        }

        /**
         * Waits until every message is sent and, within {@code drain} after that, every reply has come;
         * what has not come by then counts as lost.
         */
        public Result finish(Duration drain) throws IOException, InterruptedException {
            long windowLeft = Math.max(0, windowEnd - System.nanoTime());
            RatePublisher.Sent s = get(sent, windowLeft + drain.toNanos(), "the publisher did not finish its phase");
            try {
                allReceived.get(drain.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // Shows as sent > received.
            } catch (ExecutionException e) {
                throw new IOException(
                        "the reply subscriber failed: " + e.getCause().getMessage(), e.getCause());
            }
            ReplyRecorder.Received r = get(recorder.snapshot(), STEP_TIMEOUT.toNanos(), "the subscriber is stuck");
            return new Result(
                    rate,
                    s.achievedRatePerSecond(),
                    s.maxLagNanos(),
                    s.p99LagNanos(),
                    s.sent(),
                    s.acked(),
                    r.received(),
                    r.receivedInWindow(),
                    r.latencyNanos());
        }
    }

    /** Starts a phase: {@code warmup} then {@code window} at {@code rate} messages a second. */
    public Phase begin(double rate, Duration warmup, Duration window) throws IOException, InterruptedException {
        return begin(rate, System.nanoTime() + START_DELAY_NANOS, warmup, window, null);
    }

    /**
     * Starts a phase whose first message is due at {@code start} (nanoTime, a little ahead, so that both
     * ends are ready): {@code warmup} then {@code window} at {@code rate} messages a second. Every reply
     * of the phase is also recorded in {@code timeline} unless it is null.
     */
    public Phase begin(double rate, long start, Duration warmup, Duration window, Timeline timeline)
            throws IOException, InterruptedException {
        int phase = phases++;
        long warmupMessages = (long) Math.ceil(warmup.toNanos() / 1e9 * rate);
        long windowMessages = Math.max(1, (long) Math.ceil(window.toNanos() / 1e9 * rate));
        long windowStart = start + warmup.toNanos();
        long windowEnd = windowStart + window.toNanos();
        CompletableFuture<Void> all = get(
                recorder.begin(phase, warmupMessages + windowMessages, windowStart, windowEnd, timeline),
                STEP_TIMEOUT.toNanos(),
                "the subscriber is stuck");
        CompletableFuture<RatePublisher.Sent> sent =
                publisher.begin(phase, start, rate, warmupMessages, windowMessages);
        return new Phase(rate, start, windowStart, windowEnd, sent, all);
    }

    private static <T> T get(CompletableFuture<T> f, long nanos, String what) throws IOException, InterruptedException {
        try {
            return f.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IOException(what + " within " + nanos / 1_000_000 + " ms");
        } catch (ExecutionException e) {
            throw new IOException(what + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        if (publisherChannel != null) {
            publisherChannel.close();
        }
        if (recorderChannel != null) {
            recorderChannel.close();
        }
        group.close();
    }
}
