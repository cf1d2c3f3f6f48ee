package dev.sedge.bench.startup;

import dev.sedge.bench.report.Machine;
import dev.sedge.dataplane.Dispatcher;
import dev.sedge.dataplane.DispatcherConfig;
import dev.sedge.dataplane.DispatcherEnvironment;
import dev.sedge.dataplane.InvocationListener;
import dev.sedge.dataplane.Outcome;
import dev.sedge.dataplane.ScaleListener;
import dev.sedge.dataplane.time.SystemTimers;
import dev.sedge.dataplane.time.Timers;
import dev.sedge.sandbox.SandboxException;
import dev.sedge.scaling.ScaleSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code sedge bench cold-start}: how long from an event for a function with no instance to its result,
 * per runtime and split by phase, against the floors of starting anything at all: {@code fork}+{@code
 * exec} of {@code /bin/true} and a fresh JVM printing hello.
 *
 * <p>A sample is one event dispatched to a new dispatcher of the function, which has no instance: the
 * dispatcher starts one (fetch, compile, instantiate, initialise) and makes the first call; the sample
 * ends when the outcome is reported, so Sedge's own bookkeeping is in it. The instance is closed between
 * samples, outside the measurement. The first sample of a runtime is reported apart: it also pays for
 * one-time work (a wasm module's first compile, the node's JIT). Not thread-safe; one per run.
 */
final class ColdStartBench {

    static final String SCENARIO = "cold-start";
    static final String FORK_EXEC = "fork+exec /bin/true";
    static final String JVM_HELLO = "fresh JVM, hello";

    /**
     * @param samples cold starts measured per runtime
     * @param processSamples samples of each out-of-process row (a process function, /bin/true)
     * @param jvmSamples samples of a fresh JVM, the slowest row
     */
    record Settings(int samples, int processSamples, int jvmSamples) {}

    private final Settings settings;
    private final PrintWriter progress;

    ColdStartBench(Settings settings, PrintWriter progress) {
        this.settings = settings;
        this.progress = progress;
    }

