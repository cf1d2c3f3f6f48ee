package dev.sedge.bench.proc;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A count of completed requests in a memory-mapped file, shared between the function server's process,
 * which adds to it, and the harness, which reads it at no cost for each message it may send (see {@code
 * Target.Running#completionGate()}). One aligned 8-byte word at offset 0, updated atomically.
 *
 * <p>Thread-safe, in and across processes. The mapping lives as long as this object is reachable.
 */
public final class CompletionCounter {

    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final MappedByteBuffer map;

    private CompletionCounter(MappedByteBuffer map) {
        this.map = map;
    }

    /** Maps {@code file}, creating it (zero) if it does not exist. */
    public static CompletionCounter open(Path file) throws IOException {
        try (FileChannel ch =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return new CompletionCounter(ch.map(FileChannel.MapMode.READ_WRITE, 0, Long.BYTES));
        }
    }

    public void increment() {
        LONG.getAndAdd(map, 0, 1L);
    }

    public long get() {
        return (long) LONG.getVolatile(map, 0);
    }
}
