package dev.sedge.dataplane;

import dev.sedge.dataplane.time.Timers;
import dev.sedge.scaling.policy.WarmPlan;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Supplier;

/**
 * A decision that followed a keep-alive plan, in words, written only when read: "kept until 12:03:10 (in
 * 2m 40s): kept 5 min after the last event", "next pre-warm at 14:00:00 (in 1h 56m): ...". Times are the
 * wall clock's, and how far off they are is counted from when the words are read. Immutable.
 *
 * @param plan the plan the decision followed
 * @param plannedAt when it was asked for, in milliseconds of the monotonic clock
 * @param min the function's minimum, which keeps instances the plan lets go
 */
record PlanReason(WarmPlan plan, long plannedAt, int min, Timers timers, Clock clock) implements Supplier<String> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Override
    public String get() {
        String what;
        boolean warm = plan.warmAt(plannedAt);
        if (warm && plan.warmUntil() == Long.MAX_VALUE) {
            what = "kept until the next event";
        } else if (warm) {
            what = "kept until " + when(plan.warmUntil());
        } else if (plan.warmFrom() > plannedAt && plan.warmFrom() != Long.MAX_VALUE) {
            what = "next pre-warm at " + when(plan.warmFrom());
        } else {
            what = "no instance until the next event";
        }
        String raised = !warm && min > 0 ? " (held at min " + min + ")" : "";
        return what + raised + ": " + plan.reason();
    }

    /** A moment as "12:03:10 (in 2m 40s)", with the day when it is not today's. */
    private String when(long millis) {
        Instant now = clock.instant();
        long inNanos = millis * 1_000_000 - timers.nanoTime();
        ZonedDateTime local = now.plusNanos(inNanos).atZone(clock.getZone());
        boolean today = local.toLocalDate().equals(LocalDate.ofInstant(now, clock.getZone()));
        String text = (today ? TIME : DAY_TIME).format(local);
        long in = inNanos / 1_000_000;
        return text + (in > 0 ? " (in " + span(in) + ")" : " (now)");
    }

    /** A moment of the monotonic clock, in milliseconds, on the wall clock. */
    static Instant wall(long millis, Timers timers, Clock clock) {
        return clock.instant().plusNanos(millis * 1_000_000 - timers.nanoTime());
    }

    /** Milliseconds as a person reads them: 400ms, 12s, 2m 40s, 3h 5m. */
    static String span(long millis) {
        if (millis < 1000) {
            return millis + "ms";
        }
        long s = millis / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
        }
        return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + "m");
    }
}
