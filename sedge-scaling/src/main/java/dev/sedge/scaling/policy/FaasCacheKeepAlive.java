package dev.sedge.scaling.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keep-alive as caching, after Fuerst and Sharma, "FaasCache: keeping serverless computing alive with
 * greedy-dual caching", ASPLOS 2021 (doi:10.1145/3445814.3446757): every instance is kept until memory is
 * needed, and then the instances of lowest Greedy-Dual-Size-Frequency priority go. Never pre-warms.
 *
 * <p>What is taken from the paper's Greedy-Dual keep-alive: the node's memory is the cache
 * ({@link PolicyContext#nodeMemoryMib()}), an instance is an object of size {@link
 * PolicyContext#memoryMib()}, a cold start is a miss whose cost is {@link PolicyContext#coldStartMillis()}.
 * An instance's priority is {@code clock + frequency * cost / size}, set when it is brought in and again
 * at each of its events; {@code clock} is the priority of the last instance evicted, so that instances
 * not used for long fall below newly used ones (aging); {@code frequency} counts the function's events
 * since its instance was last brought in, and starts again from zero when the instance is evicted.
 *
 * <p>Here each function has at most one instance (the simulator's model), so a function either is kept
 * or is not. Only an event of a function that is not kept can need memory: it is admitted, and if the kept
 * instances would then exceed the budget, the lowest priority ones are evicted, the least recently used
 * first among equal priorities. The evicted functions are returned from {@link #arrived} so that the
 * caller lets their instances go at once.
 *
 * <p>Not thread-safe, as every policy. Lifecycle: one object serves a node (or a simulation) for its
 * life; {@link #removed} frees a function's slot without counting as an eviction.
 */
public final class FaasCacheKeepAlive implements KeepAlivePolicy {

    public static final String NAME = "faascache";

    private static final Comparator<Entry> EVICTION_ORDER =
            Comparator.comparingDouble((Entry e) -> e.priority).thenComparingLong(e -> e.lastUse);

    private final int capacity;
    private final double costPerMib;
    private final Map<String, Entry> entries = new HashMap<>();
    /** The kept instances, lowest priority first; unique because no two share a {@code lastUse}. */
    private final TreeSet<Entry> kept = new TreeSet<>(EVICTION_ORDER);

    private double clock;
    private long uses;

    /**
     * @param context the node's memory budget, one instance's memory, and the cold start an eviction
     *     costs
     */
    public FaasCacheKeepAlive(PolicyContext context) {
        // The context guarantees at least one instance fits.
        this.capacity = (int) Math.min(Integer.MAX_VALUE, context.nodeMemoryMib() / context.memoryMib());
        this.costPerMib = (double) context.coldStartMillis() / context.memoryMib();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> arrived(String function, long atMillis) {
        Entry entry = entries.computeIfAbsent(function, Entry::new);
        if (entry.kept) {
            kept.remove(entry); // before its keys change: the set finds it by them
            entry.frequency++;
            entry.lastUse = ++uses;
            entry.priority = clock + entry.frequency * costPerMib;
            kept.add(entry);
            return Set.of();
        }
        entry.frequency++;
        entry.lastUse = ++uses;
        List<String> evicted = new ArrayList<>(1);
        while (kept.size() >= capacity) {
            Entry victim = kept.pollFirst();
            clock = victim.priority;
            victim.kept = false;
            victim.frequency = 0;
            evicted.add(victim.function);
        }
        entry.priority = clock + entry.frequency * costPerMib;
        entry.kept = true;
        kept.add(entry);
        return evicted.isEmpty() ? Set.of() : Set.copyOf(evicted);
    }

    @Override
    public WarmPlan plan(String function, long nowMillis) {
        Entry entry = entries.get(function);
        if (entry == null) {
            return WarmPlan.none("no event yet");
        }
        if (!entry.kept) {
            return WarmPlan.keep(nowMillis, nowMillis, () -> "evicted: the memory went to a higher priority");
        }
        double priority = entry.priority;
        long frequency = entry.frequency;
        return WarmPlan.keep(
                nowMillis,
                Long.MAX_VALUE,
                () -> "kept until memory is needed (priority " + priority + " after " + frequency + " events)");
    }

    @Override
    public void removed(String function) {
        Entry entry = entries.remove(function);
        if (entry != null && entry.kept) {
            kept.remove(entry);
        }
    }

    /** The clock: the priority of the last instance evicted, 0 before the first eviction. */
    double clock() {
        return clock;
    }

    /** The priority {@code function}'s instance holds, or NaN when it is not kept. */
    double priority(String function) {
        Entry entry = entries.get(function);
        return entry == null || !entry.kept ? Double.NaN : entry.priority;
    }

    private static final class Entry {
        final String function;
        long frequency;
        double priority;
        /** The order of its last event among all functions' events: the tie-break, and unique. */
        long lastUse;

        boolean kept;

        Entry(String function) {
            this.function = function;
        }
    }
}
