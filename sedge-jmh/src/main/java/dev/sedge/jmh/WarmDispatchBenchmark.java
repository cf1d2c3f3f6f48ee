package dev.sedge.jmh;

import dev.sedge.api.Event;
import dev.sedge.dataplane.DispatchOptions;
import dev.sedge.dataplane.Dispatcher;
import dev.sedge.dataplane.DispatcherConfig;
import dev.sedge.dataplane.Outcome;
import dev.sedge.dataplane.time.SystemTimers;
import dev.sedge.scaling.ScaleSettings;
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
 * One warm event of an in-process function through its {@link Dispatcher}, to an instance that answers at
 * once, its outcome awaited: run on the dispatching thread ({@code here}, as an MQTT trigger's event runs
 * once its function has shown itself short) against handed to a new virtual thread ({@code handoff}).
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per event by the dispatcher
 * (admission, attempt, deadline, outcome); the broker's decoding and routing are not in it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class WarmDispatchBenchmark {

    @Param({"here", "handoff"})
    public String runs;

    private SystemTimers timers;
    private Dispatcher dispatcher;
    private Event event;
    private DispatchOptions options;

    @Setup
    public void setUp() throws Exception {
        timers = new SystemTimers("bench-timer");
        DispatcherConfig config = DispatcherConfig.of("bench", 1, Duration.ofSeconds(30))
                .withScale(ScaleSettings.DEFAULTS.withBounds(1, 1, 1));
        dispatcher = Fixtures.dispatcher(config, "jvm", timers, null);
        event = Fixtures.event();
        options = new DispatchOptions(null, 0, -1, runs.equals("here"));
        for (int i = 0; i < 100; i++) { // warm, and long enough shown short for the gate to open
            dispatcher.dispatch(event, options).get(10, TimeUnit.SECONDS);
        }
    }

    @TearDown
    public void tearDown() {
        dispatcher.close();
        timers.close();
    }

    @Benchmark
    public Outcome oneEvent() throws Exception {
        return dispatcher.dispatch(event, options).get(10, TimeUnit.SECONDS);
    }
}
