package dev.sedge.dataplane.warm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sedge.scaling.policy.KeepAlivePolicy;
import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.WarmPlan;
import dev.sedge.scaling.policy.catalog.KeepAlivePolicies;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WarmPlannerTest {

    /** Counts the policies made, and names every other function it has seen on each arrival. */
    private static final class Everyone implements KeepAlivePolicy {
        final List<String> removed = new ArrayList<>();
        final List<String> seen = new ArrayList<>();

        @Override
        public String name() {
            return "everyone";
        }

        @Override
        public Set<String> arrived(String function, long atMillis) {
            Set<String> others = Set.copyOf(seen);
            if (!seen.contains(function)) {
                seen.add(function);
            }
            return others;
        }

        @Override
        public WarmPlan plan(String function, long nowMillis) {
            return seen.contains(function)
                    ? WarmPlan.keep(nowMillis, Long.MAX_VALUE, () -> "always")
                    : WarmPlan.none("-");
        }

        @Override
        public void removed(String function) {
            removed.add(function);
            seen.remove(function);
        }
    }

    @Test
    void functionsThatNameTheSamePolicyShareOneObjectAndAnotherNameGetsItsOwn() {
        AtomicInteger made = new AtomicInteger();
        WarmPlanner planner = new WarmPlanner(name -> {
            made.incrementAndGet();
            return KeepAlivePolicies.create(name, PolicyContext.DEFAULTS, null);
        });
        WarmPlanner.Seat a = planner.join("a", "fixed-1m");
        WarmPlanner.Seat b = planner.join("b", "fixed-1m");
        WarmPlanner.Seat c = planner.join("c", "fixed-5m");
        assertThat(made).hasValue(2);
        assertThat(planner.seated()).isEqualTo(3);
        a.arrived(1_000);
        assertThat(a.plan(2_000).warmUntil()).isEqualTo(61_000);
        assertThat(b.plan(2_000).warmAt(2_000)).isFalse(); // b had no event: no plan
        assertThat(c.policy()).isEqualTo("fixed-5m");
        a.leave();
        b.leave();
        // The last function of a policy gone, the policy goes too: the next one starts a new object.
        planner.join("d", "fixed-1m");
        assertThat(made).hasValue(3);
    }

    @Test
    void anUnknownPolicyIsRefusedNamingItAndNothingIsSeated() {
        WarmPlanner planner = new WarmPlanner(name -> KeepAlivePolicies.create(name, PolicyContext.DEFAULTS, null));
        assertThatThrownBy(() -> planner.join("a", "fixed-forever"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"fixed-forever\"");
        assertThat(planner.seated()).isZero();
    }

    @Test
    void theFunctionsAPolicyNamesAreReplannedOnceTheyAskedToBeAndNeverTheOneWhoseEventItWas() {
        Everyone policy = new Everyone();
        WarmPlanner planner = new WarmPlanner(name -> policy);
        WarmPlanner.Seat a = planner.join("a", "everyone");
        WarmPlanner.Seat b = planner.join("b", "everyone");
        List<String> replanned = new ArrayList<>();
        a.whenNamed(() -> replanned.add("a"));

        b.arrived(1);
        Set<String> named = a.arrived(2);
        assertThat(named).containsExactly("b");
        a.replanOthers(named);
        assertThat(replanned).as("b has not asked to be told yet").isEmpty();

        b.whenNamed(() -> replanned.add("b"));
        a.replanOthers(Set.of("a", "b", "gone"));
        assertThat(replanned).containsExactly("b");
    }

    @Test
    void aFunctionThatLeavesIsForgottenByItsPolicyUnlessItsNewVersionSatDownFirst() {
        Everyone policy = new Everyone();
        WarmPlanner planner = new WarmPlanner(name -> policy);
        WarmPlanner.Seat old = planner.join("a", "everyone");
        old.arrived(1);
        WarmPlanner.Seat replacement = planner.join("a", "everyone");
        old.leave();
        old.leave(); // idempotent
        assertThat(policy.removed).isEmpty();
        assertThat(replacement.plan(5).warmAt(5)).as("the history stayed").isTrue();

        replacement.leave();
        assertThat(policy.removed).containsExactly("a");
        assertThat(planner.seated()).isZero();
    }
}
