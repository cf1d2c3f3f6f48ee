package dev.sedge.scaling.policy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A policy that decides each function from that function's own history alone. Keeps one state object
 * per function. Not thread-safe, as every policy.
 *
 * @param <S> what the policy learns about one function
 */
public abstract class PerFunctionPolicy<S extends PerFunctionPolicy.History> implements KeepAlivePolicy {

    /** One function's learned history. */
    public interface History {

        /** An event arrived at {@code atMillis}. */
        void arrived(long atMillis);

        /** The plan from {@code nowMillis} on; called only after a first event. */
        WarmPlan plan(long nowMillis);
    }

    private final String name;
    private final Function<String, S> newHistory;
    private final Map<String, S> histories = new HashMap<>();

    /**
     * @param name the policy's name
     * @param newHistory a new function's empty history, given its name
     */
    protected PerFunctionPolicy(String name, Function<String, S> newHistory) {
        this.name = name;
        this.newHistory = newHistory;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Set<String> arrived(String function, long atMillis) {
        histories.computeIfAbsent(function, newHistory).arrived(atMillis);
        return Set.of();
    }

    @Override
    public final WarmPlan plan(String function, long nowMillis) {
        S history = histories.get(function);
        return history == null ? WarmPlan.none("no event yet") : history.plan(nowMillis);
    }

    @Override
    public final void removed(String function) {
        histories.remove(function);
    }
}
