package dev.sedge.sandbox;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The timings of one cold start, phase by phase. A sandbox calls {@link #mark} as each phase ends; the
 * time since the previous mark (or since the cold start began) is added to that phase.
 *
 * <p>Not thread-safe: one cold start is timed by the thread that performs it.
 */
public final class ColdStart {

    private final LongSupplier nanoTime;
    private final EnumMap<Phase, Long> nanos = new EnumMap<>(Phase.class);
    private long last;

    /** Starts timing now. */
    public ColdStart(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.last = nanoTime.getAsLong();
    }

    /** A cold start timed with {@link System#nanoTime()}. */
    public static ColdStart begin() {
        return new ColdStart(System::nanoTime);
    }

    /** Ends a phase: the time since the previous mark is added to it. */
    public void mark(Phase phase) {
        long now = nanoTime.getAsLong();
        nanos.merge(phase, now - last, Long::sum);
        last = now;
    }

    /** Restarts the clock without charging the elapsed time to any phase. */
    public void skip() {
        last = nanoTime.getAsLong();
    }

    /** The nanoseconds spent in a phase so far, 0 when it was never marked. */
    public long nanos(Phase phase) {
        return nanos.getOrDefault(phase, 0L);
    }

    /** The sum of all phases so far, in nanoseconds. */
    public long totalNanos() {
        long sum = 0;
        for (long n : nanos.values()) {
            sum += n;
        }
        return sum;
    }

    /** Every phase marked so far, in phase order, keyed by {@link Phase#label()}; an unmodifiable copy. */
    public Map<String, Duration> byLabel() {
        Map<String, Duration> out = new LinkedHashMap<>();
        nanos.forEach((p, n) -> out.put(p.label(), Duration.ofNanos(n)));
        return Collections.unmodifiableMap(out);
    }
}
