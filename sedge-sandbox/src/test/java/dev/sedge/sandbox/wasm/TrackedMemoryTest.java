package dev.sedge.sandbox.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.sedge.sandbox.FunctionSpec;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A rewind copies back only the chunks written since the snapshot, and that is enough. */
class TrackedMemoryTest {

    private Guest guest;
    private Snapshot snapshot;
    private Memory memory;
    private TrackedMemory tracked;

    @BeforeEach
    void start() throws Exception {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("/wasm/guest.wasm")) {
            bytes = in.readAllBytes();
        }
        WasmModule module = Parser.parse(bytes);
        Compiled compiled = new Compiled(
                "test", module, MachineFactoryCompiler.builder(module).compile());
        FunctionSpec spec =
                new FunctionSpec("f", "wasm", Path.of("guest.wasm"), null, Duration.ofSeconds(5), 0, 0, 1, Map.of());
        guest = new Guest(compiled, spec, true);
        guest.initialise();
        snapshot = Snapshot.take(guest.instance());
        memory = guest.instance().memory();
        tracked = (TrackedMemory) memory;
    }

    @AfterEach
    void stop() {
        guest.close();
    }

    private int[] dirtyChunks() {
        return IntStream.range(0, tracked.chunkCount()).filter(tracked::dirty).toArray();
    }

    @Test
    void marksTheChunksEachWriteTouchesAndARewindRestoresExactlyTheSnapshot() {
        int size = memory.pages() * Abi.PAGE;
        byte[] before = memory.readBytes(0, size);
        assertThat(dirtyChunks()).as("a snapshot leaves nothing to undo").isEmpty();

        memory.writeLong(TrackedMemory.CHUNK - 4, -1L);
        memory.fill((byte) 7, 5 * TrackedMemory.CHUNK + 10, 5 * TrackedMemory.CHUNK + 20);
        memory.writeByte(size - 1, (byte) 1);
        memory.write(9 * TrackedMemory.CHUNK, new byte[] {1, 2, 3});
        assertThat(dirtyChunks()).containsExactly(0, 1, 5, 9, size / TrackedMemory.CHUNK - 1);

        assertThat(snapshot.rewind(guest.instance())).isTrue();
        assertThat(memory.readBytes(0, size)).isEqualTo(before);
        assertThat(dirtyChunks()).isEmpty();
    }

    @Test
    void aWriteOutOfBoundsStillTrapsAsWasmAndMarksNothing() {
        int size = memory.pages() * Abi.PAGE;
        assertThatThrownBy(() -> memory.writeI32(size - 2, 1)).isInstanceOf(ChicoryException.class);
        assertThat(dirtyChunks()).isEmpty();
    }

    @Test
    void aGrownMemoryIsNotRewoundInPlace() {
        assertThat(memory.grow(1)).isPositive();
        assertThat(tracked.dirty(tracked.chunkCount() - 1)).isTrue();
        assertThat(snapshot.rewind(guest.instance())).isFalse();
    }
}
