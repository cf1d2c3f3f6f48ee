package dev.sedge.dataplane;

import dev.sedge.scaling.policy.KeepAlivePolicy;
import dev.sedge.scaling.policy.WarmPlan;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A keep-alive policy whose plan the test writes: after each event of a function, let its instance go and
 * pre-warm one {@code prewarmAfter} later for {@code keepFor}; an event of a function also keeps each of its
 * neighbours for {@code keepFor} from then, and names them. Not thread-safe, as every policy.
 */
final class ScriptedPolicy implements KeepAlivePolicy {

    static final String NAME = "scripted";

    final List<String> removed = new CopyOnWriteArrayList<>();
    private final long prewarmAfter;
    private final long keepFor;
    private final Map<String, Set<String>> neighbours;
    private final Map<String, Long> last = new HashMap<>();
    private final Map<String, Long> named = new HashMap<>();

    ScriptedPolicy(Duration prewarmAfter, Duration keepFor, Map<String, Set<String>> neighbours) {
        this.prewarmAfter = prewarmAfter.toMillis();
        this.keepFor = keepFor.toMillis();
        this.neighbours = neighbours;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> arrived(String function, long atMillis) {
        last.put(function, atMillis);
        Set<String> others = neighbours.getOrDefault(function, Set.of());
        for (String n : others) {
            named.put(n, atMillis);
        }
        return others;
    }

    @Override
    public WarmPlan plan(String function, long nowMillis) {
        Long n = named.get(function);
        if (n != null && nowMillis < n + keepFor) {
            return WarmPlan.keep(nowMillis, n + keepFor, () -> "a neighbour's event");
        }
        Long t = last.get(function);
        if (t == null) {
            return WarmPlan.none("no event yet");
        }
        return WarmPlan.prewarm(t + prewarmAfter, t + prewarmAfter + keepFor, () -> "the next event is due then");
    }

    @Override
    public void removed(String function) {
        removed.add(function);
        last.remove(function);
        named.remove(function);
    }
}
