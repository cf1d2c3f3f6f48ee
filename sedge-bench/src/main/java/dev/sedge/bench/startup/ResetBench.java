package dev.sedge.bench.startup;

import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.bench.report.Machine;
import dev.sedge.dataplane.InvocationContext;
import dev.sedge.sandbox.SandboxException;
import dev.sedge.sandbox.wasm.WasmProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;

/**
 * {@code sedge bench reset}: what rewinding a wasm guest to its snapshot after an event costs, against
 * building a new guest from the compiled module, in the same run.
 *
 * <p>For each module, each round takes one sample of three things, in turn, so that they share the
 * machine's noise: a rewind (an event runs first, untimed, and dirties the guest's memory; the sample is
 * the rewind alone); a new guest as a cold start builds one (instantiate, initialise, snapshot); and a
 * new guest as a busy instance adds one (instantiate, copy the snapshot in). New guests are closed
 * outside the measurement. Untimed warm-up rounds come first, so the JIT has compiled the path. Not
 * thread-safe; one per run.
 */
final class ResetBench {

    static final String SCENARIO = "reset";
    static final String REWIND = "rewind";
    static final String NEW_INSTANCE = "new instance";
    static final String NEW_GUEST = "new guest from snapshot";

    /**
     * @param samples measured rounds per module
     * @param warmup untimed rounds before them
     */
    record Settings(int samples, int warmup) {}

    /**
     * A module to measure: its bytes, the handler an event runs, and the event.
     *
     * @param name the rows' prefix, such as {@code wat 64 KiB}
     */
    record Module(String name, byte[] wasm, String handler, Event event, AutoCloseable cleanup) {}

    /** Makes a module, or says why it cannot here. */
    interface ModuleFactory {
        String name();

        Module create() throws IOException, SubjectFactory.Unavailable;
    }

    private final Settings settings;
    private final PrintWriter progress;

    ResetBench(Settings settings, PrintWriter progress) {
        this.settings = settings;
        this.progress = progress;
    }

