package dev.sedge.scaling.sim.workload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A trace's lines as records, and the gap statistics the tests take of them. Immutable. */
record Lines(List<Lines.Line> lines) {

    record Line(long time, String device, String event, String extra) {}

    static Lines generate(TraceSpec spec) {
        StringBuilder out = new StringBuilder();
        try {
            SyntheticTrace.write(spec, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parse(out.toString());
    }

    static Lines parse(String csv) {
        List<Line> lines = new ArrayList<>();
        for (String s : csv.split("\n")) {
            if (s.startsWith("epoch_ms,") || s.isBlank()) {
                continue;
            }
            String[] f = s.split(",", 4);
            lines.add(new Line(Long.parseLong(f[0]), f[1], f[2], f.length > 3 ? f[3] : ""));
        }
        return new Lines(lines);
    }

    static Lines read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Only the lines whose {@code extra} passes. */
    Lines where(Predicate<Line> keep) {
        return new Lines(lines.stream().filter(keep).toList());
    }

    /** Each device's times, in order, by device in order of first event. */
    Map<String, long[]> times() {
        Map<String, List<Long>> by = new LinkedHashMap<>();
        for (Line l : lines) {
            by.computeIfAbsent(l.device(), d -> new ArrayList<>()).add(l.time());
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        by.forEach((d, ts) -> out.put(d, ts.stream().mapToLong(Long::longValue).toArray()));
        return out;
    }

    /** Each device's {@code extra} (its room or flow kind). */
    Map<String, String> extras() {
        Map<String, String> out = new HashMap<>();
        for (Line l : lines) {
            out.put(l.device(), l.extra());
        }
        return out;
    }

    /** The gaps between successive times, in ms; with {@code resolution} > 1, between distinct times read at it. */
    static long[] gaps(long[] times, long resolution) {
        long[] t = resolution == 1
                ? times
                : Arrays.stream(times)
                        .map(x -> Math.floorDiv(x, resolution))
                        .distinct()
                        .toArray();
        long[] g = new long[Math.max(0, t.length - 1)];
        for (int i = 1; i < t.length; i++) {
            g[i - 1] = (t[i] - t[i - 1]) * resolution;
        }
        return g;
    }

    static double median(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    /** Standard deviation over mean. */
    static double cv(long[] values) {
        double mean = Arrays.stream(values).average().orElseThrow();
        double var = Arrays.stream(values)
                .mapToDouble(v -> (v - mean) * (v - mean))
                .average()
                .orElseThrow();
        return Math.sqrt(var) / mean;
    }

    /** The share of values at most {@code limit}. */
    static double shareAtMost(long[] values, long limit) {
        return (double) Arrays.stream(values).filter(v -> v <= limit).count() / values.length;
    }
}
