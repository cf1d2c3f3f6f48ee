package dev.sedge.sandbox.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sedge.api.Event;
import dev.sedge.api.Result;
import dev.sedge.sandbox.ColdStart;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Instance;
import dev.sedge.sandbox.Phase;
import dev.sedge.sandbox.SandboxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WasmSandboxTest {

    @TempDir
    static Path dir;

    static Path guest;

    /** One sandbox for the tests that do not look at the cache: its memory cache compiles guest.wasm once. */
    static final WasmSandbox SANDBOX = new WasmSandbox(null);

    @BeforeAll
    static void copyModules() throws IOException {
        guest = resource("guest.wasm");
    }

    static Path resource(String name) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = WasmSandboxTest.class.getResourceAsStream("/wasm/" + name)) {
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    static FunctionSpec spec(Path artifact, String handler) {
        return spec(artifact, handler, 0, 1);
    }

    static FunctionSpec spec(Path artifact, String handler, long memoryBytes, int concurrency) {
        return new FunctionSpec(
                "f", "wasm", artifact, handler, Duration.ofSeconds(5), memoryBytes, 0, concurrency, Map.of());
    }

    static Event event(String subject, String data) {
        return Event.builder()
                .id("e1")
                .source("/test")
                .type("t")
                .subject(subject)
                .data(data)
                .extensions(Map.of("room", "kitchen"))
                .build();
    }

    static int[] ints(Result r) {
        ByteBuffer b = ByteBuffer.wrap(r.data()).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[r.data().length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getInt();
        }
        return out;
    }

    @Test
    void upperCasesThePayload() throws Exception {
        try (Instance i = SANDBOX.start(spec(guest, null))) {
            Result r = i.invoke(event("a/b", "hello, wasm"), new TestContext());
            assertThat(r.dataAsString()).isEqualTo("HELLO, WASM");
            assertThat(r.contentType()).isEqualTo("text/plain");
        }
    }

    @Test
    void readsTheTopicThroughAttrWithABiggerBufferWhenNeeded() throws Exception {
        try (Instance i = SANDBOX.start(spec(guest, "topic"))) {
            Result r = i.invoke(event("sensors/kitchen/temperature", "x"), new TestContext());
            assertThat(r.dataAsString()).isEqualTo("sensors/kitchen/temperature");
            assertThat(r.contentType()).isEqualTo(Guest.DEFAULT_CONTENT_TYPE);
            Result shortTopic = i.invoke(event("ab", "x"), new TestContext());
            assertThat(shortTopic.dataAsString()).isEqualTo("ab");
        }
    }

    @Test
    void anAbsentAttributeIsMinusOne() throws Exception {
        try (Instance i = SANDBOX.start(spec(guest, "missing"))) {
            assertThat(ints(i.invoke(event("a", "x"), new TestContext()))).containsExactly(-1);
        }
    }

    @Test
    void publishesThroughTheContextAndRefusesAnInvalidTopic() throws Exception {
        try (Instance i = SANDBOX.start(spec(guest, "publish"))) {
            TestContext ctx = new TestContext();
            Result r = i.invoke(event("a", "ping"), ctx);
            assertThat(ints(r)).containsExactly(0, -1);
            assertThat(ctx.published).hasSize(1);
            assertThat(ctx.published.getFirst().topic()).isEqualTo("echo/out");
            assertThat(new String(ctx.published.getFirst().payload(), StandardCharsets.UTF_8))
                    .isEqualTo("ping");
        }
    }

    @Test
    void logsAndStdoutGoToTheFunctionLogLineByLine() throws Exception {
        try (Instance i = SANDBOX.start(spec(guest, "logs"))) {
            TestContext ctx = new TestContext();
            assertThat(i.invoke(event("a", "x"), ctx).isEmpty()).isTrue();
            assertThat(ctx.log)
                    .containsExactly(
                            "INFO hello from the guest", "INFO stdout: to stdout", "INFO stdout: and a partial line");
        }
    }

    @Test
    void stateDoesNotLeakFromOneEventToTheNext() throws Exception {
        try (Instance i = SANDBOX.start(spec(guest, "counter"))) {
            for (int n = 0; n < 5; n++) {
                // sedge_init set the global to 10 and the memory word to 20; each event adds one to both.
                assertThat(ints(i.invoke(event("a", "x"), new TestContext()))).containsExactly(11, 21);
            }
        }
    }

    @Test
    void theBumpAllocatorStartsOverEachEvent() throws Exception {
        try (Instance i = SANDBOX.start(spec(guest, null))) {
            String big = "x".repeat(10_000);
            for (int n = 0; n < 20; n++) {
                // 20 x 10 kB would overflow the single page if the allocator were not rewound.
                assertThat(i.invoke(event("a", big), new TestContext()).data()).hasSize(10_000);
            }
        }
    }

    @Test
    void aNonZeroStatusFailsTheInvocationAndTheNextOneWorks() throws Exception {
        try (Instance i = SANDBOX.start(spec(guest, "fail"))) {
            assertThatThrownBy(() -> i.invoke(event("a", "x"), new TestContext()))
                    .hasMessage("fail returned 7");
            assertThatThrownBy(() -> i.invoke(event("a", "x"), new TestContext()))
                    .hasMessage("fail returned 7");
        }
    }

    @Test
    void trapsFailWithTheirCauseAndTheNextCallGetsAFreshGuest() throws Exception {
        for (String[] c : List.of(
                new String[] {"trap", "wasm trap: unreachable"},
                new String[] {"oob", "wasm trap: out of bounds memory access"},
                new String[] {"recurse", "wasm trap: call stack exhausted"})) {
            try (Instance i = SANDBOX.start(spec(guest, c[0]))) {
                assertThatThrownBy(() -> i.invoke(event("a", "x"), new TestContext()))
                        .as(c[0])
                        .hasMessage(c[1]);
                assertThat(((WasmInstance) i).guests())
                        .as("the trapped guest is dropped")
                        .isZero();
                assertThatThrownBy(() -> i.invoke(event("a", "x"), new TestContext()))
                        .as(c[0] + " again, on a new guest")
                        .hasMessage(c[1]);
            }
        }
        try (Instance i = SANDBOX.start(spec(guest, "counter"))) {
            assertThat(ints(i.invoke(event("a", "x"), new TestContext()))).containsExactly(11, 21);
        }
    }

    @Test
    void anInfiniteLoopStopsWhenTheInstanceIsClosed() throws Exception {
        Instance i = SANDBOX.start(spec(guest, "spin"));
        TestContext ctx = new TestContext();
        CompletableFuture<Result> running = CompletableFuture.supplyAsync(() -> invokeUnchecked(i, ctx));
        assertThat(ctx.logged.await(5, TimeUnit.SECONDS))
                .as("the guest reached its loop")
                .isTrue();
        long t0 = System.nanoTime();
        // What the dispatcher does after a timeout, or when the function is removed.
        i.close();
        assertThatThrownBy(() -> running.get(5, TimeUnit.SECONDS))
                .rootCause()
                .isInstanceOf(com.dylibso.chicory.runtime.ChicoryInterruptedException.class);
        assertThatThrownBy(() -> running.join()).hasMessageContaining("wasm guest interrupted in spin");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void anInfiniteLoopStopsWhenItsThreadIsInterrupted() throws Exception {
        try (Instance i = SANDBOX.start(spec(guest, "spin"))) {
            TestContext ctx = new TestContext();
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    i.invoke(event("a", "x"), ctx);
                    failure.complete(null);
                } catch (Throwable e) {
                    failure.complete(e);
                }
            });
            assertThat(ctx.logged.await(5, TimeUnit.SECONDS))
                    .as("the guest reached its loop")
                    .isTrue();
            t.interrupt();
            assertThat(failure.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(WasmFailure.class)
                    .hasMessageStartingWith("wasm guest interrupted in spin");
        }
    }

    @Test
    void growingPastTheMemoryLimitFails() throws Exception {
        long twoPages = 2 * 65_536;
        try (Instance i = SANDBOX.start(spec(guest, "grow", twoPages, 1))) {
            assertThatThrownBy(() -> i.invoke(event("a", "x"), new TestContext()))
                    .hasMessage("wasm trap: unreachable");
        }
        try (Instance i = SANDBOX.start(spec(guest, "grow_soft", twoPages, 1))) {
            assertThatThrownBy(() -> i.invoke(event("a", "x"), new TestContext()))
                    .hasMessage("grow_soft returned 5");
        }
        try (Instance i = SANDBOX.start(spec(guest, "grow", 32 * 65_536, 1))) {
            assertThat(ints(i.invoke(event("a", "x"), new TestContext()))).containsExactly(1, 17);
            // The grown memory does not outlive the event: the next one starts from one page again.
            assertThat(ints(i.invoke(event("a", "x"), new TestContext()))).containsExactly(1, 17);
        }
    }

    @Test
    void concurrencyTwoRunsTwoGuestsAtOnce() throws Exception {
        try (Instance i = SANDBOX.start(spec(guest, "counter", 0, 2))) {
            // Hold the first guest busy inside a publish while a second event arrives.
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Instance slow = SANDBOX.start(spec(guest, "publish", 0, 2));
            try {
                TestContext holding = new TestContext() {
                    @Override
                    public void publish(String topic, byte[] payload) {
                        inside.countDown();
                        try {
                            release.await(5, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        super.publish(topic, payload);
                    }
                };
                CompletableFuture<Result> first = CompletableFuture.supplyAsync(() -> invokeUnchecked(slow, holding));
                assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
                Result second = slow.invoke(event("a", "y"), new TestContext());
                assertThat(ints(second)).containsExactly(0, -1);
                assertThat(((WasmInstance) slow).guests()).isEqualTo(2);
                release.countDown();
                assertThat(ints(first.get(5, TimeUnit.SECONDS))).containsExactly(0, -1);
            } finally {
                release.countDown();
                slow.close();
            }
            assertThat(ints(i.invoke(event("a", "x"), new TestContext()))).containsExactly(11, 21);
        }
    }

    @Test
    void aSecondGuestStartsFromTheSnapshotNotFromScratch() throws Exception {
        try (Instance i = SANDBOX.start(spec(guest, "counter", 0, 2))) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Result>> results = pool.invokeAll(List.of(
                        () -> i.invoke(event("a", "x"), new TestContext()),
                        () -> i.invoke(event("a", "x"), new TestContext()),
                        () -> i.invoke(event("a", "x"), new TestContext()),
                        () -> i.invoke(event("a", "x"), new TestContext())));
                for (Future<Result> r : results) {
                    assertThat(ints(r.get(5, TimeUnit.SECONDS))).containsExactly(11, 21);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(((WasmInstance) i).guests()).isBetween(1, 2);
        }
    }

    private static Result invokeUnchecked(Instance i, TestContext ctx) {
        try {
            return i.invoke(event("a", "x"), ctx);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void coldStartTimesEveryPhase() throws Exception {
        ColdStart timing = ColdStart.begin();
        try (Instance i = new WasmSandbox(null).start(spec(guest, null), timing)) {
            assertThat(i).isNotNull();
            assertThat(timing.byLabel()).containsKeys("fetch", "compile", "instantiate", "initialise");
            assertThat(timing.nanos(Phase.COMPILE)).isPositive();
        }
    }

    @Test
    void checkRefusesWhatIsNotAModule() throws IOException {
        Path text = dir.resolve("temp.wasm");
        Files.writeString(text, "not wasm at all");
        assertThatThrownBy(() -> SANDBOX.check(spec(text, null)))
                .isInstanceOf(SandboxException.class)
                .hasMessageStartingWith("spec.artifact: not a WebAssembly module: ")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> SANDBOX.check(spec(dir.resolve("nowhere.wasm"), null)))
                .hasMessageStartingWith("spec.artifact: no such file: ");
    }

    @Test
    void checkRefusesAMissingOrMistypedExport() throws IOException {
        assertThatThrownBy(() -> SANDBOX.check(spec(guest, "nope")))
                .isInstanceOf(SandboxException.class)
                .hasMessageStartingWith("spec.handler: export \"nope\" not found in guest.wasm (exports: memory, ");
        assertThatThrownBy(() -> SANDBOX.check(spec(guest, "wrong")))
                .hasMessage(
                        "spec.handler: export \"wrong\" of guest.wasm is (i32) -> (i32), expected (i32, i32) -> (i32)");
        assertThatThrownBy(() -> SANDBOX.check(spec(resource("no_alloc.wasm"), null)))
                .hasMessage(
                        "spec.artifact: export \"sedge_alloc\" not found in no_alloc.wasm (exports: memory, handle)");
    }

    @Test
    void checkRefusesForeignImportsAndTooMuchMemory() throws IOException {
        assertThatThrownBy(() -> SANDBOX.check(spec(resource("bad_import.wasm"), null)))
                .hasMessageStartingWith("spec.artifact: bad_import.wasm imports env.abort, which Sedge does not offer");
        Path big = resource("big_memory.wasm");
        assertThatThrownBy(() -> SANDBOX.check(spec(big, null, 1 << 20, 1)))
                .hasMessageStartingWith("spec.artifact: big_memory.wasm needs 4194304 bytes of memory at start");
        assertThatThrownBy(() -> SANDBOX.start(spec(big, null, 1 << 20, 1))).isInstanceOf(SandboxException.class);
    }

    @Test
    void checkAcceptsTheGuestAndWarmsTheCache() throws Exception {
        WasmSandbox sandbox = new WasmSandbox(null);
        sandbox.check(spec(guest, null));
        assertThat(sandbox.compilations()).isEqualTo(1);
        try (Instance i = sandbox.start(spec(guest, "counter"))) {
            assertThat(ints(i.invoke(event("a", "x"), new TestContext()))).containsExactly(11, 21);
        }
        assertThat(sandbox.compilations())
                .as("start found the module compiled by check")
                .isEqualTo(1);
    }

    @Test
    void aRestartedNodeLoadsTheCompiledModuleFromDisk(@TempDir Path cache) throws Exception {
        WasmSandbox before = new WasmSandbox(cache);
        try (Instance i = before.start(spec(guest, null))) {
            assertThat(i.invoke(event("a", "abc"), new TestContext()).dataAsString())
                    .isEqualTo("ABC");
        }
        assertThat(before.compilations()).isEqualTo(1);
        try (var files = Files.list(before.disk().dir())) {
            assertThat(files.filter(f -> f.toString().endsWith(".classes"))).hasSize(1);
        }

        WasmSandbox after = new WasmSandbox(cache);
        ColdStart timing = ColdStart.begin();
        try (Instance i = after.start(spec(guest, null), timing)) {
            assertThat(i.invoke(event("a", "def"), new TestContext()).dataAsString())
                    .isEqualTo("DEF");
        }
        assertThat(after.compilations())
                .as("the restarted sandbox compiled nothing")
                .isZero();
        assertThat(after.diskHits()).isEqualTo(1);
    }

    @Test
    void aDamagedCacheFileIsCompiledAgain(@TempDir Path cache) throws Exception {
        new WasmSandbox(cache).check(spec(guest, null));
        try (var files = Files.list(new WasmSandbox(cache).disk().dir())) {
            for (Path f : files.toList()) {
                Files.write(f, new byte[] {1, 2, 3});
            }
        }
        WasmSandbox after = new WasmSandbox(cache);
        try (Instance i = after.start(spec(guest, null))) {
            assertThat(i.invoke(event("a", "abc"), new TestContext()).dataAsString())
                    .isEqualTo("ABC");
        }
        assertThat(after.compilations()).isEqualTo(1);
    }

    @Test
    void whatAGuestLogsBeforeAnyEventGoesToTheFunctionLoggerTheDispatcherUses() throws Exception {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("function.f");
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                lines.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.addHandler(handler);
        try {
            SANDBOX.start(spec(resource("wasi_state.wasm"), null)).close();
            assertThat(lines).contains("initialised");
        } finally {
            jul.removeHandler(handler);
        }
    }

    @Test
    void anOutOfMemoryErrorInAGuestFailsTheEventAndDropsTheGuest() throws Exception {
        try (Instance i = SANDBOX.start(spec(guest, "publish"))) {
            TestContext starved = new TestContext() {
                @Override
                public void publish(String topic, byte[] payload) {
                    throw new OutOfMemoryError("test: no heap left");
                }
            };
            assertThatThrownBy(() -> i.invoke(event("a", "x"), starved))
                    .isInstanceOf(WasmFailure.class)
                    .hasMessage("wasm guest out of memory");
            assertThat(((WasmInstance) i).guests()).isZero();
            assertThat(ints(i.invoke(event("a", "x"), new TestContext()))).containsExactly(0, -1);
        }
    }

    @Test
    void withoutAMemoryLimitAGuestMayGrowTo64MiBAndNoFurther() throws Exception {
        try (Instance i = SANDBOX.start(spec(resource("wasi_state.wasm"), "grow_big"))) {
            assertThatThrownBy(() -> i.invoke(event("a", "x"), new TestContext()))
                    .hasMessage("grow_big returned 5");
        }
        try (Instance i = SANDBOX.start(spec(resource("wasi_state.wasm"), "grow_big", 128L << 20, 1))) {
            assertThat(i.invoke(event("a", "x"), new TestContext()).data()).isEmpty();
        }
        assertThat(Abi.limitPages(spec(guest, null))).isEqualTo(1024);
    }

    @Test
    void aCompilerThatThrowsAnErrorDoesNotBlockTheNextCompileOfTheSameModule() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        WasmSandbox sandbox = new WasmSandbox(null, module -> {
            if (calls.incrementAndGet() == 1) {
                throw new StackOverflowError("test: the compiler recursed too deep");
            }
            return com.dylibso.chicory.compiler.MachineFactoryCompiler.builder(module)
                    .compile();
        });
        assertThatThrownBy(() -> sandbox.check(spec(guest, null)))
                .isInstanceOf(SandboxException.class)
                .hasMessageStartingWith("spec.artifact: cannot compile the module: ")
                .hasMessageNotContaining("guest.wasm");
        CompletableFuture<Instance> started = CompletableFuture.supplyAsync(() -> {
            try {
                return sandbox.start(spec(guest, null));
            } catch (SandboxException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        try (Instance i = started.get(30, TimeUnit.SECONDS)) {
            assertThat(i.invoke(event("a", "abc"), new TestContext()).dataAsString())
                    .isEqualTo("ABC");
        }
        assertThat(calls).hasValue(2);
    }

    @Test
    void aCacheFolderThatBrokeAfterStartStillCompilesAndRuns(@TempDir Path cache) throws Exception {
        WasmSandbox sandbox = new WasmSandbox(cache);
        Path version = sandbox.disk().dir();
        Files.delete(version);
        Files.writeString(version, "not a folder");
        sandbox.check(spec(guest, null));
        try (Instance i = sandbox.start(spec(guest, null))) {
            assertThat(i.invoke(event("a", "abc"), new TestContext()).dataAsString())
                    .isEqualTo("ABC");
        }
        assertThat(sandbox.compilations()).isEqualTo(1);
    }

    @Test
    void aStaleTemporaryCacheFileIsRemovedAtStart(@TempDir Path cache) throws Exception {
        Path version = new WasmSandbox(cache).disk().dir();
        Path stale = version.resolve(DiskCache.TMP_PREFIX + "1" + DiskCache.TMP_SUFFIX);
        Path young = version.resolve(DiskCache.TMP_PREFIX + "2" + DiskCache.TMP_SUFFIX);
        Files.write(stale, new byte[] {1});
        Files.write(young, new byte[] {1});
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(java.time.Instant.EPOCH));
        new WasmSandbox(cache);
        assertThat(stale).doesNotExist();
        assertThat(young).exists();
    }

    @Test
    void closingOrRenumberingStdioInOneEventDoesNotTakeStdoutFromTheNext() throws Exception {
        for (String first : List.of("c", "r")) {
            // Concurrency 1 and clean events: the same guest handles both events.
            try (Instance i = SANDBOX.start(spec(resource("wasi_state.wasm"), null))) {
                i.invoke(event("a", first), new TestContext());
                TestContext ctx = new TestContext();
                assertThat(ints(i.invoke(event("a", "w"), ctx))).as(first).containsExactly(0);
                assertThat(ctx.log).as(first).contains("INFO stdout: line");
                assertThat(((WasmInstance) i).created()).isEqualTo(1);
            }
        }
    }
}
