package dev.sedge.bench.simulate;

import dev.sedge.scaling.policy.OracleKeepAlive;
import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.sim.PolicyResult;
import dev.sedge.scaling.sim.Trace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every policy did over one trace, and the comparisons the table and the charts draw from it: who
 * has the fewest avoidable cold starts, who wastes least, who no other policy dominates, which fixed
 * keep-alive is the best trade. The oracle is a bound, not a contender: it is left out of every
 * comparison. Immutable.
 *
 * @param trace the trace replayed
 * @param key the column that named each event's function
 * @param context the cold start and memory every policy was given
 * @param rows one per policy, in the order they ran
 */
record StudyResult(Trace trace, String key, PolicyContext context, List<PolicyResult> rows) {

    private static final Pattern FIXED = Pattern.compile("fixed-([0-9]+)m");

    StudyResult {
        rows = List.copyOf(rows);
    }

    /** The rows of policies that could run without knowing the future. */
    List<PolicyResult> contenders() {
        return rows.stream()
                .filter(r -> !r.policy().equals(OracleKeepAlive.NAME))
                .toList();
    }

    /** The contenders with the fewest avoidable cold starts (several when tied), in run order. */
    List<PolicyResult> fewestAvoidableColdStarts() {
        return lowest(r -> r.avoidableColdStarts());
    }

    /** The contenders that waste the least memory (several when tied), in run order. */
    List<PolicyResult> leastWaste() {
        return lowest(PolicyResult::wastedGibSeconds);
    }

    /** The contenders that no other contender dominates ({@link PolicyResult#dominates}), in run order. */
    List<PolicyResult> undominated() {
        List<PolicyResult> contenders = contenders();
        return contenders.stream()
                .filter(r -> contenders.stream().noneMatch(o -> o.dominates(r)))
                .toList();
    }

    /** The fixed keep-alives that ran, shortest first. */
    List<PolicyResult> fixedKeepAlives() {
        List<PolicyResult> fixed = new ArrayList<>();
        for (PolicyResult r : rows) {
            if (fixedMinutes(r.policy()) >= 0) {
                fixed.add(r);
            }
        }
        fixed.sort(Comparator.comparingLong(r -> fixedMinutes(r.policy())));
        return fixed;
    }

    /**
     * The fixed keep-alive that trades best, or null if none ran: the one nearest the origin once each
     * axis (avoidable cold starts, waste) is divided by the largest value any fixed keep-alive reached,
     * so that neither unit outweighs the other. The shortest wins a tie.
     */
    PolicyResult bestFixed() {
        List<PolicyResult> fixed = fixedKeepAlives();
        double coldScale =
                fixed.stream().mapToDouble(r -> r.avoidableColdStarts()).max().orElse(0);
        double wasteScale =
                fixed.stream().mapToDouble(PolicyResult::wastedGibSeconds).max().orElse(0);
        PolicyResult best = null;
        double bestScore = Double.MAX_VALUE;
        for (PolicyResult r : fixed) {
            double score = share(r.avoidableColdStarts(), coldScale) + share(r.wastedGibSeconds(), wasteScale);
            if (score < bestScore) {
                best = r;
                bestScore = score;
            }
        }
        return best;
    }

    /** The row of {@code policy}, or null if it did not run. */
    PolicyResult row(String policy) {
        return rows.stream().filter(r -> r.policy().equals(policy)).findFirst().orElse(null);
    }

    /** The minutes of a {@code fixed-<minutes>m} name, or -1 for any other policy. */
    static long fixedMinutes(String policy) {
        Matcher m = FIXED.matcher(policy);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private List<PolicyResult> lowest(ToDoubleFunction<PolicyResult> measure) {
        List<PolicyResult> contenders = contenders();
        double least = contenders.stream().mapToDouble(measure).min().orElse(0);
        // Waste is summed in floating point: values within a rounding error are a tie, as in dominates().
        return contenders.stream()
                .filter(r -> measure.applyAsDouble(r) <= least + 1e-9)
                .toList();
    }

    private static double share(double value, double scale) {
        return scale == 0 ? 0 : value / scale;
    }
}