    StartupReport run(List<SubjectFactory> subjects) throws IOException, InterruptedException {
        List<StartupRow> rows = new ArrayList<>();
        SystemTimers timer = new SystemTimers("cold-start-timer");
        try {
            for (SubjectFactory f : subjects) {
                Subject s;
                try {
                    s = f.create();
                } catch (SubjectFactory.Unavailable e) {
                    rows.add(skipped(progress, f.name(), e));
                    continue;
                }
                try {
                    int n = f.outOfProcess() ? settings.processSamples() : settings.samples();
                    rows.add(measure(s, n, timer));
                } finally {
                    cleanUp(progress, s.name(), s.cleanup());
                }
            }
            rows.add(forkExec());
            rows.add(jvmHello());
        } finally {
            timer.close();
        }
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (StartupRow r : rows) {
            if (r instanceof StartupRow.Measured m
                    && !m.name().equals(FORK_EXEC)
                    && !m.name().equals(JVM_HELLO)) {
                ratios.put(m.name() + " / " + FORK_EXEC, StartupReport.medianRatio(rows, m.name(), FORK_EXEC));
                ratios.put(m.name() + " / " + JVM_HELLO, StartupReport.medianRatio(rows, m.name(), JVM_HELLO));
            }
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("samples", settings.samples());
        params.put("processSamples", settings.processSamples());
        params.put("jvmSamples", settings.jvmSamples());
        return new StartupReport(SCENARIO, Machine.current(), params, rows, ratios);
    }

    private StartupRow measure(Subject s, int samples, Timers timer) throws IOException, InterruptedException {
        try {
            s.sandbox().check(s.spec());
        } catch (SandboxException e) {
            throw new IOException(s.name() + ": the benchmark function is refused: " + e.getMessage(), e);
        }
        DispatcherEnvironment env =
                DispatcherEnvironment.of(InvocationListener.NONE, ScaleListener.NONE, (topic, payload) -> {}, timer);
        // No instance before the first event, and none started ahead of it: each sample is one cold start.
        DispatcherConfig config = DispatcherConfig.of(
                        s.spec().name(), s.spec().concurrency(), s.spec().timeout())
                .withScale(ScaleSettings.DEFAULTS.withBounds(0, 1, 0));
        Samples total = new Samples();
        Map<String, Samples> phases = new LinkedHashMap<>();
        double first = Double.NaN;
        for (int i = 0; i <= samples; i++) {
            Outcome o;
            try (Dispatcher d = new Dispatcher(config, s.sandbox(), s.spec(), env)) {
                o = d.dispatch(s.event()).get(s.spec().timeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException(s.name() + ": no outcome: " + e, e);
            }
            if (o instanceof Outcome.Failure f) {
                throw new IOException(
                        s.name() + ": the function failed: " + f.kind().label() + ": " + f.message());
            }
            if (!o.info().coldStart()) {
                throw new IOException(s.name() + ": a new dispatcher reported a warm start");
            }
            if (i == 0) {
                first = o.info().durationNanos() / 1000.0;
                continue;
            }
            total.add(o.info().durationNanos());
            o.info()
                    .coldStartPhases()
                    .forEach((p, d) ->
                            phases.computeIfAbsent(p, k -> new Samples()).add(d.toNanos()));
        }
        Map<String, Double> phaseMedians = new LinkedHashMap<>();
        phases.forEach((p, v) -> phaseMedians.put(p, v.percentileMicros(0.5)));
        StartupRow.Measured row = new StartupRow.Measured(
                s.name(),
                "event to result, no instance",
                total.size(),
                first,
                total.percentileMicros(0.5),
                total.percentileMicros(0.9),
                total.percentileMicros(0.99),
                phaseMedians);
        report(row);
        return row;
    }

    /** A row for a runtime that cannot run here, said on the progress stream too. */
    static StartupRow.Skipped skipped(PrintWriter progress, String name, SubjectFactory.Unavailable why) {
        progress.printf("%s: skipped: %s%n", name, why.getMessage());
        progress.flush();
        return new StartupRow.Skipped(name, why.getMessage());
    }

    /** Releases what a row's subject held; a failure is said, not thrown, so the report still prints. */
    static void cleanUp(PrintWriter progress, String name, AutoCloseable cleanup) {
        try {
            cleanup.close();
        } catch (Exception e) {
            progress.printf("%s: cannot clean up: %s%n", name, e);
        }
    }

    private StartupRow forkExec() throws IOException, InterruptedException {
        Path bin = Path.of("/bin/true");
        if (!Files.isExecutable(bin)) {
            return new StartupRow.Skipped(FORK_EXEC, "/bin/true is not here");
        }
        Samples s = new Samples();
        double first = Double.NaN;
        for (int i = 0; i <= settings.processSamples(); i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(bin.toString()).start();
            int exit = p.waitFor();
            long took = System.nanoTime() - t0;
            if (exit != 0) {
                throw new IOException("/bin/true exited with " + exit);
            }
            if (i == 0) {
                first = took / 1000.0;
            } else {
                s.add(took);
            }
        }
        StartupRow.Measured row = new StartupRow.Measured(
                FORK_EXEC,
                "start to exit, from the JVM",
                s.size(),
                first,
                s.percentileMicros(0.5),
                s.percentileMicros(0.9),
                s.percentileMicros(0.99),
                Map.of());
        report(row);
        return row;
    }

    private StartupRow jvmHello() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String classPath;
        try {
            classPath = Path.of(Hello.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return new StartupRow.Skipped(JVM_HELLO, "cannot find the benchmark's own classes: " + e.getMessage());
        }
        Samples s = new Samples();
        double first = Double.NaN;
        for (int i = 0; i <= settings.jvmSamples(); i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(java.toString(), "-cp", classPath, Hello.class.getName())
                    .redirectErrorStream(true)
                    .start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int exit = p.waitFor();
            long took = System.nanoTime() - t0;
            if (exit != 0 || !out.strip().equals("hello")) {
                throw new IOException("the hello JVM exited with " + exit + ": " + out.strip());
            }
            if (i == 0) {
                first = took / 1000.0;
            } else {
                s.add(took);
            }
        }
        StartupRow.Measured row = new StartupRow.Measured(
                JVM_HELLO,
                "start to exit, hello printed",
                s.size(),
                first,
                s.percentileMicros(0.5),
                s.percentileMicros(0.9),
                s.percentileMicros(0.99),
                Map.of());
        report(row);
        return row;
    }

    private void report(StartupRow.Measured row) {
        progress.printf(
                java.util.Locale.ROOT,
                "%s: p50 %.1f us, p99 %.1f us over %d samples (first %.1f us)%n",
                row.name(),
                row.p50Micros(),
                row.p99Micros(),
                row.samples(),
                row.firstMicros());
        progress.flush();
    }

    /** A default timeout for the measured functions: generous, since a sample that times out fails the run. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
}
