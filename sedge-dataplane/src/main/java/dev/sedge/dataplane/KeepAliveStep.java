package dev.sedge.dataplane;

import dev.sedge.dataplane.time.Timers;
import dev.sedge.dataplane.warm.WarmPlanner;
import dev.sedge.scaling.Decision;
import dev.sedge.scaling.policy.WarmPlan;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A keep-alive policy's part in one function's scaling: the step between zero and one instance. The
 * autoscaler owns everything above one; the plan decides whether there is one at all whenever the function
 * holds no event and the autoscaler wants at most one. Until the function's first event the policy has no
 * plan, and the autoscaler decides alone, so that the initial instances of a new deployment start as they
 * would without a policy.
 *
 * <p>The policy's times are milliseconds of the dispatcher's monotonic clock ({@link Timers#nanoTime()}).
 *
 * <p>Not thread-safe: guarded by the dispatcher's lock. Its seat takes only its policy's lock.
 */
final class KeepAliveStep {

    private static final long MILLI = 1_000_000;

    private final WarmPlanner.Seat seat;
    private final int min;
    private final Timers timers;
    private final Clock clock;
    private boolean arrived;
    /** The plan the last decision followed, or null when the autoscaler made it. */
    private WarmPlan plan;

    private long plannedAt;
    private boolean prewarm;

    /** @param min the function's minimum instances, which no plan goes below */
    KeepAliveStep(WarmPlanner.Seat seat, int min, Timers timers, Clock clock) {
        this.seat = seat;
        this.min = min;
        this.timers = timers;
        this.clock = clock;
    }

    /**
     * The step of a function that names a keep-alive policy, seated at it; null for one that does not.
     *
     * @throws IllegalArgumentException for a policy the planner does not know, or no planner
     */
    static KeepAliveStep of(DispatcherConfig config, DispatcherEnvironment env) {
        if (config.keepAlive() == null) {
            return null;
        }
        if (env.planner() == null) {
            throw new IllegalArgumentException("keep-alive policy \"" + config.keepAlive() + "\" named for "
                    + config.function() + ", but this environment has no planner");
        }
        return new KeepAliveStep(
                env.planner().join(config.function(), config.keepAlive()),
                config.scale().min(),
                env.timers(),
                env.clock());
    }

    WarmPlanner.Seat seat() {
        return seat;
    }

    /**
     * An event was admitted at {@code nowNanos}. The other functions whose plans changed with it are
     * re-planned in {@code after}, once the dispatcher's lock is let go.
     */
    void arrived(long nowNanos, List<Runnable> after) {
        arrived = true;
        Set<String> others = seat.arrived(millis(nowNanos));
        if (!others.isEmpty()) {
            after.add(() -> seat.replanOthers(others));
        }
    }

    /**
     * The decision with the plan's step in it.
     *
     * @param kpa what the autoscaler wants
     * @param holdsEvent whether an event is in the function (running, queued, behind its key or retrying)
     * @param up instances ready or starting
     */
    Decision decide(Decision kpa, boolean holdsEvent, int up, long nowNanos) {
        prewarm = false;
        if (!arrived || holdsEvent || kpa.desired() > 1) {
            plan = null;
            return kpa;
        }
        long now = millis(nowNanos);
        plan = seat.plan(now);
        plannedAt = now;
        boolean warm = plan.warmAt(now);
        int want = Math.max(min, warm ? 1 : 0);
        prewarm = warm && up == 0;
        return new Decision(
                want,
                kpa.panic(),
                new PlanReason(plan, now, min, timers, clock),
                nowNanos,
                kpa.stableConcurrency(),
                kpa.panicConcurrency());
    }

    /** Whether the last decision followed the plan. */
    boolean owns() {
        return plan != null;
    }

    /** Whether the last decision starts an instance that no event asked for. */
    boolean prewarms() {
        return prewarm;
    }

    /**
     * When the plan next asks for a decision, in nanoseconds, or {@link Long#MAX_VALUE}; only when {@link
     * #owns()}.
     */
    long nextChangeNanos(long nowNanos) {
        long next = plan.nextChange(plannedAt);
        if (next == Long.MAX_VALUE || next >= Long.MAX_VALUE / MILLI) {
            return Long.MAX_VALUE;
        }
        return Math.max(next, plannedAt + 1) * MILLI; // after now, as the simulator carries a plan out
    }

    /** When the next pre-warm starts, or null when the plan has none ahead. */
    Instant nextPrewarm() {
        return owns() && plan.warmFrom() > plannedAt && plan.warmFrom() != Long.MAX_VALUE
                ? wall(plan.warmFrom())
                : null;
    }

    /** Until when the instance is kept, or null when it is not kept or kept until the next event. */
    Instant keptUntil() {
        return owns() && plan.warmAt(plannedAt) && plan.warmUntil() != Long.MAX_VALUE ? wall(plan.warmUntil()) : null;
    }

    String policy() {
        return seat.policy();
    }

    private Instant wall(long millis) {
        return PlanReason.wall(millis, timers, clock);
    }

    static long millis(long nanos) {
        return Math.floorDiv(nanos, MILLI);
    }
}
