package dev.sedge.bench.startup;

import dev.sedge.bench.function.NoopFunction;
import dev.sedge.bench.startup.SubjectFactory.Unavailable;
import dev.sedge.bench.targets.FunctionJar;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.jvm.JvmSandbox;
import dev.sedge.sandbox.process.ProcessSandbox;
import dev.sedge.sandbox.wasm.WasmSandbox;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The benchmark function of each runtime. Stateless. */
final class Subjects {

    static final String PAYLOAD = "{\"celsius\": 21.5}";

    /** The no-op wasm guest (one page of memory, no imports), as a class path resource. */
    static final String NOOP_WASM = "/dev/sedge/bench/wasm/noop.wasm";

    private Subjects() {}

    /** Every runtime, in report order. */
    static List<SubjectFactory> all() {
        return List.of(wasm(), wasmC(), jvm(), processPython());
    }

    static SubjectFactory named(String name) {
        for (SubjectFactory f : all()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("--runtime: unknown runtime \"" + name + "\" (use "
                + String.join(", ", all().stream().map(SubjectFactory::name).toList()) + ")");
    }

    /** The no-op jvm function in a jar of its own. */
    static SubjectFactory jvm() {
        return new SubjectFactory(JvmSandbox.RUNTIME, false, () -> {
            Path dir = Files.createTempDirectory("sedge-cold-start-");
            Path jar = FunctionJar.write(NoopFunction.class, dir.resolve("noop.jar"));
            FunctionSpec spec = new FunctionSpec(
                    "noop-jvm",
                    JvmSandbox.RUNTIME,
                    jar,
                    NoopFunction.class.getName(),
                    ColdStartBench.TIMEOUT,
                    0,
                    0,
                    1,
                    Map.of());
            return new Subject(
                    JvmSandbox.RUNTIME, new JvmSandbox(), spec, Subject.event(PAYLOAD), () -> deleteTree(dir));
        });
    }

    /** The module's bytes from the class path. */
    static byte[] resource(String name) throws IOException {
        try (InputStream in = Subjects.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is not on the class path");
            }
            return in.readAllBytes();
        }
    }

    /**
     * The no-op wasm guest, run by a sandbox whose compile cache is a temporary folder. The first sample
     * compiles the module; the later ones find it compiled in memory, as every instance after a node's
     * first does, and pay for instantiating, initialising and snapshotting it.
     */
    static SubjectFactory wasm() {
        return new SubjectFactory(WasmSandbox.RUNTIME, false, () -> {
            Path dir = Files.createTempDirectory("sedge-cold-start-");
            Path wasm = Files.write(dir.resolve("noop.wasm"), resource(NOOP_WASM));
            FunctionSpec spec = new FunctionSpec(
                    "noop-wasm", WasmSandbox.RUNTIME, wasm, "handle", ColdStartBench.TIMEOUT, 0, 0, 1, Map.of());
            return new Subject(
                    WasmSandbox.RUNTIME,
                    new WasmSandbox(dir.resolve("cache")),
                    spec,
                    Subject.event(PAYLOAD),
                    () -> deleteTree(dir));
        });
    }

    /**
     * The C example (examples/wasm-c), built with clang for wasm32-wasi into a temporary folder: a WASI
     * reactor with wasi-libc, three pages of memory. The reading is below the alert threshold, so the
     * guest parses it and replies nothing (no log line per sample).
     */
    static SubjectFactory wasmC() {
        return new SubjectFactory("wasm-c", false, () -> {
            Path dir = Files.createTempDirectory("sedge-cold-start-");
            try {
                Path wasm = buildCExample(dir.resolve("temp_alert.wasm"));
                FunctionSpec spec = new FunctionSpec(
                        "temp-alert-wasm-c",
                        WasmSandbox.RUNTIME,
                        wasm,
                        "handle",
                        ColdStartBench.TIMEOUT,
                        16L << 20,
                        0,
                        1,
                        Map.of());
                return new Subject(
                        "wasm-c",
                        new WasmSandbox(dir.resolve("cache")),
                        spec,
                        Subject.event("21.5"),
                        () -> deleteTree(dir));
            } catch (IOException | Unavailable | RuntimeException e) {
                deleteTree(dir);
                throw e;
            }
        });
    }

    /**
     * Builds examples/wasm-c with its build script into {@code out}.
     *
     * @throws SubjectFactory.Unavailable when the example is not found, or clang or wasi-libc is missing
     */
    static Path buildCExample(Path out) throws IOException, SubjectFactory.Unavailable {
        Path script = example("wasm-c/build.sh");
        String output = run(
                script.getParent(),
                List.of("sh", script.toString(), out.toAbsolutePath().toString()));
        if (output != null || !Files.isRegularFile(out)) {
            throw new SubjectFactory.Unavailable("cannot build examples/wasm-c with clang for wasm32-wasi"
                    + " (clang, lld and wasi-libc needed): " + firstLine(output));
        }
        return out;
    }

    /** The Python example (examples/python-process), with the limits of its descriptor. */
    static SubjectFactory processPython() {
        return new SubjectFactory("process-python", true, () -> {
            Path handler = example("python-process/handler.py");
            String version = run(handler.getParent(), List.of("python3", "--version"));
            if (version != null) {
                throw new Unavailable("python3 cannot be started: " + firstLine(version));
            }
            Path dir = Files.createTempDirectory("sedge-cold-start-");
            Path script = Files.copy(handler, dir.resolve("handler.py"));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            FunctionSpec spec = new FunctionSpec(
                    "temp-alert-python",
                    ProcessSandbox.RUNTIME,
                    script,
                    null,
                    ColdStartBench.TIMEOUT,
                    64L << 20,
                    500,
                    1,
                    Map.of());
            return new Subject(
                    "process-python", new ProcessSandbox(), spec, Subject.event(PAYLOAD), () -> deleteTree(dir));
        });
    }

    /**
     * A file under the project's examples folder, looked for from the working directory up.
     *
     * @throws SubjectFactory.Unavailable when there is no such folder above the working directory
     */
    static Path example(String relative) throws SubjectFactory.Unavailable {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("examples").resolve(relative);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new SubjectFactory.Unavailable(
                "examples/" + relative + " not found from the working directory up (run from the project)");
    }

    /** Runs a command to its end; null when it succeeded, else what it printed or why it did not start. */
    private static String run(Path cwd, List<String> command) throws IOException {
        try {
            Process p = new ProcessBuilder(command)
                    .directory(cwd.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return command.getFirst() + " timed out";
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.strip().lines().findFirst().orElse("");
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
