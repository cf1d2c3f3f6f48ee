package dev.sedge.node.config;

import dev.sedge.node.descriptor.Prewarm;
import dev.sedge.scaling.policy.PolicyContext;
import java.util.Objects;

/**
 * The node's keep-alive settings ({@code scale:} in the configuration file): the policy a function uses
 * when its descriptor names none, and what every policy is told about the node. Immutable; validated on
 * construction.
 *
 * @param prewarm the default of {@code spec.scale.prewarm} ({@link Prewarm})
 * @param context the cold start, the memory of one instance, the node's memory budget and what a cold start
 *     is worth, as the policies are told them ({@code scale.coldStart}, {@code scale.instanceMemory},
 *     {@code scale.nodeMemory}, {@code scale.coldStartWorth})
 */
public record KeepAliveConfig(String prewarm, PolicyContext context) {

    public static final KeepAliveConfig DEFAULTS = new KeepAliveConfig(Prewarm.DEFAULT, PolicyContext.DEFAULTS);

    /** @throws IllegalArgumentException naming {@code scale.prewarm} and the known names */
    public KeepAliveConfig {
        Objects.requireNonNull(context, "context");
        Prewarm.check("scale.prewarm", Objects.requireNonNull(prewarm, "prewarm"));
    }
}
