package dev.sedge.bench.function;

import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Function;
import dev.sedge.api.Result;

/**
 * A function that keeps its thread busy for a fixed time, then replies with the payload it got: a
 * CPU-bound body whose cost the scale benchmark sets. The time is in the topic, level 2 in microseconds
 * ({@code bench/scale/1000}: one millisecond), so that the load generator chooses it without a redeploy.
 *
 * <p>It spins on the clock, not on the thread's CPU time, which the JDK does not measure for the virtual
 * threads functions run on: on a free core the two are the same; on a shared one the event still takes
 * that long and burns less. Packaged into its own jar at run time, like {@link NoopFunction}: only the
 * Sedge API and the JDK. Stateless and thread-safe.
 */
public final class BurnFunction implements Function {

    /** Level of the topic that holds the microseconds to burn. */
    public static final int BURN_LEVEL = 2;
    /** A longer burn is refused: the benchmark wants short events, and a typo should not hold a core. */
    public static final long MAX_BURN_MICROS = 1_000_000;

    @Override
    public Result handle(Event event, Context context) throws InterruptedException {
        long nanos = burnMicros(event.subjectLevel(BURN_LEVEL)) * 1000;
        long start = System.nanoTime();
        while (System.nanoTime() - start < nanos) {
            if (Thread.interrupted()) {
                throw new InterruptedException("burn abandoned at its deadline");
            }
            Thread.onSpinWait();
        }
        return Result.of(event.data(), event.dataContentType());
    }

    static long burnMicros(String level) {
        long micros;
        try {
            micros = level == null ? -1 : Long.parseLong(level);
        } catch (NumberFormatException e) {
            micros = -1;
        }
        if (micros < 0 || micros > MAX_BURN_MICROS) {
            throw new IllegalArgumentException("topic level " + BURN_LEVEL + " must be the microseconds to burn, 0.."
                    + MAX_BURN_MICROS + ", was " + level);
        }
        return micros;
    }
}
