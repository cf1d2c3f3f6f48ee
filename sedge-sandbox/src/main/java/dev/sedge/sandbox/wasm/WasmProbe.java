package dev.sedge.sandbox.wasm;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Result;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.SandboxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The benchmarks' entry point into the wasm runtime's internals, which stay package-private: it times
 * the steps that {@link WasmSandbox} and its instances take on their own, one at a time. Not used by the
 * node.
 *
 * <p>A probe compiles a module once (in memory, no disk cache), then holds one guest started as a cold
 * start starts one: instantiated, initialised and snapshotted. {@link #invoke} runs an event on it
 * without rewinding, {@link #dirty} writes into its memory from the host, and {@link #rewind} puts it
 * back to its snapshot, as {@link WasmInstance} does after every event. {@link #newInstance} and
 * {@link #newGuestFromSnapshot} build the two kinds of new guests that rewinding saves.
 *
 * <p>Not thread-safe: one thread drives a probe.
 */
public final class WasmProbe implements AutoCloseable {

    private final Compiled compiled;
    private final FunctionSpec spec;
    private final Guest guest;
    private final Snapshot snapshot;

    private WasmProbe(Compiled compiled, FunctionSpec spec, Guest guest, Snapshot snapshot) {
        this.compiled = compiled;
        this.spec = spec;
        this.guest = guest;
        this.snapshot = snapshot;
    }

    /**
     * Parses, checks and compiles a module, then starts its guest.
     *
     * @param name a name for the module in messages, such as {@code noop.wasm}
     * @param handler the exported handler, null for {@code handle}
     * @throws SandboxException when the module is not one the runtime would start
     */
    public static WasmProbe compile(String name, byte[] wasm, String handler) throws SandboxException {
        FunctionSpec spec = new FunctionSpec(
                "probe", WasmSandbox.RUNTIME, Path.of(name), handler, Duration.ofSeconds(30), 0, 0, 1, Map.of());
        WasmModule module;
        try {
            module = Parser.parse(wasm);
        } catch (ChicoryException e) {
            throw new SandboxException("not a WebAssembly module: " + name + ": " + e.getMessage(), e);
        }
        Abi.check(spec, module);
        Compiled compiled = new Compiled(
                WasmSandbox.sha256(wasm),
                module,
                MachineFactoryCompiler.builder(module).compile());
        Guest guest = new Guest(compiled, spec, true);
        try {
            guest.initialise();
            return new WasmProbe(compiled, spec, guest, Snapshot.take(guest.instance()));
        } catch (WasmFailure | RuntimeException e) {
            guest.close();
            throw new SandboxException("initialising " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** The bytes of memory a rewind restores: the guest's memory when it was snapshotted. */
    public long memoryBytes() {
        return snapshot.memoryBytes();
    }

    /**
     * Runs the handler on one event, as an invocation does, but leaves the guest as the event left it.
     *
     * @throws Exception when the guest fails, as {@link dev.sedge.sandbox.Instance#invoke} would
     */
    public Result invoke(Event event, Context context) throws Exception {
        return guest.invoke(event, context);
    }

    /** Writes one byte into every {@code stride} bytes of the guest's memory, from the host. */
    public void dirty(int stride, byte value) {
        Memory memory = guest.instance().memory();
        int size = memory.pages() * Abi.PAGE;
        for (int at = 0; at < size; at += stride) {
            memory.writeByte(at, value);
        }
    }

    /** The guest's memory byte at an offset; lets a caller see that a rewind happened. */
    public byte peek(int offset) {
        return guest.instance().memory().read(offset);
    }

    /**
     * Puts the guest back to its snapshot, as an instance does after each event.
     *
     * @return false when the guest grew past its snapshot and would be replaced instead
     */
    public boolean rewind() {
        return snapshot.rewind(guest.instance());
    }

    /**
     * Builds a new guest as a cold start does, from the compiled module: instantiates it, runs its
     * initialisation and snapshots it. The caller closes it.
     */
    public AutoCloseable newInstance() throws Exception {
        Guest g = new Guest(compiled, spec, true);
        try {
            g.initialise();
            Snapshot.take(g.instance());
            return g;
        } catch (WasmFailure | RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /**
     * Builds a new guest as an instance does when more events than idle guests arrive: instantiates the
     * compiled module without its start function and copies the snapshot into it. The caller closes it.
     */
    public AutoCloseable newGuestFromSnapshot() {
        Guest g = new Guest(compiled, spec, false);
        if (!snapshot.restoreInto(g.instance())) {
            g.close();
            throw new IllegalStateException("cannot copy the snapshot into a new guest");
        }
        return g;
    }

    @Override
    public void close() {
        guest.close();
    }
}
