package dev.sedge.jmh;

import dev.sedge.api.Event;
import dev.sedge.dataplane.Dispatcher;
import dev.sedge.dataplane.DispatcherConfig;
import dev.sedge.dataplane.Outcome;
import dev.sedge.dataplane.time.SystemTimers;
import dev.sedge.dataplane.warm.WarmPlanner;
import dev.sedge.scaling.ScaleSettings;
import dev.sedge.scaling.policy.KnativeKeepAlive;
import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.catalog.KeepAlivePolicies;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a keep-alive policy adds to each event of a warm function: one event at a time through a
 * {@link Dispatcher} to an instance that returns at once, and its outcome awaited, with the autoscaler
 * alone ({@code knative}) against a policy ({@code fixed-10m}: the policy hears of the event, and the plan
 * decides once the function is empty again, moving its one timer).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class KeepAliveDispatchBenchmark {

    @Param({KnativeKeepAlive.NAME, "fixed-10m"})
    public String prewarm;

    private SystemTimers timers;
    private Dispatcher dispatcher;
    private Event event;

    @Setup
    public void setUp() throws Exception {
        timers = new SystemTimers("bench-timer");
        DispatcherConfig config = DispatcherConfig.of("bench", 1, Duration.ofSeconds(30))
                .withScale(ScaleSettings.DEFAULTS.withBounds(0, 1, 1))
                .withKeepAlive(prewarm.equals(KnativeKeepAlive.NAME) ? null : prewarm);
        dispatcher = Fixtures.dispatcher(
                config,
                "instant",
                timers,
                new WarmPlanner(name -> KeepAlivePolicies.create(name, PolicyContext.DEFAULTS, null)));
        event = Fixtures.event();
        dispatcher.dispatch(event).get(10, TimeUnit.SECONDS); // warm: the instance is up
    }

    @TearDown
    public void tearDown() {
        dispatcher.close();
        timers.close();
    }

    @Benchmark
    public Outcome oneEvent() throws Exception {
        return dispatcher.dispatch(event).get(10, TimeUnit.SECONDS);
    }
}
