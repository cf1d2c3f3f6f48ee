package dev.sedge.bench.simulate;

import dev.sedge.scaling.sim.PolicyResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Writes a {@link StudyResult} for a person: a heading with the trace and the settings, an aligned table
 * with one row per policy, and one line naming the best contenders. Stateless.
 */
final class StudyTable {

    private static final String[] HEADER = {
        "policy",
        "invocations",
        "cold starts",
        "avoidable",
        "cold ratio",
        "wasted GiB-s",
        "prewarms",
        "p50 ms",
        "p99 ms"
    };

    private StudyTable() {}

    static void print(PrintWriter out, StudyResult study) {
        out.println(heading(study));
        out.println();
        List<String[]> lines = new ArrayList<>();
        lines.add(HEADER);
        for (PolicyResult r : study.rows()) {
            lines.add(new String[] {
                r.policy(),
                format("%,d", r.invocations()),
                format("%,d", r.coldStarts()),
                format("%,d", r.avoidableColdStarts()),
                format("%.3f", r.coldStartRatio()),
                format("%,.2f", r.wastedGibSeconds()),
                format("%,d", r.prewarms()),
                format("%,.0f", r.addedLatencyP50Millis()),
                format("%,.0f", r.addedLatencyP99Millis())
            });
        }
        aligned(out, lines);
        out.println();
        out.println(verdict(study));
        out.flush();
    }

    static String heading(StudyResult s) {
        return format(
                "%s: %,d events of %,d function%s (one per %s) over %.1f days; %d MiB an instance, %d MiB a node,"
                        + " %d ms cold start",
                s.trace().name(),
                s.trace().events(),
                s.trace().functions().size(),
                s.trace().functions().size() == 1 ? "" : "s",
                s.key(),
                s.trace().spanMillis() / 86_400_000.0,
                s.context().memoryMib(),
                s.context().nodeMemoryMib(),
                s.context().coldStartMillis());
    }

    /** The one line under the table: the best contender on each count and those none dominates. */
    static String verdict(StudyResult s) {
        if (s.contenders().isEmpty()) {
            return "Only the oracle ran: nothing to compare.";
        }
        List<PolicyResult> fewest = s.fewestAvoidableColdStarts();
        List<PolicyResult> least = s.leastWaste();
        return format(
                "Fewest avoidable cold starts: %s (%,d); least waste: %s (%,.2f GiB-s); dominated by no other: %s"
                        + " (the oracle left out).",
                names(fewest, PolicyResult::policy),
                fewest.getFirst().avoidableColdStarts(),
                names(least, PolicyResult::policy),
                least.getFirst().wastedGibSeconds(),
                names(s.undominated(), PolicyResult::policy));
    }

    private static <T> String names(List<T> items, Function<T, String> name) {
        return String.join(", ", items.stream().map(name).toList());
    }

    /** The first column left-aligned, the numbers right-aligned, three spaces between columns. */
    private static void aligned(PrintWriter out, List<String[]> lines) {
        int[] width = new int[HEADER.length];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        for (String[] l : lines) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < l.length; i++) {
                String pad = " ".repeat(width[i] - l[i].length());
                b.append(i == 0 ? l[i] + pad : "   " + pad + l[i]);
            }
            out.println(b.toString().stripTrailing());
        }
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
