package dev.sedge.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The sandboxes a node offers, by runtime name. Immutable and thread-safe. */
public final class Sandboxes {

    private final Map<String, Sandbox> byRuntime;

    public Sandboxes(List<Sandbox> sandboxes) {
        Map<String, Sandbox> map = new LinkedHashMap<>();
        for (Sandbox s : sandboxes) {
            if (map.putIfAbsent(s.runtime(), s) != null) {
                throw new IllegalArgumentException("two sandboxes for runtime " + s.runtime());
            }
        }
        this.byRuntime = Map.copyOf(map);
    }

    /** The sandbox for the runtime, or null when this node has none. */
    public Sandbox get(String runtime) {
        return byRuntime.get(runtime);
    }

    public Set<String> runtimes() {
        return byRuntime.keySet();
    }
}
