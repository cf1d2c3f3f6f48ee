package dev.sedge.jmh;

import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Result;
import dev.sedge.dataplane.Dispatcher;
import dev.sedge.dataplane.DispatcherConfig;
import dev.sedge.dataplane.DispatcherEnvironment;
import dev.sedge.dataplane.InvocationContext;
import dev.sedge.dataplane.InvocationListener;
import dev.sedge.dataplane.ScaleListener;
import dev.sedge.dataplane.time.Timers;
import dev.sedge.dataplane.warm.WarmPlanner;
import dev.sedge.sandbox.ColdStart;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Instance;
import dev.sedge.sandbox.Sandbox;
import dev.sedge.sandbox.SandboxException;
import dev.sedge.sandbox.jvm.JvmSandbox;
import dev.sedge.sandbox.wasm.WasmSandbox;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** What the benchmarks share: functions written to temporary artifacts, an event, a context. */
final class Fixtures {

    static final String PAYLOAD = "{\"celsius\": 21.5}";

    private Fixtures() {}

    static Event event() {
        return Event.builder()
                .id("bench")
                .source("/sedge/jmh")
                .type("dev.sedge.jmh")
                .subject("sensors/s1/temperature")
                .dataContentType("application/json")
                .data(PAYLOAD)
                .build();
    }

    /** A sandbox of the given runtime whose instances answer every event at once. */
    static Sandbox immediate(String runtime) {
        return new Sandbox() {
            @Override
            public String runtime() {
                return runtime;
            }

            @Override
            public void check(FunctionSpec spec) {}

            @Override
            public Instance start(FunctionSpec spec, ColdStart timing) {
                return new Instance() {
                    @Override
                    public Result invoke(Event e, Context c) {
                        return Result.empty();
                    }

                    @Override
                    public void close() {}
                };
            }
        };
    }

    /**
     * A dispatcher named {@code bench} over {@link #immediate} instances of {@code runtime}, on
     * {@code timers}, reporting to no one; {@code planner} may be null.
     */
    static Dispatcher dispatcher(DispatcherConfig config, String runtime, Timers timers, WarmPlanner planner) {
        FunctionSpec spec = new FunctionSpec(
                "bench", runtime, Path.of("none"), null, config.timeout(), 0, 0, config.concurrency(), Map.of());
        return new Dispatcher(
                config,
                immediate(runtime),
                spec,
                new DispatcherEnvironment(
                        InvocationListener.NONE,
                        ScaleListener.NONE,
                        (t, p) -> {},
                        timers,
                        Clock.systemUTC(),
                        System::nanoTime,
                        new Random(1),
                        planner));
    }

    /** The dispatcher's context, with publications that go nowhere. */
    static Context context() {
        return new InvocationContext(
                "bench", "bench-1", false, Map.of(), Instant.MAX, System.getLogger("function.bench"), (t, p) -> {});
    }

    /** A jvm function in a jar of its own, and the sandbox to start it. */
    record JvmFunction(JvmSandbox sandbox, FunctionSpec spec, Path dir) implements AutoCloseable {
        Instance start() throws SandboxException {
            return sandbox.start(spec);
        }

        @Override
        public void close() {
            deleteTree(dir);
        }
    }

    static JvmFunction jvmEcho() throws IOException {
        Path dir = Files.createTempDirectory("sedge-jmh-");
        Path jar = dir.resolve("echo.jar");
        String entry = EchoFunction.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file);
                InputStream in = EchoFunction.class.getClassLoader().getResourceAsStream(entry)) {
            if (in == null) {
                throw new IOException(entry + " is not on the class path");
            }
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        FunctionSpec spec = new FunctionSpec(
                "echo",
                JvmSandbox.RUNTIME,
                jar,
                EchoFunction.class.getName(),
                Duration.ofSeconds(30),
                0,
                0,
                1,
                Map.of());
        return new JvmFunction(new JvmSandbox(), spec, dir);
    }

    /** The no-op wasm guest (one page of memory, no imports; see noop.wat beside it). */
    static byte[] noopWasm() throws IOException {
        try (InputStream in = Fixtures.class.getResourceAsStream("noop.wasm")) {
            if (in == null) {
                throw new IOException("noop.wasm is not on the class path");
            }
            return in.readAllBytes();
        }
    }

    /** A wasm function in a file of its own, and the sandbox to start it (compile cache in memory). */
    record WasmFunction(WasmSandbox sandbox, FunctionSpec spec, Path dir) implements AutoCloseable {
        Instance start() throws SandboxException {
            return sandbox.start(spec);
        }

        @Override
        public void close() {
            deleteTree(dir);
        }
    }

    /** The no-op wasm guest's {@code handle}, checked (so compiled) as a deploy does. */
    static WasmFunction wasmNoop() throws IOException, SandboxException {
        Path dir = Files.createTempDirectory("sedge-jmh-");
        Path wasm = Files.write(dir.resolve("noop.wasm"), noopWasm());
        FunctionSpec spec = new FunctionSpec(
                "noop", WasmSandbox.RUNTIME, wasm, "handle", Duration.ofSeconds(30), 0, 0, 1, Map.of());
        WasmSandbox sandbox = new WasmSandbox(null);
        sandbox.check(spec);
        return new WasmFunction(sandbox, spec, dir);
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
