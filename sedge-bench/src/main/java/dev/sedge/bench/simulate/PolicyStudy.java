package dev.sedge.bench.simulate;

import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.catalog.KeepAlivePolicies;
import dev.sedge.scaling.sim.PolicyResult;
import dev.sedge.scaling.sim.SimulationListener;
import dev.sedge.scaling.sim.Simulator;
import dev.sedge.scaling.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replays one trace against each named policy, one fresh policy object and one {@link Simulator} per
 * policy, in the order given. Deterministic, as the simulator is. Stateless.
 */
final class PolicyStudy {

    private PolicyStudy() {}

    /** Every policy over {@code trace}, one row each, in the order of {@code policies}. */
    static StudyResult run(Trace trace, String key, List<String> policies, PolicyContext context) {
        Map<String, long[]> future = trace.arrivals(); // for the oracle; computed once for all policies
        List<PolicyResult> rows = new ArrayList<>(policies.size());
        for (String name : policies) {
            rows.add(simulate(trace, future, name, context, SimulationListener.NONE));
        }
        return new StudyResult(trace, key, context, rows);
    }

    /** One policy over {@code trace}, telling {@code listener} what happens. */
    static PolicyResult simulate(
            Trace trace,
            Map<String, long[]> future,
            String policy,
            PolicyContext context,
            SimulationListener listener) {
        return new Simulator(trace, KeepAlivePolicies.create(policy, context, future), context, listener).run();
    }
}
