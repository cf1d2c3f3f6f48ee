package dev.sedge.sandbox.wasm;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;
import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Result;
import dev.sedge.sandbox.FunctionSpec;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Chicory instance of a function's module: it handles one event at a time. Holds the host side of
 * the ABI (the {@code sedge} imports) and a WASI preview 1 with only clocks, random, and stdout and
 * stderr going to the function's log; no preopened directory, so no file system, and no sockets.
 *
 * <p>Used by one thread at a time, except {@link #interrupt}, which the closing thread may call.
 */
final class Guest implements AutoCloseable {

    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Instance instance;
    private final WasiPreview1 wasi;
    private final Memory memory;
    private final ExportFunction alloc;
    private final ExportFunction handler;
    private final String handlerName;
    private final System.Logger functionLog;
    private final LineLog stdout;
    private final LineLog stderr;

    // The invocation in progress; null between invocations and during initialisation.
    private Event event;
    private Context context;
    private byte[] reply;
    private String contentType;

    private final Object runLock = new Object();
    private Thread runner;
    private boolean interrupted;
    private boolean stopped;

    /**
     * Instantiates the module. With {@code fresh} the module's start function runs (the first guest of
     * an instance, which is then initialised and snapshotted); without, the caller restores a snapshot.
     */
    Guest(Compiled compiled, FunctionSpec spec, boolean fresh) {
        this.functionLog = System.getLogger("function." + spec.name());
        this.handlerName = Abi.handler(spec);
        this.stdout = new LineLog("stdout", System.Logger.Level.INFO, this::logger);
        this.stderr = new LineLog("stderr", System.Logger.Level.WARNING, this::logger);
        // WASI is built only for a module that imports it: building it costs several microseconds of every
        // new guest (its 46 host functions), which a guest using only the sedge imports need not pay.
        this.wasi = Abi.importsWasi(compiled.module()) ? wasi(spec, stdout, stderr) : null;
        try {
            List<HostFunction> functions = new ArrayList<>(hostFunctions());
            if (wasi != null) {
                for (HostFunction f : wasi.toHostFunctions()) {
                    functions.add(keepStdio(f));
                }
            }
            this.instance = Instance.builder(compiled.module())
                    .withMachineFactory(compiled.machineFactory())
                    .withImportValues(ImportValues.builder()
                            .withFunctions(List.copyOf(functions))
                            .build())
                    .withMemoryLimits(Abi.memoryLimits(compiled.module(), spec))
                    .withMemoryFactory(TrackedMemory::new)
                    .withStart(fresh)
                    .build();
        } catch (RuntimeException | Error e) {
            if (wasi != null) {
                wasi.close();
            }
            throw e;
        }
        this.memory = instance.memory();
        this.alloc = instance.export(Abi.ALLOC);
        this.handler = instance.export(handlerName);
    }

    /** WASI preview 1 with clocks, random, the function's env and stdout/stderr to its log; nothing else. */
    private static WasiPreview1 wasi(FunctionSpec spec, LineLog stdout, LineLog stderr) {
        WasiOptions.Builder options = WasiOptions.builder()
                .withStdin(InputStream.nullInputStream())
                .withStdout(stdout)
                .withStderr(stderr)
                .withClock(Clock.systemUTC())
                .withRandom(RANDOM)
                .withArguments(List.of());
        for (Map.Entry<String, String> e : spec.env().entrySet()) {
            options.withEnvironment(e.getKey(), e.getValue());
        }
        return WasiPreview1.builder().withOptions(options.build()).build();
    }

    Instance instance() {
        return instance;
    }

    /** Runs the module's own initialisation: {@code _initialize} (a WASI reactor), then {@code sedge_init}. */
    void initialise() throws WasmFailure {
        for (String name : List.of(Abi.WASI_INITIALIZE, Abi.INIT)) {
            if (Abi.exportsInitialiser(instance.module(), name)) {
                run(name, () -> instance.export(name).apply());
            }
        }
    }

    /** Runs the handler on one event. */
    Result invoke(Event event, Context context) throws WasmFailure {
        this.event = event;
        this.context = context;
        this.reply = null;
        this.contentType = null;
        try {
            byte[] data = event.data();
            long[] status = run(handlerName, () -> {
                int ptr = (int) alloc.apply(data.length)[0];
                if (ptr == 0 && data.length > 0) {
                    return null;
                }
                memory.write(ptr, data);
                return handler.apply(ptr, data.length);
            });
            if (status == null) {
                throw new WasmFailure(Abi.ALLOC + " returned 0 for " + data.length + " bytes", true, null);
            }
            int code = (int) status[0];
            if (code != 0) {
                throw new WasmFailure(handlerName + " returned " + code, true, null);
            }
            if (reply == null) {
                return Result.empty();
            }
            return Result.of(reply, contentType == null ? DEFAULT_CONTENT_TYPE : contentType);
        } finally {
            this.event = null;
            this.context = null;
            this.reply = null;
        }
    }

    private interface Call {
        long[] run();
    }

    private long[] run(String what, Call call) throws WasmFailure {
        synchronized (runLock) {
            if (stopped) {
                throw new WasmFailure("wasm guest interrupted before " + what + " (instance closed)", false, null);
            }
            runner = Thread.currentThread();
        }
        try {
            return call.run();
        } catch (ChicoryInterruptedException e) {
            throw new WasmFailure("wasm guest interrupted in " + what + " (timeout or instance closed)", false, e);
        } catch (WasiExitException e) {
            throw new WasmFailure("wasm guest called proc_exit(" + e.exitCode() + ") in " + what, false, e);
        } catch (ChicoryException e) {
            throw new WasmFailure("wasm trap: " + describe(e), false, e);
        } catch (StackOverflowError e) {
            throw new WasmFailure("wasm trap: call stack exhausted", false, e);
        } catch (OutOfMemoryError e) {
            // The guest (a memory.grow, a big reply) or a host call it made ran the node's heap out: drop
            // the guest, whose memory is the likely culprit, rather than let an Error escape the invocation.
            throw new WasmFailure("wasm guest out of memory", false, e);
        } finally {
            stdout.flush();
            stderr.flush();
            synchronized (runLock) {
                runner = null;
                if (interrupted) {
                    // The interrupt was ours, from close(): do not leave it on the caller's thread.
                    Thread.interrupted();
                    interrupted = false;
                }
            }
        }
    }

    private static String describe(ChicoryException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String lower = m.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("unreachable")) {
            return "unreachable";
        }
        if (lower.contains("out of bounds memory")) {
            return "out of bounds memory access";
        }
        if (lower.contains("call stack exhausted") || lower.contains("stack overflow")) {
            return "call stack exhausted";
        }
        return lower.lines().findFirst().orElse(lower);
    }

    /**
     * Stops the guest for good: interrupts the thread running it, if one is, so that it stops at its
     * next check, and refuses later calls.
     */
    void interrupt() {
        synchronized (runLock) {
            stopped = true;
            if (runner != null) {
                interrupted = true;
                runner.interrupt();
            }
        }
    }

    private System.Logger logger() {
        Context c = context;
        return c == null ? functionLog : c.logger();
    }

    private String attr(String name) {
        Event e = event;
        if (e == null) {
            return null;
        }
        return switch (name) {
            case "id" -> e.id();
            case "source" -> e.source();
            case "type" -> e.type();
            case "subject" -> e.subject();
            case "time" -> e.time() == null ? null : e.time().toString();
            case "datacontenttype" -> e.dataContentType();
            case "specversion" -> Event.SPEC_VERSION;
            default -> e.extensions().get(name);
        };
    }

    /**
     * WASI's descriptor table lives in the host, outside the snapshot, so an event that closed or
     * renumbered stdin, stdout or stderr would take them from every later event of this guest. Closing
     * one of them therefore succeeds without effect, and renumbering onto or from one fails with
     * {@code EBADF} without effect; other descriptors (there are none, with nothing preopened) go to WASI.
     */
    private static HostFunction keepStdio(HostFunction f) {
        return switch (f.name()) {
            case "fd_close" ->
                new HostFunction(f.module(), f.name(), f.functionType(), (inst, args) -> {
                    if (isStdio(args[0])) {
                        return new long[] {WASI_SUCCESS};
                    }
                    return f.handle().apply(inst, args);
                });
            case "fd_renumber" ->
                new HostFunction(f.module(), f.name(), f.functionType(), (inst, args) -> {
                    if (isStdio(args[0]) || isStdio(args[1])) {
                        return new long[] {WASI_EBADF};
                    }
                    return f.handle().apply(inst, args);
                });
            default -> f;
        };
    }

    private static final long WASI_SUCCESS = 0;
    private static final long WASI_EBADF = 8;

    private static boolean isStdio(long fd) {
        return fd >= 0 && fd <= 2;
    }

    private List<HostFunction> hostFunctions() {
        String m = Abi.HOST_MODULE;
        return List.of(
                new HostFunction(m, "result", Abi.HOST_FUNCTIONS.get("result"), (inst, args) -> {
                    reply = inst.memory().readBytes((int) args[0], (int) args[1]);
                    return null;
                }),
                new HostFunction(m, "content_type", Abi.HOST_FUNCTIONS.get("content_type"), (inst, args) -> {
                    contentType = inst.memory().readString((int) args[0], (int) args[1], StandardCharsets.UTF_8);
                    return null;
                }),
                new HostFunction(m, "attr", Abi.HOST_FUNCTIONS.get("attr"), (inst, args) -> {
                    Memory mem = inst.memory();
                    String value = attr(mem.readString((int) args[0], (int) args[1], StandardCharsets.UTF_8));
                    if (value == null) {
                        return new long[] {-1};
                    }
                    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                    mem.write((int) args[2], bytes, 0, Math.max(0, Math.min(bytes.length, (int) args[3])));
                    return new long[] {bytes.length};
                }),
                new HostFunction(m, "publish", Abi.HOST_FUNCTIONS.get("publish"), (inst, args) -> {
                    Memory mem = inst.memory();
                    String topic = mem.readString((int) args[0], (int) args[1], StandardCharsets.UTF_8);
                    byte[] data = mem.readBytes((int) args[2], (int) args[3]);
                    Context c = context;
                    if (c == null) {
                        return new long[] {-1};
                    }
                    try {
                        c.publish(topic, data);
                        return new long[] {0};
                    } catch (IllegalArgumentException e) {
                        return new long[] {-1};
                    }
                }),
                new HostFunction(m, "log", Abi.HOST_FUNCTIONS.get("log"), (inst, args) -> {
                    String text = inst.memory().readString((int) args[1], (int) args[2], StandardCharsets.UTF_8);
                    System.Logger.Level level = switch ((int) args[0]) {
                        case 0 -> System.Logger.Level.DEBUG;
                        case 2 -> System.Logger.Level.WARNING;
                        case 3 -> System.Logger.Level.ERROR;
                        default -> System.Logger.Level.INFO;
                    };
                    logger().log(level, text);
                    return null;
                }));
    }

    @Override
    public void close() {
        if (wasi != null) {
            wasi.close();
        }
    }
}
