package dev.sedge.bench.replay;

import dev.sedge.bench.targets.NodeApi;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One mode's replay against a running node: deploy one echo function per key, wait until they have
 * settled, read the node's counters, publish every event at its due time while the replies are timed,
 * read the counters again once every reply is in (or a drain bound has passed), and remove the
 * functions, whatever happened. Before the first mode, a warm-up runs the node's whole path (broker,
 * dispatcher, wasm runtime) hot on a function of its own, so that the first mode measured does not pay
 * for the node's JIT and the second does not look better for coming later.
 *
 * <p>Not thread-safe; one run at a time. Lifecycle: construct, {@link #warmUp}, {@link #run} per mode.
 */
final class TraceReplay {

    /** The first event is due this long after the counters are read, so that both ends are ready. */
    private static final long LEAD_NANOS = 500_000_000;
    /** How long the functions may take to settle after deploy. */
    private static final Duration SETTLE_BOUND = Duration.ofSeconds(60);
    /** How long replies may still come after the last event was due; what has not come is lost. */
    static final Duration DRAIN = Duration.ofSeconds(30);
    /** The warm-up's rate: a few thousand events make the node's path hot in a few seconds. */
    static final int WARMUP_PER_SECOND = 1000;

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

    /**
     * What one mode measured.
     *
     * @param node the node's counters over the replay, for its functions
     * @param wallSeconds the time between the two readings of those counters
     * @param instanceSecondsCounted whether the node counts instance-seconds at all
     */
    record Outcome(
            ReplayMode mode,
            ReplayLedger.Tally tally,
            NodeReading node,
            double wallSeconds,
            boolean instanceSecondsCounted) {}

    private final ReplaySettings settings;
    private final List<String> keys;
    private final Schedule schedule;
    private final EchoArtifact artifact;
    private final NodeApi api;
    private final PrintWriter progress;

    /** @param keys the functions of the schedule, by index */
    TraceReplay(
            ReplaySettings settings,
            List<String> keys,
            Schedule schedule,
            EchoArtifact artifact,
            NodeApi api,
            PrintWriter progress) {
        this.settings = settings;
        this.keys = List.copyOf(keys);
        this.schedule = schedule;
        this.artifact = artifact;
        this.api = api;
        this.progress = progress;
    }

    /**
     * Sends {@code events} events at {@link #WARMUP_PER_SECOND} to a function of its own, kept at one
     * instance, waits for their replies and removes it; nothing of it is measured. None for 0.
     */
    void warmUp(int events) throws IOException, InterruptedException {
        if (events == 0) {
            return;
        }
        String run = runId();
        ReplayFunctions function = ReplayFunctions.warmUp(run, artifact, settings.memoryMib());
        Schedule burst = Schedule.uniform(events, 1_000_000_000L / WARMUP_PER_SECOND);
        try (ReplayClient client = connect(run, function, burst)) {
            say("warm-up: %d events at %d/s", events, WARMUP_PER_SECOND);
            function.deploy(api, ReplayMode.serverful);
            function.awaitSettled(api, ReplayMode.serverful, SETTLE_BOUND);
            long start = System.nanoTime() + LEAD_NANOS;
            client.begin(start);
            awaitReplies(client, "warm-up", burst, start);
            ReplayLedger.Tally t = client.tally();
            say("warm-up: %d of %d events replied", t.replied(), t.sent());
        } finally {
            function.remove(api, progress);
        }
    }

    /** Replays the schedule in {@code mode}; the functions are removed again before it returns. */
    Outcome run(ReplayMode mode) throws IOException, InterruptedException {
        String run = runId();
        ReplayFunctions functions = new ReplayFunctions(keys, run, artifact, settings.memoryMib());
        try (ReplayClient client = connect(run, functions, schedule)) {
            say("%s: deploying %d functions", mode, functions.size());
            functions.deploy(api, mode);
            functions.awaitSettled(api, mode, SETTLE_BOUND);
            NodeReading before = NodeReading.of(api.metrics(), functions.names());
            long readBefore = System.nanoTime();
            long start = readBefore + LEAD_NANOS;
            say(
                    "%s: replaying %d events over %.1f min",
                    mode, schedule.events(), (LEAD_NANOS + schedule.spanNanos()) / 60e9);
            client.begin(start);
            awaitReplies(client, mode.name(), schedule, start);
            ReplayLedger.Tally tally = client.tally();
            String after = api.metrics();
            long readAfter = System.nanoTime();
            NodeReading used = NodeReading.of(after, functions.names()).since(before);
            say("%s: %d of %d events replied", mode, tally.replied(), tally.sent());
            return new Outcome(
                    mode, tally, used, (readAfter - readBefore) / 1e9, NodeReading.countsInstanceSeconds(after));
        } finally {
            functions.remove(api, progress);
        }
    }

    private static String runId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /** Connects before anything is deployed, so that an unreachable broker stops the run at once. */
    private ReplayClient connect(String run, ReplayFunctions functions, Schedule events)
            throws IOException, InterruptedException {
        try {
            return ReplayClient.connect(
                    settings.mqttHost(),
                    settings.mqttPort(),
                    "sedge-replay-" + run,
                    events,
                    functions.topics(),
                    functions.replyFilter());
        } catch (IOException e) {
            throw new IOException("--mqtt: " + e.getMessage(), e);
        }
    }

    private void awaitReplies(ReplayClient client, String label, Schedule events, long start)
            throws IOException, InterruptedException {
        long lastDue = start + events.spanNanos();
        long deadline = lastDue + DRAIN.toNanos();
        while (true) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                return; // what has not come is counted as lost
            }
            try {
                client.allReplied().get(Math.min(PROGRESS_EVERY.toNanos(), deadline - now), TimeUnit.NANOSECONDS);
                return;
            } catch (TimeoutException e) {
                ReplayLedger.Tally t = client.tally();
                say(
                        "%s: %d of %d events sent, %d replied; %.1f min to the last event",
                        label, t.sent(), events.events(), t.replied(), Math.max(0, lastDue - System.nanoTime()) / 60e9);
            } catch (ExecutionException e) {
                throw new IOException("the replay failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private void say(String format, Object... args) {
        progress.println(String.format(Locale.ROOT, format, args));
        progress.flush();
    }
}
