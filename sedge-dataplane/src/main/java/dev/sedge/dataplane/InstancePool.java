package dev.sedge.dataplane;

import dev.sedge.dataplane.PooledInstance.State;
import java.util.ArrayList;
import java.util.List;

/**
 * A function's instances, from zero to its maximum: which are starting, ready or draining, and how many
 * events each runs against the function's concurrency. The actuator of the autoscaler: {@link #scaleTo}
 * says which instances to start and which to close; the dispatcher does both off its lock.
 *
 * <p>Every instance not yet closed counts against the maximum, draining ones included, so that the
 * function never has more than {@code max} instances alive at once, even while a failed one finishes.
 * Events go to the first ready instance with a free slot in start order, which packs them onto the
 * oldest instances and leaves the newest idle to be retired first.
 *
 * <p>Not thread-safe: guarded by the dispatcher's lock.
 */
final class InstancePool {

    /** What a change asks the dispatcher to do once it has let go of its lock. */
    record Changes(List<PooledInstance> toStart, List<PooledInstance> toClose) {
        static final Changes NONE = new Changes(List.of(), List.of());

        boolean isEmpty() {
            return toStart.isEmpty() && toClose.isEmpty();
        }
    }

    private final int concurrency;
    private final int max;
    private final List<PooledInstance> instances = new ArrayList<>();
    private int desired;
    private int peak;
    /** Instances in {@link State#READY}, kept as states change so that reading it costs no scan. */
    private int ready;

    private long started;

    /**
     * @param concurrency events one instance runs at once
     * @param max instances alive at most, {@link Integer#MAX_VALUE} for no limit
     */
    InstancePool(int concurrency, int max) {
        this.concurrency = concurrency;
        this.max = max;
    }

    /** A ready instance with a free slot, with the slot taken; null when there is none. */
    PooledInstance claim() {
        for (PooledInstance p : instances) {
            if (p.state == State.READY && p.inFlight < concurrency) {
                p.inFlight++;
                return p;
            }
        }
        return null;
    }

    /**
     * Frees the slot an event held. A draining instance whose last event this was is closed.
     *
     * @return the instance to close, or null
     */
    PooledInstance release(PooledInstance p) {
        p.inFlight--;
        if (p.state == State.DRAINING && p.inFlight == 0) {
            return remove(p);
        }
        return null;
    }

    /** Aims for {@code n} instances. */
    Changes scaleTo(int n) {
        desired = n;
        return refill();
    }

    /** Starts what the desired count lacks, as far as the maximum allows, or retires what it has too many of. */
    Changes refill() {
        int active = count(State.STARTING) + count(State.READY);
        if (active < desired) {
            int room = Math.min(desired - active, max - instances.size());
            if (room <= 0) {
                return Changes.NONE;
            }
            List<PooledInstance> start = new ArrayList<>(room);
            for (int i = 0; i < room; i++) {
                PooledInstance p = new PooledInstance(++started);
                instances.add(p);
                start.add(p);
            }
            peak = Math.max(peak, instances.size());
            return new Changes(start, List.of());
        }
        if (active > desired) {
            return new Changes(List.of(), retireSurplus(active - desired));
        }
        return Changes.NONE;
    }

    /** Retires {@code surplus} instances: starting ones first, then idle ones, newest first, then busy ones. */
    private List<PooledInstance> retireSurplus(int surplus) {
        List<PooledInstance> close = new ArrayList<>();
        for (int pass = 0; pass < 3 && surplus > 0; pass++) {
            for (int i = instances.size() - 1; i >= 0 && surplus > 0; i--) {
                PooledInstance p = instances.get(i);
                boolean pick = switch (pass) {
                    case 0 -> p.state == State.STARTING;
                    case 1 -> p.state == State.READY && p.inFlight == 0;
                    default -> p.state == State.READY;
                };
                if (pick) {
                    surplus--;
                    if (p.state == State.STARTING || p.inFlight > 0) {
                        // A starting one is closed by its starter once the start returns; a busy one by its
                        // last event.
                        moveTo(p, State.DRAINING);
                    } else {
                        close.add(remove(p));
                    }
                }
            }
        }
        return close;
    }

    /**
     * An instance finished starting. It becomes ready, or is closed when it was retired meanwhile.
     *
     * @return true when it is ready
     */
    boolean started(PooledInstance p) {
        if (p.state != State.STARTING) {
            // Retired while it started (DRAINING), or already taken out by clear() (CLOSED, with no instance
            // to close then): its starter closes it now.
            remove(p);
            return false;
        }
        moveTo(p, State.READY);
        return true;
    }

    /** An instance could not be started; it is forgotten. */
    void startFailed(PooledInstance p) {
        instances.remove(p);
        moveTo(p, State.CLOSED);
    }

    /**
     * Retires an instance after a failed attempt: it takes no new event and is closed once idle.
     *
     * @return the instance to close now, or null when events still run on it
     */
    PooledInstance retire(PooledInstance p) {
        if (p.state == State.CLOSED) {
            return null;
        }
        moveTo(p, State.DRAINING);
        return p.inFlight == 0 ? remove(p) : null;
    }

    /**
     * Removes an instance at once, events running on it or not: how a stuck guest is stopped.
     *
     * @return the instance to close, or null when it was closed already
     */
    PooledInstance forceRemove(PooledInstance p) {
        return p.state == State.CLOSED ? null : remove(p);
    }

    /** Removes every instance; returns those the caller closes (starting ones are closed by their starters). */
    List<PooledInstance> clear() {
        desired = 0;
        List<PooledInstance> close = new ArrayList<>();
        for (PooledInstance p : List.copyOf(instances)) {
            if (p.state == State.STARTING) {
                moveTo(p, State.DRAINING);
            } else {
                close.add(remove(p));
            }
        }
        return close;
    }

    private PooledInstance remove(PooledInstance p) {
        instances.remove(p);
        moveTo(p, State.CLOSED);
        return p;
    }

    /** Every change of an instance's state goes through here, which keeps {@link #ready} exact. */
    private void moveTo(PooledInstance p, State next) {
        if (p.state == State.READY) {
            ready--;
        }
        if (next == State.READY) {
            ready++;
        }
        p.state = next;
    }

    /** Whether any instance is ready or starting: whether a queued event has one to wait for. */
    boolean anyUp() {
        for (PooledInstance p : instances) {
            if (p.state == State.READY || p.state == State.STARTING) {
                return true;
            }
        }
        return false;
    }

    /** Instances that take events now. */
    int ready() {
        return ready;
    }

    int count(State s) {
        if (s == State.READY) {
            return ready;
        }
        int n = 0;
        for (PooledInstance p : instances) {
            if (p.state == s) {
                n++;
            }
        }
        return n;
    }

    /** Instances alive: starting, ready or draining. */
    int alive() {
        return instances.size();
    }

    int desired() {
        return desired;
    }

    int peak() {
        return peak;
    }
}
