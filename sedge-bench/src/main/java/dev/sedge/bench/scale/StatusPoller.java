package dev.sedge.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sedge.bench.targets.NodeApi;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Reads one function's instances from the node's HTTP API ({@code GET /v1/functions/NAME}, its
 * {@code status}) at a fixed interval, on a thread of its own, and keeps every reading: the scale
 * scenario's view of the autoscaler, from outside the node and off the messages' path.
 *
 * <p>Thread-safe. Lifecycle: {@link #start}, read, {@link #close()}.
 */
final class StatusPoller implements AutoCloseable {

    /**
     * One reading.
     *
     * @param nanos when the answer came, in {@link System#nanoTime()}
     * @param ready instances that take events
     * @param starting instances being started
     * @param desired the instances the autoscaler wants
     * @param queue events waiting for an instance
     * @param panic whether the autoscaler is in panic mode
     * @param decision the autoscaler's last decision in words; empty before the first
     */
    record Sample(long nanos, int ready, int starting, int desired, int queue, boolean panic, String decision) {

        boolean atZero() {
            return ready == 0 && starting == 0;
        }
    }

    private final NodeApi api;
    private final String function;
    private final long everyNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private IOException failure;

    private StatusPoller(NodeApi api, String function, Duration every) {
        this.api = api;
        this.function = function;
        this.everyNanos = every.toNanos();
        this.thread = Thread.ofVirtual().name("sedge-bench-status-" + function).unstarted(this::poll);
    }

    /** Starts reading {@code function}'s status every {@code every}. */
    static StatusPoller start(NodeApi api, String function, Duration every) {
        StatusPoller p = new StatusPoller(api, function, every);
        p.thread.start();
        return p;
    }

    private void poll() {
        long next = System.nanoTime();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Sample s = read(api.function(function).path("status"), System.nanoTime());
                lock.lock();
                try {
                    samples.add(s);
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                // Paced on the clock, so a slow answer does not shift every later reading.
                next = Math.max(next + everyNanos, System.nanoTime());
                TimeUnit.NANOSECONDS.sleep(next - System.nanoTime());
            }
        } catch (InterruptedException e) {
            // closed
        } catch (IOException | RuntimeException e) {
            lock.lock();
            try {
                failure = new IOException("reading " + function + "'s status failed: " + e.getMessage(), e);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    static Sample read(JsonNode status, long nanos) throws IOException {
        JsonNode instances = status.path("instances");
        if (!instances.has("ready")) {
            throw new IOException("the function's status has no instances: " + status);
        }
        return new Sample(
                nanos,
                instances.path("ready").asInt(),
                instances.path("starting").asInt(),
                instances.path("desired").asInt(),
                status.path("queue").asInt(),
                status.path("panic").asBoolean(),
                status.path("decision").path("reason").asText(""));
    }

    /** Every reading so far, oldest first. Fails if reading has failed. */
    List<Sample> samples() throws IOException {
        lock.lock();
        try {
            check();
            return List.copyOf(samples);
        } finally {
            lock.unlock();
        }
    }

    /** The last reading, or null before the first. Fails if reading has failed. */
    Sample latest() throws IOException {
        lock.lock();
        try {
            check();
            return samples.isEmpty() ? null : samples.getLast();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for a reading, taken from now on, that matches.
     *
     * @throws IOException if none does within {@code timeout} (naming {@code what}), or reading failed
     */
    Sample await(Predicate<Sample> wanted, Duration timeout, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            int seen = samples.size();
            while (true) {
                check();
                for (int i = seen; i < samples.size(); i++) {
                    if (wanted.test(samples.get(i))) {
                        return samples.get(i);
                    }
                }
                seen = samples.size();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException(function + ": " + what + " did not happen within " + timeout.toSeconds()
                            + " s; last status: " + (samples.isEmpty() ? "none" : samples.getLast()));
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    private void check() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    /** Stops reading. Idempotent. */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(35));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
