package dev.sedge.scaling.policy;

import java.util.function.Supplier;

/**
 * One function's plan: an instance should be ready in {@code [warmFrom, warmUntil)} and none is needed
 * outside it. Times are in milliseconds on the policy's clock. Immutable.
 *
 * <p>Whoever carries the plan out, at {@code now}:
 *
 * <ul>
 *   <li>{@code warmFrom <= now < warmUntil}: keeps the instance it has, or starts one now (a pre-warm);
 *   <li>{@code now < warmFrom}: lets the instance go now and starts one at {@code warmFrom};
 *   <li>{@code now >= warmUntil}: lets the instance go, and starts none until the next event.
 * </ul>
 *
 * A policy that wants an instance ready at a moment asks for it a cold start earlier: starting takes
 * time, and the plan says when to start. An event that finds no ready instance starts one whatever the
 * plan says, and the plan is asked again.
 *
 * @param warmFrom when an instance should be started or be there
 * @param warmUntil when it may go; {@link Long#MAX_VALUE} keeps it until the next event
 * @param reviewAt when to ask the policy again even if no event comes ({@link Long#MAX_VALUE}: only
 *     after the next event, or when the policy names this function from {@link KeepAlivePolicy#arrived})
 * @param why the plan in words, written only when read
 */
public record WarmPlan(long warmFrom, long warmUntil, long reviewAt, Supplier<String> why) {

    /** The times are in order and there is a reason. */
    public WarmPlan {
        if (warmUntil < warmFrom) {
            throw new IllegalArgumentException("warmUntil " + warmUntil + " is before warmFrom " + warmFrom);
        }
        if (why == null) {
            throw new IllegalArgumentException("why is null");
        }
    }

    /** No instance, and nothing to review until an event. */
    public static WarmPlan none(String why) {
        return new WarmPlan(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, () -> why);
    }

    /** Keep the instance from {@code now} until {@code until}. */
    public static WarmPlan keep(long now, long until, Supplier<String> why) {
        return new WarmPlan(now, Math.max(now, until), Long.MAX_VALUE, why);
    }

    /** Let the instance go now, start one at {@code from} and keep it until {@code until}. */
    public static WarmPlan prewarm(long from, long until, Supplier<String> why) {
        return new WarmPlan(from, Math.max(from, until), Long.MAX_VALUE, why);
    }

    /** The same plan, asked again at {@code at}. */
    public WarmPlan reviewedAt(long at) {
        return new WarmPlan(warmFrom, warmUntil, at, why);
    }

    /** Whether an instance should be there at {@code now}. */
    public boolean warmAt(long now) {
        return warmFrom <= now && now < warmUntil;
    }

    /** The next moment the plan itself asks for a change after {@code now}, or {@link Long#MAX_VALUE}. */
    public long nextChange(long now) {
        long next = reviewAt;
        if (warmFrom > now) {
            next = Math.min(next, warmFrom);
        } else if (warmUntil > now) {
            next = Math.min(next, warmUntil);
        }
        return next;
    }

    /** The plan in words. */
    public String reason() {
        return why.get();
    }
}
