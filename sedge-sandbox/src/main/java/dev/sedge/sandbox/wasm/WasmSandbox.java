package dev.sedge.sandbox.wasm;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.sedge.sandbox.ColdStart;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Instance;
import dev.sedge.sandbox.Phase;
import dev.sedge.sandbox.Sandbox;
import dev.sedge.sandbox.SandboxException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The {@code wasm} runtime: a function is a WebAssembly module keeping Sedge's ABI (see
 * docs/functions.md), run by Chicory's compiler, which turns the module into JVM classes.
 *
 * <p>Compiling is the slow part of a cold start, so it happens once per module content: the compiled
 * code is kept in memory by the artifact's SHA-256, and, given a cache folder, on disk, so that neither a
 * second instance nor a restarted node compiles again. {@link #check} compiles too, so a deploy warms the
 * cache and the first event does not pay for it.
 *
 * <p>Cold-start phases: fetch is reading and hashing the artifact; compile is parsing it and compiling
 * it or finding it compiled; instantiate is creating the Chicory instance; initialise is running
 * {@code _initialize} and {@code sedge_init} and taking the snapshot every event starts from.
 *
 * <p>For benchmarks, {@link #start} and {@link Instance#invoke} are the whole interface: a started
 * instance holds a compiled module and a snapshot, and each invoke runs one event and rewinds.
 * Thread-safe.
 */
public final class WasmSandbox implements Sandbox {

    public static final String RUNTIME = "wasm";

    private static final System.Logger LOG = System.getLogger("dev.sedge.sandbox");

    private final DiskCache disk;
    private final ConcurrentHashMap<String, CompletableFuture<Compiled>> compiled = new ConcurrentHashMap<>();
    private final AtomicLong compilations = new AtomicLong();
    private final Function<WasmModule, Function<com.dylibso.chicory.runtime.Instance, Machine>> compiler;

    /**
     * @param cacheDir where compiled modules are kept across restarts, created if missing; null to keep
     *     them in memory only
     */
    public WasmSandbox(Path cacheDir) {
        this(cacheDir, null);
    }

    /** With {@code compiler} in place of Chicory's (null for Chicory's); for tests. */
    WasmSandbox(Path cacheDir, Function<WasmModule, Function<com.dylibso.chicory.runtime.Instance, Machine>> compiler) {
        this.compiler = compiler == null ? this::machineFactory : compiler;
        DiskCache d = null;
        if (cacheDir != null) {
            try {
                d = new DiskCache(cacheDir);
            } catch (IOException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "wasm compile cache {0} unusable, compiled modules are kept in memory only: {1}",
                        cacheDir,
                        e.toString());
            }
        }
        this.disk = d;
    }

    @Override
    public String runtime() {
        return RUNTIME;
    }

    @Override
    public void check(FunctionSpec spec) throws SandboxException {
        byte[] bytes = read(spec);
        WasmModule module = parse(spec, bytes);
        Abi.check(spec, module);
        compile(spec, sha256(bytes), module);
    }

    @Override
    public Instance start(FunctionSpec spec, ColdStart timing) throws SandboxException {
        byte[] bytes = read(spec);
        String sha = sha256(bytes);
        timing.mark(Phase.FETCH);

        CompletableFuture<Compiled> known = compiled.get(sha);
        Compiled code;
        if (known != null && known.isDone() && !known.isCompletedExceptionally()) {
            code = known.join();
        } else {
            WasmModule module = parse(spec, bytes);
            Abi.check(spec, module);
            code = compile(spec, sha, module);
        }
        Abi.check(spec, code.module());
        timing.mark(Phase.COMPILE);

        Guest first;
        try {
            first = new Guest(code, spec, true);
        } catch (ChicoryException e) {
            throw new SandboxException("spec.artifact: cannot instantiate the module: " + oneLine(e), e);
        }
        timing.mark(Phase.INSTANTIATE);

        try {
            first.initialise();
            Snapshot snapshot = Snapshot.take(first.instance());
            timing.mark(Phase.INITIALISE);
            return new WasmInstance(code, spec, first, snapshot);
        } catch (WasmFailure e) {
            first.close();
            throw new SandboxException("spec.artifact: initialising the module failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            first.close();
            throw new SandboxException("spec.artifact: initialising the module failed: " + oneLine(e), e);
        }
    }

    /** How many times this sandbox ran the compiler (cache misses in memory and on disk); for tests. */
    long compilations() {
        return compilations.get();
    }

    /** How many compiled modules were loaded from the disk cache; for tests. */
    long diskHits() {
        return disk == null ? 0 : disk.hits();
    }

    /** The disk cache, null when memory only; for tests. */
    DiskCache disk() {
        return disk;
    }

    private static byte[] read(FunctionSpec spec) throws SandboxException {
        Path path = spec.artifact();
        if (!Files.isRegularFile(path)) {
            throw new SandboxException("spec.artifact: no such file: " + path);
        }
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new SandboxException("spec.artifact: cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static WasmModule parse(FunctionSpec spec, byte[] bytes) throws SandboxException {
        if (bytes.length < 8 || bytes[0] != 0 || bytes[1] != 'a' || bytes[2] != 's' || bytes[3] != 'm') {
            throw new SandboxException("spec.artifact: not a WebAssembly module: " + file(spec)
                    + " does not start with the module header \\0asm");
        }
        try {
            return Parser.parse(bytes);
        } catch (ChicoryException | UncheckedIOException e) {
            throw new SandboxException(
                    "spec.artifact: not a WebAssembly module: " + oneLine(e) + " (" + file(spec) + ")", e);
        }
    }

    /** The compiled module for this content: from memory, from disk, or compiled now, once. */
    private Compiled compile(FunctionSpec spec, String sha, WasmModule module) throws SandboxException {
        CompletableFuture<Compiled> mine = new CompletableFuture<>();
        CompletableFuture<Compiled> theirs = compiled.putIfAbsent(sha, mine);
        if (theirs != null) {
            try {
                return theirs.get();
            } catch (ExecutionException e) {
                compiled.remove(sha, theirs);
                return compile(spec, sha, module);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SandboxException("spec.artifact: interrupted while the module was compiled", e);
            }
        }
        try {
            Compiled c = new Compiled(sha, module, compiler.apply(module));
            mine.complete(c);
            return c;
        } catch (Throwable e) {
            // Whatever the compiler threw, an OutOfMemoryError or a StackOverflowError on a huge or deeply
            // nested module included, the future must not stay pending: every later check or start of
            // this content would wait on it forever.
            compiled.remove(sha, mine);
            mine.completeExceptionally(e);
            if (e instanceof RuntimeException
                    || e instanceof LinkageError
                    || e instanceof OutOfMemoryError
                    || e instanceof StackOverflowError) {
                throw new SandboxException("spec.artifact: cannot compile the module: " + oneLine(e), e);
            }
            throw e;
        }
    }

    private Function<com.dylibso.chicory.runtime.Instance, Machine> machineFactory(WasmModule module) {
        if (disk == null) {
            compilations.incrementAndGet();
            return MachineFactoryCompiler.builder(module).compile();
        }
        long writesBefore = disk.writes();
        long hitsBefore = disk.hits();
        try {
            Function<com.dylibso.chicory.runtime.Instance, Machine> f =
                    MachineFactoryCompiler.builder(module).withCache(disk).compile();
            if (disk.hits() == hitsBefore || disk.writes() > writesBefore) {
                compilations.incrementAndGet();
            }
            return f;
        } catch (RuntimeException | LinkageError e) {
            if (module.digest() == null || disk.hits() == hitsBefore) {
                throw e;
            }
            // The cached classes did not load (a damaged or foreign file): drop them and compile afresh.
            LOG.log(
                    System.Logger.Level.WARNING,
                    "wasm compile cache entry unusable, compiling again: {0}",
                    e.toString());
            disk.evict(module.digest());
            compilations.incrementAndGet();
            return MachineFactoryCompiler.builder(module).withCache(disk).compile();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String file(FunctionSpec spec) {
        return String.valueOf(spec.artifact().getFileName());
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m).strip();
    }
}
