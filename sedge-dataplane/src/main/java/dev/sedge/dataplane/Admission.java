package dev.sedge.dataplane;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a function's events wait: the queue of events ready to run as soon as an instance has a free
 * slot, in arrival order (retries go first), the events waiting out a retry's backoff, and per order key
 * a lane of events waiting for the earlier event of their key to finish, so that same-key events run one at a time in arrival order while events
 * of other keys run beside them. Also counts the events running, so that the concurrency the autoscaler
 * sees is {@code running + queued}: an event waiting behind its key is not load more instances could take.
 *
 * <p>Not thread-safe: guarded by the dispatcher's lock.
 */
final class Admission {

    private final ArrayDeque<Invocation> queue = new ArrayDeque<>();
    private final Map<String, ArrayDeque<Invocation>> lanes = new HashMap<>();
    private final Set<Invocation> backingOff = new HashSet<>();
    private int behindKey;
    private int running;
    private int mostQueued;

    /**
     * Lets an event through its order key: true when it may run now (no key, or its key is free, which it
     * now holds); false when an earlier event of its key is still being handled, and it waits in that lane.
     */
    boolean enterLane(Invocation inv) {
        String key = inv.options.orderKey();
        if (key == null) {
            return true;
        }
        ArrayDeque<Invocation> lane = lanes.get(key);
        if (lane == null) {
            lanes.put(key, new ArrayDeque<>());
            inv.holdsKey = true;
            return true;
        }
        lane.add(inv);
        behindKey++;
        return false;
    }

    /** An event's handling ended: the next event of its key, which now holds the key, or null. */
    Invocation leaveLane(Invocation inv) {
        if (!inv.holdsKey) {
            return null; // refused before it took its key, or its lane was emptied when the function closed
        }
        inv.holdsKey = false;
        String key = inv.options.orderKey();
        ArrayDeque<Invocation> lane = lanes.get(key);
        if (lane == null) {
            return null;
        }
        Invocation next = lane.poll();
        if (next == null) {
            lanes.remove(key);
        } else {
            behindKey--;
            next.holdsKey = true;
        }
        return next;
    }

    void enqueue(Invocation inv, boolean first) {
        if (first) {
            queue.addFirst(inv);
        } else {
            queue.addLast(inv);
        }
        mostQueued = Math.max(mostQueued, queue.size());
    }

    int mostQueued() {
        return mostQueued;
    }

    Invocation poll() {
        return queue.poll();
    }

    /** Takes every queued event out, oldest first. */
    List<Invocation> takeQueued() {
        List<Invocation> all = new ArrayList<>(queue);
        queue.clear();
        return all;
    }

    /** Takes every event waiting behind its key out, and frees every key. */
    List<Invocation> takeLanes() {
        List<Invocation> all = new ArrayList<>();
        lanes.values().forEach(all::addAll);
        all.forEach(inv -> inv.holdsKey = false);
        lanes.clear();
        behindKey = 0;
        return all;
    }

    /** A failed event waits out its retry's backoff. */
    void backOff(Invocation inv) {
        backingOff.add(inv);
    }

    /** Its backoff is over: true when it was still waiting (not taken by {@link #takeBackingOff}). */
    boolean backedOff(Invocation inv) {
        return backingOff.remove(inv);
    }

    /** Takes every event waiting for a retry out. */
    List<Invocation> takeBackingOff() {
        List<Invocation> all = List.copyOf(backingOff);
        backingOff.clear();
        return all;
    }

    /** Events waiting, but not for a slot: behind an earlier one of their key, or for their retry. */
    int waiting() {
        return behindKey + backingOff.size();
    }

    void started() {
        running++;
    }

    void ended() {
        running--;
    }

    int running() {
        return running;
    }

    int queued() {
        return queue.size();
    }

    int behindKey() {
        return behindKey;
    }

    /** The concurrency the autoscaler sees: events running and events only waiting for a slot. */
    int level() {
        return running + queue.size();
    }
}
