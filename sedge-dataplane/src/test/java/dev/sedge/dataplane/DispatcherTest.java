package dev.sedge.dataplane;

import static dev.sedge.dataplane.Harness.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sedge.api.Result;
import dev.sedge.dataplane.Outcome.Failure;
import dev.sedge.dataplane.Outcome.Kind;
import dev.sedge.dataplane.Outcome.Success;
import dev.sedge.sandbox.ColdStart;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Instance;
import dev.sedge.sandbox.SandboxException;
import dev.sedge.scaling.ScaleSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dispatcher's attempts, deadlines, retries and instance replacement, on a fake clock. */
@Timeout(60)
class DispatcherTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private static DispatcherConfig config(int concurrency, Duration timeout, int retries, int max, int initial) {
        return DispatcherConfig.of("f", concurrency, timeout)
                .withRetry(RetryPolicy.NONE.withMaxRetries(retries))
                .withScale(ScaleSettings.DEFAULTS.withBounds(0, max, initial));
    }

    private static Outcome get(CompletableFuture<Outcome> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void theFirstEventStartsAnInstanceAndLaterOnesReuseIt() throws Exception {
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> Result.text(e.dataAsString() + "!"));
        try (Harness h = new Harness(sandbox, config(1, LONG, 0, 1, 0))) {
            assertThat(sandbox.starts).hasValue(0);
            Outcome first = get(h.dispatcher.dispatch(event("a")));
            Outcome second = get(h.dispatcher.dispatch(event("b")));
            assertThat(((Success) first).result().dataAsString()).isEqualTo("a!");
            assertThat(first.info().coldStart()).isTrue();
            assertThat(second.info().coldStart()).isFalse();
            assertThat(sandbox.starts).hasValue(1);
            assertThat(h.outcomes).hasSize(2);
        }
    }

    @Test
    void theInitialScaleIsStartedBeforeAnyEventAndItsFirstEventIsWarm() throws Exception {
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> Result.text("ok"));
        try (Harness h = new Harness(sandbox, config(1, LONG, 0, 5, 2))) {
            await().atMost(Harness.SETTLE).until(() -> h.status().ready() == 2);
            assertThat(h.status().desired()).isEqualTo(2);
            Outcome o = get(h.dispatcher.dispatch(event("a")));
            assertThat(o.info().coldStart()).isFalse();
            assertThat(sandbox.starts).hasValue(2);
        }
        assertThat(sandbox.closes).hasValue(2);
    }

    @Test
    void aColdStartReportsItsPhasesToTheFunctionAndInTheOutcome() throws Exception {
        List<Map<String, Duration>> seen = new CopyOnWriteArrayList<>();
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            seen.add(c.coldStartPhases());
            return Result.empty();
        });
        try (Harness h = new Harness(sandbox, config(1, LONG, 0, 1, 0))) {
            Outcome first = get(h.dispatcher.dispatch(event("a")));
            Outcome second = get(h.dispatcher.dispatch(event("b")));
            assertThat(seen.get(0)).containsOnlyKeys("instantiate");
            assertThat(seen.get(1)).isEmpty();
            assertThat(first.info().coldStartPhases()).containsOnlyKeys("instantiate", "first-call");
            assertThat(first.info().coldStartPhases().get("first-call")).isPositive();
            assertThat(second.info().coldStartPhases()).isEmpty();
        }
    }

    @Test
    void aFailedAttemptRetiresItsInstanceAndAReplacementStarts() throws Exception {
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            if (e.dataAsString().equals("bad")) {
                throw new IllegalStateException("bad input");
            }
            return Result.text("ok");
        });
        try (Harness h = new Harness(sandbox, config(1, LONG, 0, 1, 0))) {
            assertThat(get(h.dispatcher.dispatch(event("good")))).isInstanceOf(Success.class);
            assertThat(get(h.dispatcher.dispatch(event("bad")))).isInstanceOf(Failure.class);
            await().atMost(Harness.SETTLE).untilAsserted(() -> {
                assertThat(sandbox.closes).hasValue(1);
                assertThat(sandbox.starts).hasValue(2);
            });
            assertThat(get(h.dispatcher.dispatch(event("good")))).isInstanceOf(Success.class);
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
        try (Harness h = new Harness(sandbox, config(2, LONG, 0, 1, 0))) {
            CompletableFuture<Outcome> slow = h.dispatcher.dispatch(event("slow"));
            assertThat(slowEntered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(get(h.dispatcher.dispatch(event("bad")))).isInstanceOf(Failure.class);
            assertThat(sandbox.closes).hasValue(0);
            assertThat(h.status().draining()).isEqualTo(1);
            release.countDown();
            assertThat(get(slow)).isInstanceOf(Success.class);
            await().atMost(Harness.SETTLE)
                    .untilAsserted(() -> assertThat(sandbox.closes).hasValue(1));
        }
    }

    @Test
    void aTimeoutIsReportedAsATimeoutEvenWhenTheFunctionWakesUpFromTheInterrupt() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            inside.incrementAndGet();
            new CountDownLatch(1).await(); // wakes up only when interrupted, and then throws
            return Result.empty();
        });
        try (Harness h = new Harness(sandbox, config(1, Duration.ofSeconds(5), 0, 1, 0))) {
            for (int i = 0; i < 10; i++) {
                int before = inside.get();
                CompletableFuture<Outcome> o = h.dispatcher.dispatch(event("e" + i));
                await().atMost(Harness.SETTLE).until(() -> inside.get() > before);
                h.advance(Duration.ofSeconds(5));
                assertThat(get(o))
                        .isInstanceOfSatisfying(
                                Failure.class, f -> assertThat(f.kind()).isEqualTo(Kind.TIMEOUT));
            }
        }
    }

    @Test
    void aTimedOutFirstCallStillReportsItsColdStart() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            inside.countDown();
            new CountDownLatch(1).await();
            return Result.empty();
        });
        try (Harness h = new Harness(sandbox, config(1, Duration.ofSeconds(1), 0, 1, 0))) {
            CompletableFuture<Outcome> f = h.dispatcher.dispatch(event("a"));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            h.advance(Duration.ofSeconds(1));
            Outcome o = get(f);
            assertThat(o.info().coldStart()).isTrue();
            assertThat(o.info().coldStartPhases()).containsOnlyKeys("instantiate", "first-call");
        }
    }

    @Test
    void anAttemptPastItsDeadlineIsAbandonedItsSpinningInstanceClosedAndTheSlotFreed() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch spinning = new CountDownLatch(1);
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            if (e.dataAsString().equals("hang")) {
                spinning.countDown();
                while (never.getCount() > 0) {
                    Thread.onSpinWait(); // ignores interrupts, like a runaway function
                }
            }
            return Result.text("done");
        });
        try (Harness h = new Harness(sandbox, config(1, Duration.ofSeconds(2), 0, 1, 0))) {
            CompletableFuture<Outcome> hung = h.dispatcher.dispatch(event("hang"));
            assertThat(spinning.await(10, TimeUnit.SECONDS)).isTrue();
            h.advance(Duration.ofSeconds(2));
            assertThat(get(hung))
                    .isInstanceOfSatisfying(
                            Failure.class, f -> assertThat(f.kind()).isEqualTo(Kind.TIMEOUT));
            // Closed while the guest still spins (how a runtime stops it), off the timer's thread.
            await().atMost(Harness.SETTLE)
                    .untilAsserted(() -> assertThat(sandbox.closes).hasValue(1));
            assertThat(get(h.dispatcher.dispatch(event("ok")))).isInstanceOf(Success.class);
        } finally {
            never.countDown();
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
        try (Harness h = new Harness(sandbox, config(1, LONG, 0, 1, 0))) {
            assertThat(get(h.dispatcher.dispatch(event("boom")))).isInstanceOfSatisfying(Failure.class, f -> {
                assertThat(f.kind()).isEqualTo(Kind.ERROR);
                assertThat(f.message()).contains("OutOfMemoryError");
            });
            assertThat(h.status().running()).isZero();
            assertThat(get(h.dispatcher.dispatch(event("fine")))).isInstanceOf(Success.class);
            assertThat(sandbox.starts).hasValue(2);
        }
    }

    @Test
    void anInstanceStartedWhileTheDispatcherClosesIsClosedToo() throws Exception {
        CountDownLatch starting = new CountDownLatch(1);
        CountDownLatch finishStart = new CountDownLatch(1);
        ScriptedSandbox sandbox = ScriptedSandbox.withHeldStarts((e, c) -> Result.empty(), starting, finishStart);
        Harness h = new Harness(sandbox, config(1, LONG, 3, 1, 0));
        CompletableFuture<Outcome> o = h.dispatcher.dispatch(event("a"));
        assertThat(starting.await(10, TimeUnit.SECONDS)).isTrue();
        h.close();
        finishStart.countDown();
        assertThat(get(o))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Kind.REJECTED));
        assertThat(o.get().info().attempts()).as("never ran").isZero();
        await().atMost(Harness.SETTLE)
                .untilAsserted(() -> assertThat(sandbox.closes).hasValue(1));
        assertThat(sandbox.starts).hasValue(1);
        assertThat(h.status().ready()).isZero();
    }

    @Test
    void holdsEventsBeyondTheConcurrencyLimitOfItsOnlyInstance() throws Exception {
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
        try (Harness h = new Harness(sandbox, config(2, LONG, 0, 1, 1))) {
            h.settle();
            List<CompletableFuture<Outcome>> all = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                all.add(h.dispatcher.dispatch(event("e" + i)));
            }
            assertThat(h.status().running()).isEqualTo(2);
            assertThat(h.status().queued()).isEqualTo(4);
            assertThat(bothInside.await(10, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(maxInside).hasValue(2);
            assertThat(all).allSatisfy(f -> assertThat(f.join()).isInstanceOf(Success.class));
            assertThat(h.status().running()).isZero();
        }
    }

    @Test
    void aFullQueueRefusesOnlyWhereTheFunctionAsksForDeadLetters() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            release.await();
            return Result.empty();
        });
        DispatcherConfig c = config(1, LONG, 0, 1, 1).withQueue(1, Overflow.DEAD_LETTER);
        try (Harness h = new Harness(sandbox, c)) {
            h.settle();
            CompletableFuture<Outcome> running = h.dispatcher.dispatch(event("1"));
            CompletableFuture<Outcome> queued = h.dispatcher.dispatch(event("2"));
            assertThat(h.dispatcher.saturated())
                    .as("dead-letter mode never asks publishers to wait")
                    .isFalse();
            assertThat(get(h.dispatcher.dispatch(event("3")))).isInstanceOfSatisfying(Failure.class, f -> {
                assertThat(f.kind()).isEqualTo(Kind.REJECTED);
                assertThat(f.message()).isEqualTo("queue full (1 events waiting)");
            });
            release.countDown();
            assertThat(get(running)).isInstanceOf(Success.class);
            assertThat(get(queued)).isInstanceOf(Success.class);
        }
    }

    @Test
    void aFullQueueWithBackPressureTakesMoreAsksPublishersToWaitAndSaysWhenItDrained() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            release.await();
            return Result.empty();
        });
        DispatcherConfig c = config(1, LONG, 0, 1, 1).withQueue(4, Overflow.BACKPRESSURE);
        try (Harness h = new Harness(sandbox, c)) {
            h.settle();
            List<CompletableFuture<Outcome>> all = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                all.add(h.dispatcher.dispatch(event("e" + i)));
            }
            assertThat(h.status().queued()).isEqualTo(8);
            assertThat(h.dispatcher.saturated()).isTrue();
            CountDownLatch drained = new CountDownLatch(1);
            h.dispatcher.whenDrained(drained::countDown);
            assertThat(drained.getCount()).isOne();
            release.countDown();
            assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(all).allSatisfy(f -> assertThat(f.join()).isInstanceOf(Success.class));
            assertThat(h.dispatcher.saturated()).isFalse();
        }
    }

    @Test
    void retriesWaitAnExponentialBackoffWithJitter() throws Exception {
        List<Long> attemptsAt = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        Harness[] ref = new Harness[1];
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            attemptsAt.add(ref[0].timers.nanoTime());
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("flaky");
            }
            return Result.text("ok");
        });
        DispatcherConfig c =
                config(1, LONG, 0, 1, 1).withRetry(new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(10)));
        try (Harness h = new Harness(sandbox, c)) {
            ref[0] = h;
            h.settle();
            CompletableFuture<Outcome> o = h.dispatcher.dispatch(event("x"));
            await().atMost(Harness.SETTLE).until(() -> h.status().waiting() == 1);
            assertThat(attemptsAt).hasSize(1);
            // Retry n waits backoff * 2^(n-1), scaled by a jitter in [0.5, 1): the first 0.5..1 s.
            h.advance(Duration.ofMillis(499));
            assertThat(attemptsAt).hasSize(1);
            h.advance(Duration.ofMillis(501));
            await().atMost(Harness.SETTLE)
                    .until(() -> attemptsAt.size() == 2 && h.status().waiting() == 1);
            h.settle();
            h.advance(Duration.ofMillis(999)); // the second waits 1..2 s
            assertThat(attemptsAt).hasSize(2);
            h.advance(Duration.ofMillis(1001));
            Outcome done = get(o);
            assertThat(done).isInstanceOf(Success.class);
            assertThat(done.info().attempts()).isEqualTo(3);
        }
    }

    @Test
    void reportsTheLastFailureWhenRetriesRunOutAndAnEventMayAskForFewer() throws Exception {
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            throw new IllegalStateException("always");
        });
        DispatcherConfig c = config(1, LONG, 1, 1, 0).withRetry(new RetryPolicy(1, Duration.ZERO, Duration.ZERO));
        try (Harness h = new Harness(sandbox, c)) {
            Outcome o = get(h.dispatcher.dispatch(event("x")));
            assertThat(o).isInstanceOfSatisfying(Failure.class, f -> {
                assertThat(f.kind()).isEqualTo(Kind.ERROR);
                assertThat(f.message()).contains("always");
            });
            assertThat(o.info().attempts()).isEqualTo(2);
            Outcome once = get(h.dispatcher.dispatch(event("y"), new DispatchOptions(null, 0, 0)));
            assertThat(once.info().attempts()).isEqualTo(1);
        }
    }

    @Test
    void aFailingStartIsAnOutcomeAndIsTriedAgainLater() throws Exception {
        AtomicInteger starts = new AtomicInteger();
        ScriptedSandbox flaky = new ScriptedSandbox((e, c) -> Result.text("up")) {
            @Override
            public Instance start(FunctionSpec spec, ColdStart timing) throws SandboxException {
                if (starts.incrementAndGet() == 1) {
                    throw new SandboxException("no luck");
                }
                return super.start(spec, timing);
            }
        };
        try (Harness h = new Harness(flaky, config(1, LONG, 0, 1, 0))) {
            assertThat(get(h.dispatcher.dispatch(event("a")))).isInstanceOfSatisfying(Failure.class, f -> {
                assertThat(f.kind()).isEqualTo(Kind.START_FAILED);
                assertThat(f.message()).isEqualTo("no luck");
            });
            assertThat(get(h.dispatcher.dispatch(event("b")))).isInstanceOf(Success.class);
        }
    }
}
