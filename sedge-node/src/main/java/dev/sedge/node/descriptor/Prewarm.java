package dev.sedge.node.descriptor;

import dev.sedge.scaling.policy.KnativeKeepAlive;
import dev.sedge.scaling.policy.catalog.KeepAlivePolicies;
import dev.sedge.scaling.policy.learned.LearnedPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code spec.scale.prewarm} and the node's {@code scale.prewarm} may say: which keep-alive policy
 * owns a function's step between zero and one instance. Stateless.
 *
 * <ul>
 *   <li>{@code auto}: Sedge's own predictor, the node's default ({@link #AUTO_POLICY});
 *   <li>{@code off} and {@code knative}: no policy; the autoscaler alone takes the function to zero as
 *       Knative does, and nothing is pre-warmed;
 *   <li>every policy a node can run ({@link KeepAlivePolicies#runsLive}): {@code fixed-<minutes>m} and the
 *       study's predictors.
 * </ul>
 */
public final class Prewarm {

    public static final String AUTO = "auto";
    public static final String OFF = "off";
    public static final String DEFAULT = AUTO;

    /** The policy {@code auto} stands for: Sedge's own predictor. */
    public static final String AUTO_POLICY = LearnedPolicy.NAME;

    private Prewarm() {}

    /**
     * @return {@code value}, when a node can run it
     * @throws IllegalArgumentException in one line naming {@code field}, the value and the known names
     */
    public static String check(String field, String value) {
        if (value.equals(AUTO) || value.equals(OFF) || KeepAlivePolicies.runsLive(value)) {
            return value;
        }
        throw new IllegalArgumentException(
                field + ": unknown \"" + value + "\" (known: " + String.join(", ", known()) + ")");
    }

    /**
     * The policy that owns the step between zero and one instance for a valid {@code value}, or null
     * when the autoscaler alone decides it ({@code off}, {@code knative}).
     */
    public static String policy(String value) {
        String name = value.equals(AUTO) ? AUTO_POLICY : value;
        return name.equals(OFF) || name.equals(KnativeKeepAlive.NAME) ? null : name;
    }

    /** The values, as messages and the docs list them. */
    public static List<String> known() {
        List<String> names = new ArrayList<>(List.of(AUTO, OFF));
        for (String name : KeepAlivePolicies.study()) {
            if (KeepAlivePolicies.runsLive(name) && !name.startsWith("fixed-")) {
                names.add(name);
            }
        }
        names.add("fixed-<minutes>m");
        return names;
    }
}
