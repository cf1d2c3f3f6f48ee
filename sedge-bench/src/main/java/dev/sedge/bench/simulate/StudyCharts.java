package dev.sedge.bench.simulate;

import dev.sedge.scaling.policy.KnativeKeepAlive;
import dev.sedge.scaling.policy.histogram.HybridHistogramKeepAlive;
import dev.sedge.scaling.policy.learned.LearnedPolicy;
import dev.sedge.scaling.sim.PolicyResult;
import dev.sedge.scaling.sim.Trace;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a study's two charts into a folder: {@code <trace>-pareto.png} ({@link ParetoChart}) and {@code
 * <trace>-instances.png} ({@link InstancesChart}), where {@code <trace>} is the trace's file name without
 * {@code .csv} and {@code .arrivals}. For the second it replays a few policies again, recording one
 * function. Stateless.
 */
final class StudyCharts {

    /** Sedge's own policy, emphasised on the charts. */
    static final String SEDGE = LearnedPolicy.NAME;

    /** Shahrad et al.'s Hybrid Histogram policy (ATC 2020), the published per-function baseline. */
    static final String HYBRID_HISTOGRAM = HybridHistogramKeepAlive.NAME;

    /** How many policies the instances chart shows at most. */
    static final int INSTANCE_PANELS_MAX = 4;

    static final long DAY_MILLIS = 86_400_000L;

    /** The least time the instances chart shows before a day's first event and after its last. */
    static final long STRETCH_PAD_MILLIS = 3_600_000L;

    /** The most events of its function the instances chart shows: more are a solid block. */
    static final int STRETCH_EVENTS_MAX = 60;

    private static final long MINUTE_MILLIS = 60_000L;

    private StudyCharts() {}

    /** The charts' common file name prefix for a trace named {@code traceName}. */
    static String stem(String traceName) {
        String stem = traceName.endsWith(".csv") ? traceName.substring(0, traceName.length() - 4) : traceName;
        return stem.endsWith(".arrivals") ? stem.substring(0, stem.length() - ".arrivals".length()) : stem;
    }

    /**
     * Writes both charts of {@code study} into {@code dir} and returns their paths.
     *
     * @param device the function whose instances are drawn, or null for the one with the most events
     */
    static List<Path> write(Path dir, StudyResult study, String device) throws IOException {
        Trace trace = study.trace();
        Path pareto = dir.resolve(stem(trace.name()) + "-pareto.png");
        ParetoChart.write(pareto, study);

        String function = device != null ? device : busiestFunction(trace);
        Map<String, long[]> future = trace.arrivals();
        long[] times = future.get(function);
        long day = busiestDay(times);
        long[] stretch = stretch(times, day);
        Map<String, DeviceTimeline> timelines = new LinkedHashMap<>();
        for (String policy : instancePolicies(study)) {
            DeviceTimeline timeline = new DeviceTimeline(function);
            PolicyStudy.simulate(trace, future, policy, study.context(), timeline);
            timelines.put(policy, timeline);
        }
        Path instances = dir.resolve(stem(trace.name()) + "-instances.png");
        int ofDay = count(times, day, day + DAY_MILLIS);
        int shown = count(times, stretch[0], stretch[1]);
        String title = String.format(
                Locale.ROOT,
                "%s: the instance of %s on %s, its busiest day (%d of its %d events%s)",
                trace.name(),
                function,
                Instant.ofEpochMilli(day).atZone(ZoneOffset.UTC).toLocalDate(),
                ofDay,
                times.length,
                shown < ofDay ? "; " + shown + " of them shown" : "");
        InstancesChart.write(instances, title, timelines, stretch[0], stretch[1]);
        return List.of(pareto, instances);
    }

    /**
     * The policies the instances chart compares: Sedge's, the best fixed keep-alive, Hybrid Histogram and
     * Knative's, those of them that ran; if none did, the first policies that ran.
     */
    static List<String> instancePolicies(StudyResult study) {
        List<String> chosen = new ArrayList<>();
        PolicyResult bestFixed = study.bestFixed();
        for (String name : new String[] {
            SEDGE, bestFixed == null ? null : bestFixed.policy(), HYBRID_HISTOGRAM, KnativeKeepAlive.NAME
        }) {
            if (name != null && study.row(name) != null && !chosen.contains(name)) {
                chosen.add(name);
            }
        }
        if (chosen.isEmpty()) {
            study.rows().stream().limit(INSTANCE_PANELS_MAX).forEach(r -> chosen.add(r.policy()));
        }
        return chosen;
    }

    /** The function with the most events; the first to appear wins a tie. */
    static String busiestFunction(Trace trace) {
        int[] counts = new int[trace.functions().size()];
        for (int f : trace.function()) {
            counts[f]++;
        }
        int best = 0;
        for (int f = 1; f < counts.length; f++) {
            if (counts[f] > counts[best]) {
                best = f;
            }
        }
        return trace.functions().get(best);
    }

    /** The start of the calendar day (UTC, on the trace's clock) with the most of {@code times}; the first wins a tie. */
    static long busiestDay(long[] times) {
        long bestDay = Math.floorDiv(times[0], DAY_MILLIS);
        int bestCount = 0;
        int i = 0;
        while (i < times.length) {
            long day = Math.floorDiv(times[i], DAY_MILLIS);
            int n = 0;
            for (; i < times.length && Math.floorDiv(times[i], DAY_MILLIS) == day; i++) {
                n++;
            }
            if (n > bestCount) {
                bestDay = day;
                bestCount = n;
            }
        }
        return bestDay * DAY_MILLIS;
    }

    /**
     * The stretch of {@code day} the instances chart shows: from an hour before the day's first event to
     * an hour after its last (more for a long span), within the day, so that a burst of minutes is not a
     * hairline on a 24-hour axis, and the keep-alive after the last event shows. A day of more than
     * {@link #STRETCH_EVENTS_MAX} events (a sensor reporting every few seconds) would draw a solid block:
     * then the stretch is that many events from the middle of the day, with an eighth of their span
     * either side.
     */
    static long[] stretch(long[] times, long day) {
        int from = 0;
        while (times[from] < day) {
            from++;
        }
        int to = from; // exclusive
        while (to < times.length && times[to] < day + DAY_MILLIS) {
            to++;
        }
        long pad;
        if (to - from > STRETCH_EVENTS_MAX) {
            from = (from + to) / 2 - STRETCH_EVENTS_MAX / 2;
            to = from + STRETCH_EVENTS_MAX;
            pad = Math.max(MINUTE_MILLIS, (times[to - 1] - times[from]) / 8);
        } else {
            pad = Math.max(STRETCH_PAD_MILLIS, (times[to - 1] - times[from]) / 4);
        }
        return new long[] {Math.max(day, times[from] - pad), Math.min(day + DAY_MILLIS, times[to - 1] + pad)};
    }

    private static int count(long[] times, long from, long to) {
        int n = 0;
        for (long t : times) {
            n += t >= from && t < to ? 1 : 0;
        }
        return n;
    }
}
