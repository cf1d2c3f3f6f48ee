package dev.sedge.dataplane;

import static org.awaitility.Awaitility.await;

import dev.sedge.api.Event;
import dev.sedge.dataplane.time.ManualTimers;
import dev.sedge.dataplane.warm.WarmPlanner;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.scaling.Decision;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A dispatcher on a fake clock: deadlines, backoff and scaling decisions happen only when the test
 * advances time; events and instance starts still run on real threads, so tests wait on conditions.
 */
final class Harness implements AutoCloseable {

    static final Duration SETTLE = Duration.ofSeconds(10);

    final ManualTimers timers;
    final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    final List<Decision> decisions = new CopyOnWriteArrayList<>();
    final AtomicInteger prewarms = new AtomicInteger();

    /** Each change of the ready instances the scale listener heard: {previous, ready}. */
    final List<int[]> readyChanges = new CopyOnWriteArrayList<>();

    final Dispatcher dispatcher;

    Harness(ScriptedSandbox sandbox, DispatcherConfig config) {
        this(sandbox, config, new ManualTimers(1_000_000_000_000L), null);
    }

    /** A dispatcher on the given fake clock, seated at its keep-alive policy in {@code planner} if it names one. */
    Harness(ScriptedSandbox sandbox, DispatcherConfig config, ManualTimers timers, WarmPlanner planner) {
        this(sandbox, config, timers, planner, "scripted", System::nanoTime);
    }

    /** As above, for a function of the given runtime, whose runs are timed by {@code stopwatch}. */
    Harness(
            ScriptedSandbox sandbox,
            DispatcherConfig config,
            ManualTimers timers,
            WarmPlanner planner,
            String runtime,
            java.util.function.LongSupplier stopwatch) {
        this.timers = timers;
        FunctionSpec spec = new FunctionSpec(
                config.function(), runtime, Path.of("x"), null, config.timeout(), 0, 0, config.concurrency(), Map.of());
        dispatcher = new Dispatcher(
                config,
                sandbox,
                spec,
                new DispatcherEnvironment(
                        (fn, o) -> outcomes.add(o),
                        new ScaleListener() {
                            @Override
                            public void decided(String function, Decision d, int previous) {
                                decisions.add(d);
                            }

                            @Override
                            public void prewarmed(String function) {
                                prewarms.incrementAndGet();
                            }

                            @Override
                            public void readyChanged(String function, int ready, int previous) {
                                readyChanges.add(new int[] {previous, ready});
                            }
                        },
                        (t, p) -> {},
                        timers,
                        Clock.systemUTC(),
                        stopwatch,
                        new Random(7),
                        planner));
    }

    static Event event(String data) {
        return Event.builder().id(data).source("test").type("t").data(data).build();
    }

    void advance(Duration d) {
        timers.advance(d);
    }

    /** Waits until no instance is starting (starts run on their own threads). */
    void settle() {
        await().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .atMost(SETTLE)
                .until(() -> dispatcher.status().starting() == 0);
    }

    DispatcherStatus status() {
        return dispatcher.status();
    }

    @Override
    public void close() {
        dispatcher.close();
    }
}
