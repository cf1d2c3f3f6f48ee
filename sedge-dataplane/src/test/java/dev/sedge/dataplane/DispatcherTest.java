package dev.sedge.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sedge.api.Event;
import dev.sedge.api.Result;
import dev.sedge.dataplane.Outcome.Failure;
import dev.sedge.dataplane.Outcome.Kind;
import dev.sedge.dataplane.Outcome.Success;
import dev.sedge.sandbox.ColdStart;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Instance;
import dev.sedge.sandbox.Phase;
import dev.sedge.sandbox.Sandbox;
import dev.sedge.sandbox.SandboxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DispatcherTest {

    /** A sandbox whose instances run the given body; counts the instances it starts. */
    static class ScriptedSandbox implements Sandbox {
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final Body body;

        interface Body {
            Result run(Event e, dev.sedge.api.Context c) throws Exception;
        }

        ScriptedSandbox(Body body) {
            this.body = body;
        }

        @Override
        public String runtime() {
            return "scripted";
        }

        @Override
        public void check(FunctionSpec spec) {}

        @Override
        public Instance start(FunctionSpec spec, ColdStart timing) throws SandboxException {
            starts.incrementAndGet();
            timing.mark(Phase.INSTANTIATE);
            return new Instance() {
                @Override
                public Result invoke(Event event, dev.sedge.api.Context context) throws Exception {
                    return body.run(event, context);
                }

                @Override
                public void close() {
                    closes.incrementAndGet();
                }
            };
        }
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<Outcome> observed = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private Dispatcher dispatcher(Sandbox sandbox, int concurrency, Duration timeout, int retries, int maxQueued) {
        FunctionSpec spec = new FunctionSpec("f", "scripted", Path.of("x"), null, timeout, 0, 0, concurrency, Map.of());
        return new Dispatcher(
                new DispatcherConfig("f", concurrency, timeout, retries, maxQueued),
                sandbox,
                spec,
                new Dispatcher.Environment(
                        (fn, o) -> observed.add(o), (t, p) -> {}, timer, Clock.systemUTC(), System::nanoTime));
    }

    private static Event event(String data) {
        return Event.builder().id(data).source("test").type("t").data(data).build();
    }

    @Test
    void firstEventStartsTheInstanceAndLaterOnesReuseIt() throws Exception {
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> Result.text(e.dataAsString() + "!"));
        try (Dispatcher d = dispatcher(sandbox, 1, Duration.ofSeconds(5), 0, 10)) {
            Outcome first = d.dispatch(event("a")).get(10, TimeUnit.SECONDS);
            Outcome second = d.dispatch(event("b")).get(10, TimeUnit.SECONDS);
            assertThat(first).isInstanceOf(Success.class);
            assertThat(((Success) first).result().dataAsString()).isEqualTo("a!");
            assertThat(first.info().coldStart()).isTrue();
            assertThat(second.info().coldStart()).isFalse();
            assertThat(sandbox.starts).hasValue(1);
            assertThat(observed).hasSize(2);
        }
    }

    @Test
    void aColdStartReportsItsPhasesToTheFunctionAndInTheOutcome() throws Exception {
        List<Map<String, Duration>> seen = new CopyOnWriteArrayList<>();
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            seen.add(c.coldStartPhases());
            return Result.empty();
        });
        try (Dispatcher d = dispatcher(sandbox, 1, Duration.ofSeconds(5), 0, 10)) {
            Outcome first = d.dispatch(event("a")).get(10, TimeUnit.SECONDS);
            Outcome second = d.dispatch(event("b")).get(10, TimeUnit.SECONDS);
            assertThat(seen.get(0)).containsOnlyKeys("instantiate");
            assertThat(seen.get(1)).isEmpty();
            assertThat(first.info().coldStartPhases()).containsOnlyKeys("instantiate", "first-call");
            assertThat(first.info().coldStartPhases().get("first-call")).isPositive();
            assertThat(second.info().coldStartPhases()).isEmpty();
        }
    }

    @Test
    void aFailedAttemptRetiresItsInstanceAndTheNextEventStartsANewOne() throws Exception {
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            if (e.dataAsString().equals("bad")) {
                throw new IllegalStateException("bad input");
            }
            return Result.text("ok");
        });
        try (Dispatcher d = dispatcher(sandbox, 1, Duration.ofSeconds(5), 0, 10)) {
            assertThat(d.dispatch(event("good")).get(10, TimeUnit.SECONDS)).isInstanceOf(Success.class);
            Outcome bad = d.dispatch(event("bad")).get(10, TimeUnit.SECONDS);
            assertThat(bad).isInstanceOf(Failure.class);
            assertThat(sandbox.closes).hasValue(1);
            assertThat(d.warm()).isFalse();
            Outcome next = d.dispatch(event("good")).get(10, TimeUnit.SECONDS);
            assertThat(next).isInstanceOf(Success.class);
            assertThat(next.info().coldStart()).isTrue();
            assertThat(sandbox.starts).hasValue(2);
        }
        assertThat(sandbox.closes).hasValue(2);
    }

    @Test
    void aRetiredInstanceIsClosedOnlyAfterItsOtherEventsFinish() throws Exception {
        CountDownLatch slowEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            switch (e.dataAsString()) {
                case "slow" -> {
                    slowEntered.countDown();
                    release.await();
                }
                case "bad" -> throw new IllegalStateException("bad input");
                default -> {}
            }
            return Result.text("ok");
        });
        try (Dispatcher d = dispatcher(sandbox, 2, Duration.ofSeconds(20), 0, 10)) {
            CompletableFuture<Outcome> slow = d.dispatch(event("slow"));
            assertThat(slowEntered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(d.dispatch(event("bad")).get(10, TimeUnit.SECONDS)).isInstanceOf(Failure.class);
            assertThat(sandbox.closes).hasValue(0);
            release.countDown();
            assertThat(slow.get(10, TimeUnit.SECONDS)).isInstanceOf(Success.class);
            assertThat(sandbox.closes).hasValue(1);
        }
    }

    @Test
    void aTimeoutIsReportedAsATimeoutEvenWhenTheFunctionWakesUpFromTheInterrupt() throws Exception {
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            new CountDownLatch(1).await(); // wakes up only when interrupted, and then throws
            return Result.empty();
        });
        try (Dispatcher d = dispatcher(sandbox, 1, Duration.ofMillis(50), 0, 10)) {
            for (int i = 0; i < 30; i++) {
                Outcome o = d.dispatch(event("e" + i)).get(10, TimeUnit.SECONDS);
                assertThat(o)
                        .isInstanceOfSatisfying(
                                Failure.class, f -> assertThat(f.kind()).isEqualTo(Kind.TIMEOUT));
            }
        }
    }

    @Test
    void aTimedOutFirstCallStillReportsItsColdStart() throws Exception {
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            new CountDownLatch(1).await();
            return Result.empty();
        });
        try (Dispatcher d = dispatcher(sandbox, 1, Duration.ofMillis(100), 0, 10)) {
            Outcome o = d.dispatch(event("a")).get(10, TimeUnit.SECONDS);
            assertThat(o.info().coldStart()).isTrue();
            assertThat(o.info().coldStartPhases()).containsOnlyKeys("instantiate", "first-call");
            assertThat(o.info().coldStartPhases().get("first-call")).isPositive();
        }
    }

    @Test
    void anErrorThrownByTheFunctionFailsTheEventAndReplacesTheInstance() throws Exception {
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            if (e.dataAsString().equals("boom")) {
                throw new OutOfMemoryError("guest asked for too much");
            }
            return Result.text("ok");
        });
        try (Dispatcher d = dispatcher(sandbox, 1, Duration.ofSeconds(5), 0, 10)) {
            Outcome o = d.dispatch(event("boom")).get(10, TimeUnit.SECONDS);
            assertThat(o).isInstanceOfSatisfying(Failure.class, f -> {
                assertThat(f.kind()).isEqualTo(Kind.ERROR);
                assertThat(f.message()).contains("OutOfMemoryError");
            });
            assertThat(d.running()).isZero();
            assertThat(d.dispatch(event("fine")).get(10, TimeUnit.SECONDS)).isInstanceOf(Success.class);
            assertThat(sandbox.starts).hasValue(2);
        }
    }

    @Test
    void anInstanceStartedWhileTheDispatcherClosesIsClosedToo() throws Exception {
        CountDownLatch starting = new CountDownLatch(1);
        CountDownLatch finishStart = new CountDownLatch(1);
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> Result.empty()) {
            @Override
            public Instance start(FunctionSpec spec, ColdStart timing) throws SandboxException {
                starting.countDown();
                try {
                    finishStart.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return super.start(spec, timing);
            }
        };
        Dispatcher d = dispatcher(sandbox, 1, Duration.ofSeconds(20), 3, 10);
        CompletableFuture<Outcome> o = d.dispatch(event("a"));
        assertThat(starting.await(10, TimeUnit.SECONDS)).isTrue();
        d.close();
        finishStart.countDown();
        assertThat(o.get(10, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Kind.START_FAILED));
        assertThat(o.get().info().attempts()).as("no retry once closed").isEqualTo(1);
        assertThat(sandbox.starts).hasValue(1);
        assertThat(sandbox.closes).hasValue(1);
        assertThat(d.warm()).isFalse();
    }

    @Test
    void holdsEventsBeyondTheConcurrencyLimit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch bothInside = new CountDownLatch(2);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            bothInside.countDown();
            release.await();
            inside.decrementAndGet();
            return Result.empty();
        });
        try (Dispatcher d = dispatcher(sandbox, 2, Duration.ofSeconds(20), 0, 10)) {
            List<CompletableFuture<Outcome>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                all.add(d.dispatch(event("e" + i)));
            }
            assertThat(d.running()).isEqualTo(2);
            assertThat(d.queued()).isEqualTo(4);
            assertThat(bothInside.await(10, TimeUnit.SECONDS))
                    .as("two events run at once")
                    .isTrue();
            release.countDown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(maxInside).hasValue(2);
            assertThat(all).allSatisfy(f -> assertThat(f.join()).isInstanceOf(Success.class));
            assertThat(d.running()).isZero();
        }
    }

    @Test
    void refusesWhenTheQueueIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            release.await();
            return Result.empty();
        });
        try (Dispatcher d = dispatcher(sandbox, 1, Duration.ofSeconds(20), 0, 1)) {
            CompletableFuture<Outcome> running = d.dispatch(event("1"));
            CompletableFuture<Outcome> queued = d.dispatch(event("2"));
            Outcome refused = d.dispatch(event("3")).get(5, TimeUnit.SECONDS);
            assertThat(refused)
                    .isInstanceOfSatisfying(
                            Failure.class, f -> assertThat(f.kind()).isEqualTo(Kind.REJECTED));
            release.countDown();
            assertThat(running.get(5, TimeUnit.SECONDS)).isInstanceOf(Success.class);
            assertThat(queued.get(5, TimeUnit.SECONDS)).isInstanceOf(Success.class);
        }
    }

    @Test
    void retriesAFailedAttempt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("flaky");
            }
            return Result.text("ok");
        });
        try (Dispatcher d = dispatcher(sandbox, 1, Duration.ofSeconds(5), 2, 10)) {
            Outcome o = d.dispatch(event("x")).get(10, TimeUnit.SECONDS);
            assertThat(o).isInstanceOf(Success.class);
            assertThat(o.info().attempts()).isEqualTo(3);
        }
    }

    @Test
    void reportsAnErrorWhenRetriesRunOut() throws Exception {
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            throw new IllegalStateException("always");
        });
        try (Dispatcher d = dispatcher(sandbox, 1, Duration.ofSeconds(5), 1, 10)) {
            Outcome o = d.dispatch(event("x")).get(10, TimeUnit.SECONDS);
            assertThat(o).isInstanceOfSatisfying(Failure.class, f -> {
                assertThat(f.kind()).isEqualTo(Kind.ERROR);
                assertThat(f.message()).contains("always");
            });
            assertThat(o.info().attempts()).isEqualTo(2);
        }
    }

    @Test
    void abandonsAnAttemptPastItsTimeoutAndFreesTheSlot() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            if (e.dataAsString().equals("hang")) {
                while (never.getCount() > 0) {
                    // Spin, ignoring interrupts, like a runaway function.
                    Thread.onSpinWait();
                }
            }
            return Result.text("done");
        });
        try (Dispatcher d = dispatcher(sandbox, 1, Duration.ofMillis(200), 0, 10)) {
            Outcome hung = d.dispatch(event("hang")).get(10, TimeUnit.SECONDS);
            assertThat(hung)
                    .isInstanceOfSatisfying(
                            Failure.class, f -> assertThat(f.kind()).isEqualTo(Kind.TIMEOUT));
            // The stuck instance is closed while the guest still spins (how a runtime stops it), off the
            // timer's thread.
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(sandbox.closes).hasValue(1));
            Outcome next = d.dispatch(event("ok")).get(10, TimeUnit.SECONDS);
            assertThat(next).isInstanceOf(Success.class);
        } finally {
            never.countDown();
        }
    }

    @Test
    void aFailingStartIsAnOutcomeAndIsTriedAgainLater() throws Exception {
        AtomicInteger starts = new AtomicInteger();
        Sandbox flaky = new ScriptedSandbox((e, c) -> Result.text("up")) {
            @Override
            public Instance start(FunctionSpec spec, ColdStart timing) throws SandboxException {
                if (starts.incrementAndGet() == 1) {
                    throw new SandboxException("no luck");
                }
                return super.start(spec, timing);
            }
        };
        try (Dispatcher d = dispatcher(flaky, 1, Duration.ofSeconds(5), 0, 10)) {
            Outcome first = d.dispatch(event("a")).get(10, TimeUnit.SECONDS);
            assertThat(first)
                    .isInstanceOfSatisfying(
                            Failure.class, f -> assertThat(f.kind()).isEqualTo(Kind.START_FAILED));
            assertThat(d.dispatch(event("b")).get(10, TimeUnit.SECONDS)).isInstanceOf(Success.class);
        }
    }
}
