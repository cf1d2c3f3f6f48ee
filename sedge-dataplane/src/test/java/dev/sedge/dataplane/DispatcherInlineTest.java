package dev.sedge.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.api.Result;
import dev.sedge.dataplane.time.ManualTimers;
import dev.sedge.scaling.ScaleSettings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DispatcherInlineTest {

    private static final DispatchOptions HERE = new DispatchOptions(null, 0, -1, true);

    private static DispatcherConfig config() {
        return DispatcherConfig.of("f", 1, Duration.ofMinutes(1)).withScale(ScaleSettings.DEFAULTS.withBounds(1, 1, 1));
    }

    /** Runs one event from this thread and says on which thread the function ran. */
    private static Thread runOne(Harness h, AtomicReference<Thread> ranOn, DispatchOptions options) throws Exception {
        CompletableFuture<Outcome> f = h.dispatcher.dispatch(Harness.event("x"), options);
        assertThat(f.get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Success.class);
        return ranOn.get();
    }

    @Test
    void aShortInProcessFunctionRunsOnTheDispatchingThreadOnceItHasShownItselfShort() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            ranOn.set(Thread.currentThread());
            return Result.empty();
        });
        try (Harness h = new Harness(sandbox, config(), new ManualTimers(0), null, "jvm", () -> 0)) {
            h.settle();
            for (int i = 0; i < InlineGate.SHORT_RUNS; i++) {
                assertThat(runOne(h, ranOn, HERE))
                        .as("run %d: still learning", i)
                        .isNotSameAs(Thread.currentThread());
            }
            assertThat(runOne(h, ranOn, HERE)).isSameAs(Thread.currentThread());
            // Only when the caller allows it.
            assertThat(runOne(h, ranOn, DispatchOptions.NONE)).isNotSameAs(Thread.currentThread());
        }
    }

    @Test
    void aProcessFunctionNeverRunsOnTheDispatchingThread() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            ranOn.set(Thread.currentThread());
            return Result.empty();
        });
        try (Harness h = new Harness(sandbox, config(), new ManualTimers(0), null, "process", () -> 0)) {
            h.settle();
            for (int i = 0; i < 2 * InlineGate.SHORT_RUNS; i++) {
                assertThat(runOne(h, ranOn, HERE)).isNotSameAs(Thread.currentThread());
            }
        }
    }

    @Test
    void aRunLongerThanTheBoundSendsTheFunctionBackToThreadsOfItsOwnUntilItIsShortAgain() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicLong clock = new AtomicLong();
        AtomicLong runTakes = new AtomicLong();
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            ranOn.set(Thread.currentThread());
            clock.addAndGet(runTakes.get()); // the stopwatch reads this: the run "takes" that long
            return Result.empty();
        });
        try (Harness h = new Harness(sandbox, config(), new ManualTimers(0), null, "wasm", clock::get)) {
            h.settle();
            for (int i = 0; i < InlineGate.SHORT_RUNS; i++) {
                runOne(h, ranOn, HERE);
            }
            runTakes.set(InlineGate.SHORT_NANOS + 1);
            // The first long run happens here: the gate cannot know before. It is the only one.
            assertThat(runOne(h, ranOn, HERE)).isSameAs(Thread.currentThread());
            for (int i = 0; i < 5; i++) {
                assertThat(runOne(h, ranOn, HERE)).as("long run %d", i).isNotSameAs(Thread.currentThread());
            }
            runTakes.set(InlineGate.SHORT_NANOS);
            for (int i = 0; i < InlineGate.SHORT_RUNS; i++) {
                assertThat(runOne(h, ranOn, HERE)).isNotSameAs(Thread.currentThread());
            }
            assertThat(runOne(h, ranOn, HERE)).as("short again").isSameAs(Thread.currentThread());
        }
    }

    @Test
    void anEventRunningHereThatDispatchesAnotherDoesNotRunThatOneHereToo() throws Exception {
        AtomicReference<Thread> innerRanOn = new AtomicReference<>();
        ScriptedSandbox inner = new ScriptedSandbox((e, c) -> {
            innerRanOn.set(Thread.currentThread());
            return Result.empty();
        });
        try (Harness in = new Harness(inner, config(), new ManualTimers(0), null, "jvm", () -> 0)) {
            in.settle();
            for (int i = 0; i < InlineGate.SHORT_RUNS; i++) {
                runOne(in, innerRanOn, HERE);
            }
            AtomicReference<Thread> outerRanOn = new AtomicReference<>();
            AtomicReference<CompletableFuture<Outcome>> nested = new AtomicReference<>();
            ScriptedSandbox outer = new ScriptedSandbox((e, c) -> {
                outerRanOn.set(Thread.currentThread());
                nested.set(in.dispatcher.dispatch(Harness.event("chained"), HERE)); // as a reply to a trigger would
                return Result.empty();
            });
            try (Harness out = new Harness(outer, config(), new ManualTimers(0), null, "jvm", () -> 0)) {
                out.settle();
                for (int i = 0; i <= InlineGate.SHORT_RUNS; i++) {
                    runOne(out, outerRanOn, HERE);
                    nested.get().get(10, TimeUnit.SECONDS);
                }
                assertThat(outerRanOn.get()).isSameAs(Thread.currentThread());
                assertThat(innerRanOn.get()).isNotSameAs(Thread.currentThread());
            }
        }
    }
}