    StartupReport run(List<ModuleFactory> modules) throws IOException {
        List<StartupRow> rows = new ArrayList<>();
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (ModuleFactory f : modules) {
            Module m;
            try {
                m = f.create();
            } catch (SubjectFactory.Unavailable e) {
                rows.add(ColdStartBench.skipped(progress, f.name(), e));
                continue;
            }
            try {
                List<StartupRow.Measured> measured = measure(m);
                rows.addAll(measured);
                String rewind = measured.getFirst().name();
                for (StartupRow.Measured r : measured.subList(1, measured.size())) {
                    ratios.put(r.name() + " / " + REWIND, StartupReport.medianRatio(rows, r.name(), rewind));
                }
            } finally {
                ColdStartBench.cleanUp(progress, m.name(), m.cleanup());
            }
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("samples", settings.samples());
        params.put("warmup", settings.warmup());
        return new StartupReport(SCENARIO, Machine.current(), params, rows, ratios);
    }

    private List<StartupRow.Measured> measure(Module m) throws IOException {
        Context context = silentContext();
        try (WasmProbe probe = WasmProbe.compile(m.name(), m.wasm(), m.handler())) {
            String size = probe.memoryBytes() / 1024 + " KiB";
            Samples rewind = new Samples();
            Samples fresh = new Samples();
            Samples copy = new Samples();
            double[] first = {Double.NaN, Double.NaN, Double.NaN};
            for (int i = -settings.warmup(); i < settings.samples(); i++) {
                probe.invoke(m.event(), context);
                long t0 = System.nanoTime();
                boolean rewound = probe.rewind();
                long t1 = System.nanoTime();
                if (!rewound) {
                    throw new IOException(m.name() + ": the guest grew past its snapshot, so cannot be rewound");
                }
                long t2 = System.nanoTime();
                AutoCloseable a = probe.newInstance();
                long t3 = System.nanoTime();
                a.close();
                long t4 = System.nanoTime();
                AutoCloseable b = probe.newGuestFromSnapshot();
                long t5 = System.nanoTime();
                b.close();
                if (i == -settings.warmup()) {
                    first = new double[] {(t1 - t0) / 1000.0, (t3 - t2) / 1000.0, (t5 - t4) / 1000.0};
                }
                if (i >= 0) {
                    rewind.add(t1 - t0);
                    fresh.add(t3 - t2);
                    copy.add(t5 - t4);
                }
            }
            List<StartupRow.Measured> out = List.of(
                    row(m.name() + ": " + REWIND, "rewind a " + size + " guest after an event", rewind, first[0]),
                    row(m.name() + ": " + NEW_INSTANCE, "instantiate, initialise, snapshot", fresh, first[1]),
                    row(m.name() + ": " + NEW_GUEST, "instantiate, copy " + size + " in", copy, first[2]));
            out.forEach(this::report);
            return out;
        } catch (SandboxException e) {
            throw new IOException(m.name() + ": the module is refused: " + e.getMessage(), e);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(m.name() + ": " + e, e);
        }
    }

    private static StartupRow.Measured row(String name, String what, Samples s, double first) {
        return new StartupRow.Measured(
                name,
                what,
                s.size(),
                first,
                s.percentileMicros(0.5),
                s.percentileMicros(0.9),
                s.percentileMicros(0.99),
                Map.of());
    }

    private void report(StartupRow.Measured row) {
        progress.printf(
                java.util.Locale.ROOT,
                "%s: p50 %.2f us, p99 %.2f us over %d samples%n",
                row.name(),
                row.p50Micros(),
                row.p99Micros(),
                row.samples());
        progress.flush();
    }

    /** The no-op guest with its {@code touch} handler, which writes into all 64 KiB of its memory. */
    static ModuleFactory wat() {
        return new ModuleFactory() {
            @Override
            public String name() {
                return "wat";
            }

            @Override
            public Module create() throws IOException {
                return new Module(
                        name(), Subjects.resource(Subjects.NOOP_WASM), "touch", event(Subjects.PAYLOAD), () -> {});
            }
        };
    }

    /** The no-op guest's {@code handle}: an event writes only its payload, into one 4 KiB chunk. */
    static ModuleFactory watNoop() {
        return new ModuleFactory() {
            @Override
            public String name() {
                return "wat no-op";
            }

            @Override
            public Module create() throws IOException {
                return new Module(
                        name(), Subjects.resource(Subjects.NOOP_WASM), "handle", event(Subjects.PAYLOAD), () -> {});
            }
        };
    }

    /** The C example, built with clang; a reading above its threshold, so it formats, logs and publishes. */
    static ModuleFactory c() {
        return new ModuleFactory() {
            @Override
            public String name() {
                return "wasm-c";
            }

            @Override
            public Module create() throws IOException, SubjectFactory.Unavailable {
                Path dir = Files.createTempDirectory("sedge-reset-");
                try {
                    byte[] wasm = Files.readAllBytes(Subjects.buildCExample(dir.resolve("temp_alert.wasm")));
                    return new Module(name(), wasm, "handle", event("31.5"), () -> {});
                } finally {
                    Subjects.deleteTree(dir);
                }
            }
        };
    }

    static List<ModuleFactory> all() {
        return List.of(wat(), watNoop(), c());
    }

    private static Event event(String payload) {
        return Event.builder()
                .id("reset")
                .source("/sedge/bench")
                .type("dev.sedge.bench.reset")
                .subject("sensors/bench/temperature")
                .data(payload)
                .build();
    }

    /** The dispatcher's context, whose publications and log lines go nowhere, so a guest's output costs no I/O. */
    static Context silentContext() {
        System.Logger silent = new System.Logger() {
            @Override
            public String getName() {
                return "silent";
            }

            @Override
            public boolean isLoggable(Level level) {
                return false;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {}

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {}
        };
        return new InvocationContext("reset", "reset-1", false, Map.of(), Instant.MAX, silent, (t, p) -> {});
    }
}
