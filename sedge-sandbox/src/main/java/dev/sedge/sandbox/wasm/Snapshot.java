package dev.sedge.sandbox.wasm;

import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.types.MutabilityType;
import com.dylibso.chicory.wasm.types.Value;

/**
 * A guest's state right after its initialisation: its memory (the bytes up to its size then), its mutable
 * globals and its tables. Every guest of an instance is put back to this state after each event, and
 * guests created later start from it instead of running the initialisation again. Immutable.
 */
final class Snapshot {

    private final byte[] memory;
    private final int pages;
    private final int[] globals;
    private final long[] low;
    private final long[] high;
    private final int[][] tables;

    private Snapshot(byte[] memory, int pages, int[] globals, long[] low, long[] high, int[][] tables) {
        this.memory = memory;
        this.pages = pages;
        this.globals = globals;
        this.low = low;
        this.high = high;
        this.tables = tables;
    }

    static Snapshot take(Instance instance) {
        Memory mem = instance.memory();
        int pages = mem.pages();
        byte[] bytes = mem.readBytes(0, pages * Abi.PAGE);
        if (mem instanceof TrackedMemory tracked) {
            tracked.clean();
        }

        int n = 0;
        int[] mutable = new int[instance.globalCount()];
        for (int i = 0; i < instance.globalCount(); i++) {
            if (instance.global(i).getMutabilityType() == MutabilityType.Var) {
                mutable[n++] = i;
            }
        }
        int[] globals = java.util.Arrays.copyOf(mutable, n);
        long[] low = new long[n];
        long[] high = new long[n];
        for (int k = 0; k < n; k++) {
            GlobalInstance g = instance.global(globals[k]);
            low[k] = g.getValueLow();
            high[k] = g.getValueHigh();
        }

        int[][] tables = new int[instance.tableCount()][];
        for (int t = 0; t < tables.length; t++) {
            TableInstance table = instance.table(t);
            int[] refs = new int[table.size()];
            for (int i = 0; i < refs.length; i++) {
                refs[i] = table.ref(i);
            }
            tables[t] = refs;
        }
        return new Snapshot(bytes, pages, globals, low, high, tables);
    }

    int pages() {
        return pages;
    }

    long memoryBytes() {
        return memory.length;
    }

    /**
     * Puts an instance of the same module back to this state.
     *
     * @return false when it cannot be done in place because the guest grew its memory or a table past
     *     the snapshot's size (a wasm memory or table never shrinks): the caller replaces the instance
     */
    boolean rewind(Instance instance) {
        if (!fits(instance)) {
            return false;
        }
        restore(instance, false);
        return true;
    }

    /** Brings a fresh instance of the same module, built without running its initialisation, to this state. */
    boolean restoreInto(Instance instance) {
        Memory mem = instance.memory();
        if (mem.pages() < pages && mem.grow(pages - mem.pages()) < 0) {
            return false;
        }
        for (int t = 0; t < tables.length; t++) {
            TableInstance table = instance.table(t);
            if (table.size() < tables[t].length) {
                table.grow(tables[t].length - table.size(), Value.REF_NULL_VALUE, instance);
            }
        }
        if (!fits(instance)) {
            return false;
        }
        restore(instance, true);
        return true;
    }

    private boolean fits(Instance instance) {
        if (instance.memory().pages() != pages) {
            return false;
        }
        for (int t = 0; t < tables.length; t++) {
            if (instance.table(t).size() != tables[t].length) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies the snapshot back: with {@code all} (or an untracked memory) the whole memory, otherwise
     * only the chunks written since the last snapshot or rewind, in runs of adjacent chunks.
     */
    private void restore(Instance instance, boolean all) {
        Memory mem = instance.memory();
        if (mem instanceof TrackedMemory tracked && !all) {
            int n = tracked.chunkCount();
            int c = 0;
            while (c < n) {
                if (!tracked.dirty(c)) {
                    c++;
                    continue;
                }
                int from = c;
                while (c < n && tracked.dirty(c)) {
                    c++;
                }
                int at = from << TrackedMemory.CHUNK_BITS;
                mem.write(at, memory, at, (c - from) << TrackedMemory.CHUNK_BITS);
            }
        } else {
            mem.write(0, memory, 0, memory.length);
        }
        if (mem instanceof TrackedMemory tracked) {
            tracked.clean();
        }
        for (int k = 0; k < globals.length; k++) {
            GlobalInstance g = instance.global(globals[k]);
            g.setValueLow(low[k]);
            g.setValueHigh(high[k]);
        }
        for (int t = 0; t < tables.length; t++) {
            TableInstance table = instance.table(t);
            int[] refs = tables[t];
            for (int i = 0; i < refs.length; i++) {
                if (table.ref(i) != refs[i]) {
                    table.setRef(i, refs[i], instance);
                }
            }
        }
    }
}
