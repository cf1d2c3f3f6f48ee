package dev.sedge.sandbox.wasm;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.util.Arrays;

/**
 * A guest's memory that remembers which 4 KiB chunks were written since it was last {@linkplain #clean()
 * cleaned}, so that a rewind copies back only those instead of the whole memory: an event that touches
 * a few chunks of a large memory costs a few chunk copies, not one copy of everything.
 *
 * <p>Every write, the guest's (the compiled code goes through this interface) and the host's, is passed
 * to a {@link ByteArrayMemory} first, which checks its bounds and traps, then marked. Reads are passed
 * on unmarked. Used by the one thread running its guest, like the memory it wraps.
 */
final class TrackedMemory implements Memory {

    /** log2 of the chunk size a rewind copies. */
    static final int CHUNK_BITS = 12;

    static final int CHUNK = 1 << CHUNK_BITS;

    private final Memory memory;
    private boolean[] dirty;

    TrackedMemory(MemoryLimits limits) {
        this.memory = new ByteArrayMemory(limits);
        this.dirty = new boolean[chunks(memory.pages())];
    }

    private static int chunks(int pages) {
        return (int) ((long) pages * Abi.PAGE >>> CHUNK_BITS);
    }

    /** Marks the chunks of {@code [addr, addr + len)}; called after the write succeeded, so in bounds. */
    private void mark(int addr, int len) {
        if (len <= 0) {
            return;
        }
        int from = addr >>> CHUNK_BITS;
        int to = (addr + len - 1) >>> CHUNK_BITS;
        for (int c = from; c <= to; c++) {
            dirty[c] = true;
        }
    }

    private void markAll() {
        Arrays.fill(dirty, true);
    }

    /** Whether the chunk starting at {@code chunk * CHUNK} was written since the last clean. */
    boolean dirty(int chunk) {
        return dirty[chunk];
    }

    /** How many chunks the memory has now. */
    int chunkCount() {
        return dirty.length;
    }

    /** Forgets every mark: the memory now equals the state the caller will rewind to. */
    void clean() {
        Arrays.fill(dirty, false);
    }

    @Override
    public int pages() {
        return memory.pages();
    }

    @Override
    public int grow(int size) {
        int before = memory.grow(size);
        if (before >= 0) {
            dirty = Arrays.copyOf(dirty, chunks(memory.pages()));
            Arrays.fill(dirty, chunks(before), dirty.length, true);
        }
        return before;
    }

    @Override
    public int initialPages() {
        return memory.initialPages();
    }

    @Override
    public int maximumPages() {
        return memory.maximumPages();
    }

    @Override
    public boolean shared() {
        return memory.shared();
    }

    @Override
    @SuppressWarnings("removal") // still abstract in Memory, so implemented; passed on as is
    public Object lock(int address) {
        return memory.lock(address);
    }

    @Override
    @SuppressWarnings("removal") // still abstract in Memory, so implemented; passed on as is
    public int waitOn(int address, int expected, long timeout) {
        return memory.waitOn(address, expected, timeout);
    }

    @Override
    @SuppressWarnings("removal") // still abstract in Memory, so implemented; passed on as is
    public int waitOn(int address, long expected, long timeout) {
        return memory.waitOn(address, expected, timeout);
    }

    @Override
    @SuppressWarnings("removal") // still abstract in Memory, so implemented; passed on as is
    public int notify(int address, int maxThreads) {
        return memory.notify(address, maxThreads);
    }

    @Override
    public void initialize(Instance instance, DataSegment[] dataSegments) {
        memory.initialize(instance, dataSegments);
        markAll();
    }

    @Override
    public void initPassiveSegment(int segmentId, int dest, int offset, int size) {
        memory.initPassiveSegment(segmentId, dest, offset, size);
        mark(dest, size);
    }

    @Override
    public void write(int addr, byte[] data, int offset, int size) {
        memory.write(addr, data, offset, size);
        mark(addr, size);
    }

    @Override
    public byte read(int addr) {
        return memory.read(addr);
    }

    @Override
    public byte[] readBytes(int addr, int len) {
        return memory.readBytes(addr, len);
    }

    @Override
    public void writeI32(int addr, int data) {
        memory.writeI32(addr, data);
        mark(addr, 4);
    }

    @Override
    public int readInt(int addr) {
        return memory.readInt(addr);
    }

    @Override
    public void writeLong(int addr, long data) {
        memory.writeLong(addr, data);
        mark(addr, 8);
    }

    @Override
    public long readLong(int addr) {
        return memory.readLong(addr);
    }

    @Override
    public void writeShort(int addr, short data) {
        memory.writeShort(addr, data);
        mark(addr, 2);
    }

    @Override
    public short readShort(int addr) {
        return memory.readShort(addr);
    }

    @Override
    public long readU16(int addr) {
        return memory.readU16(addr);
    }

    @Override
    public void writeByte(int addr, byte data) {
        memory.writeByte(addr, data);
        dirty[addr >>> CHUNK_BITS] = true;
    }

    @Override
    public void writeF32(int addr, float data) {
        memory.writeF32(addr, data);
        mark(addr, 4);
    }

    @Override
    public long readF32(int addr) {
        return memory.readF32(addr);
    }

    @Override
    public float readFloat(int addr) {
        return memory.readFloat(addr);
    }

    @Override
    public void writeF64(int addr, double data) {
        memory.writeF64(addr, data);
        mark(addr, 8);
    }

    @Override
    public double readDouble(int addr) {
        return memory.readDouble(addr);
    }

    @Override
    public long readF64(int addr) {
        return memory.readF64(addr);
    }

    @Override
    public void zero() {
        memory.zero();
        markAll();
    }

    @Override
    public void fill(byte value, int fromIndex, int toIndex) {
        memory.fill(value, fromIndex, toIndex);
        mark(fromIndex, toIndex - fromIndex);
    }

    @Override
    public void copy(int dest, int src, int size) {
        memory.copy(dest, src, size);
        mark(dest, size);
    }

    @Override
    public void drop(int segment) {
        memory.drop(segment);
    }
}
