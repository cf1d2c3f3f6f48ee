package dev.sedge.jmh;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Result;
import dev.sedge.sandbox.Instance;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wasm runtime's per-event overhead: {@link Instance#invoke} of the no-op guest (the payload
 * allocated and written into the guest, the call, the result read, the guest rewound to its snapshot)
 * against calling the same exported function on a Chicory instance of the same compiled module with no
 * Sedge around it. The difference is what Sedge adds to every event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class WasmInvokeBenchmark {

    private Fixtures.WasmFunction fixture;
    private Instance instance;
    private ExportFunction handle;
    private ExportFunction alloc;
    private Memory memory;
    private GlobalInstance heap;
    private byte[] payload;
    private Event event;
    private Context context;

    @Setup
    public void setUp() throws Exception {
        fixture = Fixtures.wasmNoop();
        instance = fixture.start();
        WasmModule module = Parser.parse(Fixtures.noopWasm());
        com.dylibso.chicory.runtime.Instance chicory = com.dylibso.chicory.runtime.Instance.builder(module)
                .withMachineFactory(MachineFactoryCompiler.builder(module).compile())
                .build();
        handle = chicory.export("handle");
        alloc = chicory.export("sedge_alloc");
        memory = chicory.memory();
        heap = chicory.global(0);
        event = Fixtures.event();
        payload = event.data();
        context = Fixtures.context();
    }

    @TearDown
    public void tearDown() {
        instance.close();
        fixture.close();
    }

    /** The guest's own work: the exported handler called on a bare Chicory instance. */
    @Benchmark
    public long direct() {
        return handle.apply(1024, payload.length)[0];
    }

    /**
     * The ABI's guest-side work on a bare instance: allocate, copy the payload in, call the handler; no
     * rewind, so the bump allocator's pointer is reset by hand to keep the memory from filling.
     */
    @Benchmark
    public long directWithPayload() {
        int ptr = (int) alloc.apply(payload.length)[0];
        memory.write(ptr, payload);
        long status = handle.apply(ptr, payload.length)[0];
        heap.setValueLow(1024);
        return status + ptr;
    }

    /** The same handler through the sandbox's instance: one whole event. */
    @Benchmark
    public Result throughInstance() throws Exception {
        return instance.invoke(event, context);
    }
}
