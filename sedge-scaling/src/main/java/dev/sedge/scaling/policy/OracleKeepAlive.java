package dev.sedge.scaling.policy;

import java.util.Arrays;
import java.util.Map;

/**
 * Knows every function's future events: after each event it lets the instance go and starts one a cold
 * start before the next event, or keeps it when the next event comes sooner than a start would take. The
 * lower bound no real policy can pass: no avoidable cold start, and no memory wasted beyond gaps shorter
 * than a cold start. Only the simulator can build one.
 */
public final class OracleKeepAlive extends PerFunctionPolicy<OracleKeepAlive.Future> {

    public static final String NAME = "oracle";

    /**
     * @param arrivals each function's event times, in order
     * @param context for the cold start each pre-warm must lead by
     */
    public OracleKeepAlive(Map<String, long[]> arrivals, PolicyContext context) {
        super(NAME, f -> new Future(copy(arrivals, f), context.coldStartMillis()));
    }

    private static long[] copy(Map<String, long[]> arrivals, String function) {
        long[] times = arrivals.get(function);
        return times == null ? new long[0] : Arrays.copyOf(times, times.length);
    }

    static final class Future implements History {
        private final long[] times;
        private final long coldStart;
        private int next;

        Future(long[] times, long coldStart) {
            this.times = times;
            this.coldStart = coldStart;
        }

        @Override
        public void arrived(long atMillis) {
            // One event consumes one time: several events in the same millisecond all come.
            if (next < times.length) {
                next++;
            }
        }

        @Override
        public WarmPlan plan(long now) {
            if (next == times.length) {
                return WarmPlan.keep(now, now, () -> "no event comes again");
            }
            long at = times[next];
            if (at - coldStart <= now) {
                return WarmPlan.keep(now, at + 1, () -> "the next event comes before a start would finish");
            }
            return WarmPlan.prewarm(at - coldStart, at + 1, () -> "the next event comes at " + at);
        }
    }
}
