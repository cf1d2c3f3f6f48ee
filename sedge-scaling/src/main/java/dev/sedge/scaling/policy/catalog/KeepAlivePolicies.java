package dev.sedge.scaling.policy.catalog;

import dev.sedge.scaling.policy.FaasCacheKeepAlive;
import dev.sedge.scaling.policy.FixedKeepAlive;
import dev.sedge.scaling.policy.KeepAlivePolicy;
import dev.sedge.scaling.policy.KnativeKeepAlive;
import dev.sedge.scaling.policy.OracleKeepAlive;
import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.histogram.HybridHistogramKeepAlive;
import dev.sedge.scaling.policy.hotc.HotcKeepAlive;
import dev.sedge.scaling.policy.icebreaker.IceBreakerKeepAlive;
import dev.sedge.scaling.policy.learned.LearnedPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The policies by name, as the simulator's {@code --policy} and a descriptor's {@code scale.prewarm} say them. */
public final class KeepAlivePolicies {

    /** The fixed keep-alives the study runs, in minutes. */
    public static final List<Integer> STUDY_FIXED_MINUTES = List.of(1, 5, 10, 30, 60, 240);

    private static final Pattern FIXED = Pattern.compile("fixed-([1-9][0-9]{0,5})m");

    private KeepAlivePolicies() {}

    /** Every policy the study compares, in report order. */
    public static List<String> study() {
        List<String> names = new ArrayList<>(List.of(
                LearnedPolicy.NAME,
                HybridHistogramKeepAlive.NAME,
                FaasCacheKeepAlive.NAME,
                IceBreakerKeepAlive.NAME,
                HotcKeepAlive.NAME,
                KnativeKeepAlive.NAME,
                OracleKeepAlive.NAME));
        for (int m : STUDY_FIXED_MINUTES) {
            names.add("fixed-" + m + "m");
        }
        return names;
    }

    /** Whether {@code name} names a policy a node can run (all but the oracle, which needs the future). */
    public static boolean runsLive(String name) {
        return !name.equals(OracleKeepAlive.NAME) && known(name);
    }

    /** Whether {@code name} names a policy. */
    public static boolean known(String name) {
        return study().contains(name) || FIXED.matcher(name).matches();
    }

    /**
     * A new policy.
     *
     * @param future each function's event times, for the oracle; may be null for every other policy
     * @throws IllegalArgumentException for an unknown name, naming it and the known ones
     */
    public static KeepAlivePolicy create(String name, PolicyContext context, Map<String, long[]> future) {
        Matcher fixed = FIXED.matcher(name);
        if (fixed.matches()) {
            return new FixedKeepAlive(Duration.ofMinutes(Long.parseLong(fixed.group(1))));
        }
        return switch (name) {
            case LearnedPolicy.NAME -> new LearnedPolicy(context);
            case HybridHistogramKeepAlive.NAME -> new HybridHistogramKeepAlive(context);
            case FaasCacheKeepAlive.NAME -> new FaasCacheKeepAlive(context);
            case IceBreakerKeepAlive.NAME -> new IceBreakerKeepAlive(context);
            case HotcKeepAlive.NAME -> new HotcKeepAlive();
            case KnativeKeepAlive.NAME -> new KnativeKeepAlive(context);
            case OracleKeepAlive.NAME -> {
                if (future == null) {
                    throw new IllegalArgumentException("the oracle policy needs the trace's future: simulator only");
                }
                yield new OracleKeepAlive(future, context);
            }
            default ->
                throw new IllegalArgumentException("unknown policy \"" + name + "\" (known: "
                        + String.join(", ", study()) + ", fixed-<minutes>m)");
        };
    }
}
