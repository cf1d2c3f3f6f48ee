package dev.sedge.broker.fuzz;

import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Hears every buffer leak Netty's detector reports, through its leak listener, and proves that it hears
 * them: a canary buffer is leaked on purpose and the watch waits until the detector names it. Netty
 * finds a leak only after the garbage collector cleared the buffer and a later allocation looked, so
 * waiting for a canary leaked after everything else also flushes the reports of earlier leaks.
 *
 * <p>Thread-safe. Installs a process-wide listener and detection level until closed.
 */
final class LeakWatch implements AutoCloseable {

    /** The hint every canary carries; reports with it are the watch's own. */
    static final String CANARY = "sedge leak canary";

    private final ConcurrentLinkedQueue<String> leaks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger canaries = new AtomicInteger();
    private final ResourceLeakDetector.Level previousLevel;
    private final Logger detectorLog = Logger.getLogger(ResourceLeakDetector.class.getName());

    private LeakWatch() {
        // The canaries' reports are expected: keep their long traces out of the log, the listener hears them.
        detectorLog.setFilter(r -> r.getMessage() == null || !r.getMessage().contains(CANARY));
        previousLevel = ResourceLeakDetector.getLevel();
        // The build runs tests with paranoid detection; an IDE may not. Every buffer must be tracked.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ByteBufUtil.setLeakListener((type, records) -> leaks.add(type + records));
    }

    static LeakWatch install() {
        return new LeakWatch();
    }

    /**
     * Leaks a fresh canary and collects garbage until the detector reports it.
     *
     * @throws org.awaitility.core.ConditionTimeoutException if the detector stays silent
     */
    void leakCanaryAndAwaitItsReport(Duration atMost) {
        String hint = CANARY + " " + canaries.incrementAndGet();
        leak(hint);
        await("Netty's leak detector reporting the canary \"" + hint + "\"")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    System.gc();
                    // The detector looks at collected buffers when it tracks a new one.
                    ByteBufAllocator.DEFAULT.buffer(1).release();
                    return leaks.stream().anyMatch(l -> l.contains(hint));
                });
    }

    private static void leak(String hint) {
        ByteBuf canary = ByteBufAllocator.DEFAULT.buffer(16);
        canary.writeInt(42);
        canary.touch(hint); // never released: the point of a canary
    }

    /** Leaks reported so far, the canaries left out. */
    List<String> leaks() {
        return leaks.stream().filter(l -> !l.contains(CANARY)).toList();
    }

    @Override
    public void close() {
        ByteBufUtil.setLeakListener(null);
        ResourceLeakDetector.setLevel(previousLevel);
        detectorLog.setFilter(null);
    }
}
