package dev.sedge.scaling.policy;

import java.time.Duration;

/**
 * Keeps an instance for a fixed time after each event and never pre-warms: OpenWhisk's and AWS Lambda's
 * policy (OpenWhisk keeps 10 minutes). Named {@code fixed-<minutes>m}.
 */
public final class FixedKeepAlive extends PerFunctionPolicy<FixedKeepAlive.LastEvent> {

    /** OpenWhisk's keep-alive. */
    public static final Duration OPENWHISK = Duration.ofMinutes(10);

    /**
     * @param keepAlive how long an instance stays after an event; whole minutes, at least one
     */
    public FixedKeepAlive(Duration keepAlive) {
        super(nameOf(keepAlive), f -> new LastEvent(keepAlive.toMillis()));
    }

    /** {@code fixed-<minutes>m}, refusing what is not a positive whole number of minutes. */
    public static String nameOf(Duration keepAlive) {
        if (keepAlive.isNegative() || keepAlive.isZero() || keepAlive.toSeconds() % 60 != 0) {
            throw new IllegalArgumentException(
                    "fixed keep-alive " + keepAlive + " is not a positive whole number of minutes");
        }
        return "fixed-" + keepAlive.toMinutes() + "m";
    }

    static final class LastEvent implements History {
        private final long keepMillis;
        private long last;

        LastEvent(long keepMillis) {
            this.keepMillis = keepMillis;
        }

        @Override
        public void arrived(long atMillis) {
            last = atMillis;
        }

        @Override
        public WarmPlan plan(long now) {
            long until = last + keepMillis;
            return WarmPlan.keep(now, until, () -> "kept " + keepMillis / 60_000 + " min after the last event");
        }
    }
}
