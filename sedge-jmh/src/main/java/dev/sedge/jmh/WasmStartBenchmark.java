package dev.sedge.jmh;

import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Result;
import dev.sedge.sandbox.Instance;
import dev.sedge.sandbox.wasm.WasmProbe;
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
 * Starting and resetting the no-op wasm guest (64 KiB of memory) from its compiled module: a cold start
 * through the sandbox with its first event, the two ways of building a new guest, and a rewind of a
 * guest whose whole memory was written to, against the writing alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class WasmStartBenchmark {

    private Fixtures.WasmFunction fixture;
    private WasmProbe probe;
    private Event event;
    private Context context;
    private byte value;

    @Setup
    public void setUp() throws Exception {
        fixture = Fixtures.wasmNoop();
        probe = WasmProbe.compile("noop.wasm", Fixtures.noopWasm(), "handle");
        event = Fixtures.event();
        context = Fixtures.context();
    }

    @TearDown
    public void tearDown() {
        probe.close();
        fixture.close();
    }

    /**
     * A cold start from the compiled module, as the sandbox does it: read and hash the artifact, find it
     * compiled, check it, instantiate, initialise, snapshot; then the first event, and closing.
     */
    @Benchmark
    @BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
    public Result coldStart() throws Exception {
        try (Instance i = fixture.start()) {
            return i.invoke(event, context);
        }
    }

    /** A new guest as a cold start builds it: instantiate, initialise, snapshot; and closing it. */
    @Benchmark
    public void newInstance() throws Exception {
        probe.newInstance().close();
    }

    /** A new guest as a busy instance adds one: instantiate and copy the snapshot in; and closing it. */
    @Benchmark
    public void newGuestFromSnapshot() throws Exception {
        probe.newGuestFromSnapshot().close();
    }

    /** The baseline of {@link #rewind}: one byte written into every 4 KiB of the guest's memory. */
    @Benchmark
    public byte dirty() {
        probe.dirty(4096, ++value);
        return value;
    }

    /** One byte written into the first 4 KiB chunk, then the guest rewound: what a small event leaves. */
    @Benchmark
    public boolean rewindOneChunk() {
        probe.dirty(65_536, ++value);
        return probe.rewind();
    }

    /** The same writes as {@link #dirty}, then the guest rewound to its snapshot: all 64 KiB copied back. */
    @Benchmark
    public boolean rewind() {
        probe.dirty(4096, ++value);
        return probe.rewind();
    }
}
