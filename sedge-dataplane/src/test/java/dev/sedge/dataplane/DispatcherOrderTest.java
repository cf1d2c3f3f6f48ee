package dev.sedge.dataplane;

import static dev.sedge.dataplane.Harness.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sedge.api.Result;
import dev.sedge.dataplane.Outcome.Failure;
import dev.sedge.dataplane.Outcome.Kind;
import dev.sedge.dataplane.Outcome.Success;
import dev.sedge.scaling.ScaleSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Per-key order, and events that expire while they wait. */
@Timeout(60)
class DispatcherOrderTest {

    private static DispatchOptions key(String k) {
        return new DispatchOptions(k, 0, -1);
    }

    @Test
    void eventsOfOneKeyRunOneAtATimeInArrivalOrderWhileOtherKeysRunBesideThem() throws Exception {
        Map<String, AtomicInteger> insidePerKey = new ConcurrentHashMap<>();
        Map<String, List<String>> orderPerKey = new ConcurrentHashMap<>();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        AtomicInteger overlapSameKey = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            String[] parts = e.dataAsString().split(":");
            AtomicInteger k = insidePerKey.computeIfAbsent(parts[0], x -> new AtomicInteger());
            if (k.incrementAndGet() > 1) {
                overlapSameKey.incrementAndGet();
            }
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            orderPerKey
                    .computeIfAbsent(parts[0], x -> new CopyOnWriteArrayList<>())
                    .add(parts[1]);
            go.await();
            inside.decrementAndGet();
            k.decrementAndGet();
            return Result.empty();
        });
        // Two instances of concurrency 4: room for 8 at once, across instances.
        DispatcherConfig c = DispatcherConfig.of("f", 4, Duration.ofSeconds(30))
                .withScale(ScaleSettings.DEFAULTS.withBounds(2, 2, 2));
        try (Harness h = new Harness(sandbox, c)) {
            await().atMost(Harness.SETTLE).until(() -> h.status().ready() == 2);
            List<CompletableFuture<Outcome>> all = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                for (String k : List.of("a", "b", "c", "d", "e", "f")) {
                    all.add(h.dispatcher.dispatch(event(k + ":" + i), key("topic:" + k)));
                }
            }
            // One event per key runs; the others wait behind it, and are not load more instances could take.
            await().atMost(Harness.SETTLE).until(() -> inside.get() == 6);
            assertThat(h.status().running()).isEqualTo(6);
            assertThat(h.status().queued()).isZero();
            assertThat(h.status().waiting()).isEqualTo(24);
            go.countDown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            assertThat(all).allSatisfy(f -> assertThat(f.join()).isInstanceOf(Success.class));
            assertThat(overlapSameKey).hasValue(0);
            assertThat(mostInside.get()).isEqualTo(6);
            assertThat(orderPerKey.values()).allSatisfy(o -> assertThat(o).containsExactly("0", "1", "2", "3", "4"));
        }
    }

    @Test
    void aRetriedEventKeepsItsKeyUntilItsLastAttempt() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        AtomicInteger firstTries = new AtomicInteger();
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            ran.add(e.dataAsString());
            if (e.dataAsString().equals("first") && firstTries.incrementAndGet() < 3) {
                throw new IllegalStateException("flaky");
            }
            return Result.empty();
        });
        DispatcherConfig c = DispatcherConfig.of("f", 4, Duration.ofSeconds(30))
                .withRetry(new RetryPolicy(5, Duration.ZERO, Duration.ZERO));
        try (Harness h = new Harness(sandbox, c)) {
            CompletableFuture<Outcome> first = h.dispatcher.dispatch(event("first"), key("k"));
            CompletableFuture<Outcome> second = h.dispatcher.dispatch(event("second"), key("k"));
            assertThat(second.get(10, TimeUnit.SECONDS)).isInstanceOf(Success.class);
            assertThat(first.get(10, TimeUnit.SECONDS).info().attempts()).isEqualTo(3);
            assertThat(ran).containsExactly("first", "first", "first", "second");
        }
    }

    @Test
    void anEventWhoseExpiryPassesWhileItWaitsForAnInstanceIsNotRun() throws Exception {
        CountDownLatch starting = new CountDownLatch(1);
        CountDownLatch finishStart = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        ScriptedSandbox sandbox = ScriptedSandbox.withHeldStarts(
                (e, c) -> {
                    ran.add(e.dataAsString());
                    return Result.empty();
                },
                starting,
                finishStart);
        DispatcherConfig c = DispatcherConfig.of("f", 1, Duration.ofSeconds(30))
                .withScale(ScaleSettings.DEFAULTS.withBounds(0, 1, 0));
        try (Harness h = new Harness(sandbox, c)) {
            long now = h.timers.nanoTime();
            CompletableFuture<Outcome> shortLived =
                    h.dispatcher.dispatch(event("short"), new DispatchOptions(null, now + 1_000_000_000L, -1));
            CompletableFuture<Outcome> longLived =
                    h.dispatcher.dispatch(event("long"), new DispatchOptions(null, now + 60_000_000_000L, -1));
            assertThat(starting.await(10, TimeUnit.SECONDS)).isTrue();
            h.advance(Duration.ofSeconds(2));
            finishStart.countDown();
            assertThat(shortLived.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Failure.class, f -> {
                assertThat(f.kind()).isEqualTo(Kind.EXPIRED);
                assertThat(f.info().attempts()).isZero();
            });
            assertThat(longLived.get(10, TimeUnit.SECONDS)).isInstanceOf(Success.class);
            assertThat(ran).containsExactly("long");
            CompletableFuture<Outcome> late =
                    h.dispatcher.dispatch(event("late"), new DispatchOptions(null, h.timers.nanoTime() - 1, -1));
            assertThat(late.get(10, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(
                            Failure.class, f -> assertThat(f.kind()).isEqualTo(Kind.EXPIRED));
        }
    }

    @Test
    void aLongRunOfSameKeyEventsThatExpiredEndsWithoutNestingAndTheKeyGoesOn() throws Exception {
        java.util.concurrent.Semaphore gate = new java.util.concurrent.Semaphore(0);
        List<String> ran = new CopyOnWriteArrayList<>();
        ScriptedSandbox sandbox = new ScriptedSandbox((e, c) -> {
            ran.add(e.dataAsString());
            if (e.dataAsString().equals("holder")) {
                gate.acquire();
            }
            return Result.empty();
        });
        DispatcherConfig c = DispatcherConfig.of("f", 1, Duration.ofSeconds(30))
                .withScale(ScaleSettings.DEFAULTS.withBounds(1, 1, 1));
        try (Harness h = new Harness(sandbox, c)) {
            h.settle();
            CompletableFuture<Outcome> holder = h.dispatcher.dispatch(event("holder"), key("k"));
            await().atMost(Harness.SETTLE).until(() -> ran.contains("holder"));
            long soon = h.timers.nanoTime() + 1_000_000_000L;
            int n = 20_000;
            List<CompletableFuture<Outcome>> expiring = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                expiring.add(h.dispatcher.dispatch(event("x" + i), new DispatchOptions("k", soon, -1)));
            }
            CompletableFuture<Outcome> last = h.dispatcher.dispatch(event("last"), key("k"));
            h.advance(Duration.ofSeconds(2)); // every one of them expires while it waits behind the holder
            gate.release();
            assertThat(holder.get(10, TimeUnit.SECONDS)).isInstanceOf(Success.class);
            assertThat(last.get(20, TimeUnit.SECONDS)).isInstanceOf(Success.class);
            CompletableFuture.allOf(expiring.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            assertThat(expiring)
                    .allSatisfy(f -> assertThat(f.join())
                            .isInstanceOfSatisfying(
                                    Failure.class, x -> assertThat(x.kind()).isEqualTo(Kind.EXPIRED)));
            assertThat(ran).containsExactly("holder", "last");
        }
    }
}
