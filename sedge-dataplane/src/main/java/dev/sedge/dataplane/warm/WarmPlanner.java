package dev.sedge.dataplane.warm;

import dev.sedge.scaling.policy.KeepAlivePolicy;
import dev.sedge.scaling.policy.WarmPlan;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The node's keep-alive policies: one {@link KeepAlivePolicy} object per policy name, shared by every
 * function that names it (a policy may weigh functions against each other: a memory budget, devices that
 * move together), and each function's {@link Seat} at its policy.
 *
 * <p>Policies are not thread-safe; each has a lock of its own here, and every call to a policy is made
 * under it. That lock is a leaf: nothing here calls a dispatcher, or anything else that takes a lock, while
 * holding it. A policy that names other functions whose plans changed ({@link KeepAlivePolicy#arrived})
 * has them told through {@link Seat#replanOthers}, which the caller runs once it holds no lock at all.
 *
 * <p>Thread-safe. Lifecycle: construct once per node; {@link #join} as functions activate, {@link
 * Seat#leave} as they go.
 */
public final class WarmPlanner {

    /** A policy and the functions seated at it; every field guarded by the shared object's monitor. */
    private static final class Shared {
        final KeepAlivePolicy policy;
        final Set<Seat> seats = new HashSet<>();
        /**
         * The latest time an event was told at. Each function reads its clock under its own lock, before
         * this policy's: two functions' events may reach it out of order by a moment, and a policy's times
         * never go backwards. Guarded by this object.
         */
        long latest = Long.MIN_VALUE;

        Shared(KeepAlivePolicy policy) {
            this.policy = policy;
        }
    }

    private final Function<String, KeepAlivePolicy> newPolicy;
    /** Guarded by this. */
    private final Map<String, Shared> policies = new HashMap<>();
    /** Each function's seat, for re-planning it when its policy names it. */
    private final Map<String, Seat> seats = new ConcurrentHashMap<>();

    /**
     * @param newPolicy a new policy given its name; throws {@link IllegalArgumentException} for a name it
     *     does not know, naming it
     */
    public WarmPlanner(Function<String, KeepAlivePolicy> newPolicy) {
        this.newPolicy = newPolicy;
    }

    /**
     * Seats a function at the policy of that name, creating the policy for its first function. A function
     * seated already (a new version that sits down before the old one leaves) keeps the policy's history,
     * and only the new seat is re-planned; one that left first starts afresh.
     *
     * @throws IllegalArgumentException for an unknown policy name, before anything is seated
     */
    public Seat join(String function, String policyName) {
        Shared shared;
        synchronized (this) {
            shared = policies.get(policyName);
            if (shared == null) {
                shared = new Shared(newPolicy.apply(policyName));
                policies.put(policyName, shared);
            }
            synchronized (shared) {
                Seat seat = new Seat(this, shared, function);
                shared.seats.add(seat);
                seats.put(function, seat);
                return seat;
            }
        }
    }

    /** Functions seated now, for tests and status. */
    public int seated() {
        return seats.size();
    }

    private void left(Seat seat) {
        synchronized (this) {
            Shared shared = seat.shared;
            boolean last;
            synchronized (shared) {
                if (!shared.seats.remove(seat)) {
                    return; // left already
                }
                // A function whose new version sat down before the old one left keeps its history.
                boolean stillSeated = false;
                for (Seat s : shared.seats) {
                    stillSeated |= s.function.equals(seat.function);
                }
                if (!stillSeated) {
                    shared.policy.removed(seat.function);
                }
                last = shared.seats.isEmpty();
            }
            if (last) {
                policies.remove(shared.policy.name(), shared);
            }
            seats.remove(seat.function, seat);
        }
    }

    /**
     * One function's place at its policy. Its calls may be made under the function's own lock: they take
     * only the policy's, and call out to nothing. Thread-safe.
     */
    public static final class Seat {
        private final WarmPlanner planner;
        private final Shared shared;
        private final String function;
        private volatile Runnable replan;

        private Seat(WarmPlanner planner, Shared shared, String function) {
            this.planner = planner;
            this.shared = shared;
            this.function = function;
        }

        /**
         * From now on, the policy naming this function after another's event runs {@code replan}: with no
         * lock held, on the thread of that other event, so it should only hand the work on (a zero-delay
         * timer that decides again). Before this, such a naming is dropped: a function being set up has had
         * no event, and the policy has no plan for it yet.
         */
        public void whenNamed(Runnable replan) {
            this.replan = replan;
        }

        /** The policy's name. */
        public String policy() {
            return shared.policy.name();
        }

        /**
         * An event of the function arrived at {@code nowMillis}.
         *
         * @return the other functions whose plans changed with it, for {@link #replanOthers} once no lock
         *     is held; usually empty
         */
        public Set<String> arrived(long nowMillis) {
            Set<String> others;
            synchronized (shared) {
                shared.latest = Math.max(shared.latest, nowMillis);
                others = shared.policy.arrived(function, shared.latest);
            }
            return others.isEmpty() || others.equals(Set.of(function)) ? Set.of() : others;
        }

        /** The function's plan from {@code nowMillis} on. */
        public WarmPlan plan(long nowMillis) {
            synchronized (shared) {
                return shared.policy.plan(function, Math.max(shared.latest, nowMillis));
            }
        }

        /**
         * Has each of the named functions re-planned (those not seated, and this one, are skipped). Must be
         * called with no lock held: it hands each to its own re-plan, which never runs on this thread.
         */
        public void replanOthers(Set<String> others) {
            for (String other : others) {
                Seat seat = planner.seats.get(other);
                Runnable r = seat == null || other.equals(function) ? null : seat.replan;
                if (r != null) {
                    r.run();
                }
            }
        }

        /** The function went: its policy forgets it, unless a new version of it is seated. Idempotent. */
        public void leave() {
            planner.left(this);
        }
    }
}
