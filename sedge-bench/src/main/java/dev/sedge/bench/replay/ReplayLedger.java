package dev.sedge.bench.replay;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;

/**
 * What happened to each event of a replay: when it was sent and how late against its due time, whether
 * the node acknowledged it, and how long its reply took (from the PUBLISH written to the reply read).
 *
 * <p>Not thread-safe: confined to the one event loop that runs both the publisher and the reply
 * subscriber; other threads read it through {@link ReplayClient#tally()}.
 */
final class ReplayLedger {

    /** A send this long after its due time counts as late (the scheduler could not keep the trace's timing). */
    static final long LATE_NANOS = 10_000_000;
    /** Longest latency tracked: ten minutes, far past any reply that still counts. */
    private static final long MAX_NANOS = 600_000_000_000L;

    /** The counts and latencies at one moment. */
    record Tally(
            long sent,
            long acked,
            long replied,
            long duplicateReplies,
            long unknownReplies,
            long lateSends,
            long maxLagNanos,
            Histogram latencyNanos) {}

    private final long[] sentAt;
    private final boolean[] replied;
    private final Histogram latencies = new Histogram(MAX_NANOS, 3);
    private final CompletableFuture<Void> allReplied = new CompletableFuture<>();
    private long sent;
    private long acked;
    private long repliedCount;
    private long duplicates;
    private long unknown;
    private long late;
    private long maxLag;

    ReplayLedger(int events) {
        this.sentAt = new long[events];
        this.replied = new boolean[events];
        if (events == 0) {
            allReplied.complete(null);
        }
    }

    /** Completes once every event has its reply; fails if a connection does. */
    CompletableFuture<Void> allReplied() {
        return allReplied;
    }

    void sent(int event, long at, long lagNanos) {
        sentAt[event] = at;
        sent++;
        if (lagNanos > LATE_NANOS) {
            late++;
        }
        maxLag = Math.max(maxLag, lagNanos);
    }

    void acked() {
        acked++;
    }

    /** A reply naming {@code event} arrived at {@code at}. */
    void replied(long event, long at) {
        if (event < 0 || event >= sentAt.length || sentAt[(int) event] == 0) {
            unknown++; // not an event of this run that was sent
            return;
        }
        int i = (int) event;
        if (replied[i]) {
            duplicates++; // a QoS 1 redelivery
            return;
        }
        replied[i] = true;
        repliedCount++;
        latencies.recordValue(Math.min(Math.max(0, at - sentAt[i]), MAX_NANOS));
        if (repliedCount == sentAt.length) {
            allReplied.complete(null);
        }
    }

    void unknownReply() {
        unknown++;
    }

    /** A connection failed: the run cannot be trusted, and nobody should wait for more replies. */
    void failed(IOException cause) {
        allReplied.completeExceptionally(cause);
    }

    Tally tally() {
        return new Tally(sent, acked, repliedCount, duplicates, unknown, late, maxLag, latencies.copy());
    }
}
