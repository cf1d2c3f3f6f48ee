package dev.sedge.jmh;

import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Function;
import dev.sedge.api.Result;
import dev.sedge.sandbox.Instance;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The jvm runtime's per-event overhead: a call through {@link Instance#invoke} (the instance's class
 * loader set as the thread's context loader, and back) against calling the same handler directly.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class JvmInvokeBenchmark {

    private Fixtures.JvmFunction fixture;
    private Function direct;
    private Instance instance;
    private Event event;
    private Context context;

    @Setup
    public void setUp() throws Exception {
        fixture = Fixtures.jvmEcho();
        instance = fixture.start();
        direct = new EchoFunction();
        event = Fixtures.event();
        context = Fixtures.context();
    }

    @TearDown
    public void tearDown() {
        instance.close();
        fixture.close();
    }

    /** The handler called directly: the guest's own work. */
    @Benchmark
    public Result direct() throws Exception {
        return direct.handle(event, context);
    }

    /** The same handler through the sandbox's instance. */
    @Benchmark
    public Result throughInstance() throws Exception {
        return instance.invoke(event, context);
    }
}
