package dev.sedge.broker.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends fuzzed connections to running brokers over real TCP: packets merged and split across writes at
 * random, whatever comes back read and thrown away, and each connection ended by a FIN or a reset.
 * Connection {@code i} draws its packets from {@code seed} and {@code i}, so its bytes can be replayed;
 * the timing of real sockets cannot.
 *
 * <p>Thread-safe; {@link #run} blocks until done.
 */
final class SocketFuzzer {

    /** A connection that takes longer than this (the broker stopped reading from it) is cut. */
    private static final Duration CONNECTION_LIMIT = Duration.ofSeconds(5);

    /** What one run did. */
    record Result(long packets, long connections, long resets) {}

    private final PacketCorpus corpus;
    private final long seed;
    private final List<InetSocketAddress> targets;
    private final AtomicLong packets = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();
    private final AtomicLong nextIndex = new AtomicLong();

    /** @param targets the brokers; connection {@code i} goes to {@code targets[i % size]} */
    SocketFuzzer(PacketCorpus corpus, long seed, List<InetSocketAddress> targets) {
        this.corpus = corpus;
        this.seed = seed;
        this.targets = List.copyOf(targets);
    }

    /** Runs {@code parallel} connections at a time until enough packets were sent or the deadline passed. */
    Result run(int parallel, long targetPackets, long deadlineNanos) {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("fuzz-watchdog").daemon().unstarted(r));
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < parallel; w++) {
                workers.submit(() -> {
                    while (packets.get() < targetPackets && System.nanoTime() < deadlineNanos) {
                        runOne(nextIndex.getAndIncrement(), watchdog);
                    }
                    return null;
                });
            }
        } finally {
            watchdog.shutdownNow();
        }
        return new Result(packets.get(), connections.get(), resets.get());
    }

    private void runOne(long index, ScheduledExecutorService watchdog) throws InterruptedException {
        Random r = new Random(seed ^ (index * 0x9E3779B97F4A7C15L));
        ConnectionScript script = ConnectionScript.draw(corpus, r, 300);
        InetSocketAddress target = targets.get((int) (index % targets.size()));
        connections.incrementAndGet();
        Thread reader = null;
        try (Socket socket = new Socket()) {
            ScheduledFuture<?> cut =
                    watchdog.schedule(() -> closeQuietly(socket), CONNECTION_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            socket.connect(target, 5_000);
            socket.setTcpNoDelay(r.nextBoolean());
            reader = Thread.ofVirtual().name("fuzz-reader-" + index).start(() -> discardInput(socket));
            write(socket.getOutputStream(), script.packets(), r);
            if (r.nextBoolean()) {
                // A polite end: FIN, then wait (bounded) for the broker to close its side.
                socket.shutdownOutput();
                reader.join(Duration.ofSeconds(2));
            } else {
                socket.setSoLinger(true, 0); // close with a reset
            }
            cut.cancel(false);
        } catch (IOException e) {
            resets.incrementAndGet(); // the broker closed on us, as it may
        } finally {
            if (reader != null) {
                reader.join(Duration.ofSeconds(2));
            }
        }
    }

    /** Writes the packets in random groups, sometimes splitting a group across two writes. */
    private void write(OutputStream out, List<byte[]> script, Random r) throws IOException {
        int i = 0;
        while (i < script.size()) {
            int n = Math.min(script.size() - i, 1 + r.nextInt(r.nextInt(4) == 0 ? 32 : 3));
            ByteArrayOutputStream group = new ByteArrayOutputStream();
            for (int k = 0; k < n; k++) {
                group.writeBytes(script.get(i + k));
            }
            byte[] bytes = group.toByteArray();
            if (bytes.length > 1 && r.nextInt(4) == 0) {
                int cut = 1 + r.nextInt(bytes.length - 1);
                out.write(bytes, 0, cut);
                out.flush();
                out.write(bytes, cut, bytes.length - cut);
            } else {
                out.write(bytes);
            }
            out.flush();
            i += n;
            packets.addAndGet(n);
        }
    }

    private static void discardInput(Socket socket) {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = socket.getInputStream();
            while (in.read(buffer) >= 0) {
                // thrown away: the fuzzer checks the broker, not its answers
            }
        } catch (IOException e) {
            // reset or closed: the connection is over
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
