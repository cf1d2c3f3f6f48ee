package dev.sedge.node.metrics;

import dev.sedge.dataplane.DispatcherStatus;
import dev.sedge.dataplane.InvocationListener;
import dev.sedge.dataplane.Outcome;
import dev.sedge.dataplane.ScaleListener;
import dev.sedge.scaling.Decision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The node's Prometheus metrics: per function, invocations, errors by kind and duration. Thread-safe.
 *
 * <p>Names: {@code sedge_invocations_total{function}}, {@code sedge_invocation_errors_total{function,kind}},
 * {@code sedge_invocation_duration_seconds{function}} (a histogram), {@code sedge_cold_starts_total{function}},
 * {@code sedge_cold_start_phase_seconds{function,phase}} (a histogram per phase: fetch, compile, instantiate,
 * initialise, first-call); per active function {@code sedge_function_instances{function,state}} (ready,
 * starting, draining), {@code sedge_function_instances_desired{function}}, {@code sedge_function_running},
 * {@code sedge_function_queue_depth{function}}, {@code sedge_function_panic{function}}, and
 * {@code sedge_scale_events_total{function,direction}}; {@code sedge_prewarms_total{function}} (instances a
 * keep-alive plan started with no event); {@code sedge_function_instance_seconds_total{function}}
 * (ready instances integrated over time, from the dispatchers' reports of each change, so that
 * instance-seconds times memory per instance is the memory-time a function held);
 * {@code sedge_dead_letters_total{function,kind}}; and
 * the JVM's and the process's own (memory, GC, threads, classes, CPU, file descriptors, uptime).
 */
public final class NodeMetrics implements InvocationListener, ScaleListener, AutoCloseable {

    private record PerFunction(Counter invocations, Counter coldStarts, Timer duration) {}

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, PerFunction> perFunction = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Timer> phases = new ConcurrentHashMap<>();
    private final List<Supplier<Number>> counted = new CopyOnWriteArrayList<>();
    private final Map<String, Counter> scaleEvents = new ConcurrentHashMap<>();
    private final Map<String, Counter> prewarms = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final Map<String, InstanceSeconds> instanceSeconds = new ConcurrentHashMap<>();
    /** The monotonic clock instance-seconds are measured on: the dispatchers' own. */
    private final LongSupplier nanoTime;

    private record Gauges(Object owner, List<Meter> meters) {}

    private final Map<String, Gauges> functionGauges = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** Metrics on the system's monotonic clock. */
    public NodeMetrics() {
        this(System::nanoTime);
    }

    /** @param nanoTime the monotonic clock the dispatchers run on, for the time instances are ready */
    public NodeMetrics(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    @Override
    public void decided(String function, Decision decision, int previous) {
        if (decision.desired() == previous) {
            return;
        }
        String direction = decision.desired() > previous ? "up" : "down";
        scaleEvents
                .computeIfAbsent(
                        function + '\u0000' + direction,
                        k -> Counter.builder("sedge.scale.events")
                                .description("Changes of a function's desired instances")
                                .tag("function", function)
                                .tag("direction", direction)
                                .register(registry))
                .increment();
    }

    @Override
    public void prewarmed(String function) {
        prewarms.computeIfAbsent(
                        function,
                        f -> Counter.builder("sedge.prewarms")
                                .description("Instances a function's keep-alive plan started with no event asking")
                                .tag("function", f)
                                .register(registry))
                .increment();
    }

    @Override
    public void readyChanged(String function, int ready, int previous) {
        instanceSeconds
                .computeIfAbsent(function, f -> {
                    InstanceSeconds s = new InstanceSeconds(nanoTime);
                    FunctionCounter.builder("sedge.function.instance.seconds", s, InstanceSeconds::seconds)
                            .description("Ready instances integrated over time: instance-seconds")
                            .tag("function", f)
                            .register(registry);
                    return s;
                })
                .changed(ready - previous);
    }

    /** Counts a failed event kept in the function's dead letters. */
    public void deadLettered(String function, String kind) {
        deadLetters
                .computeIfAbsent(
                        function + '\u0000' + kind,
                        k -> Counter.builder("sedge.dead.letters")
                                .description("Events that failed for good and were kept as dead letters, by kind")
                                .tag("function", function)
                                .tag("kind", kind)
                                .register(registry))
                .increment();
    }

    /**
     * Registers an active function's gauges, read from its dispatcher's status on each scrape, in place of
     * those of the function it replaces.
     *
     * @param owner what the gauges belong to, so that the replaced function's removal leaves them
     */
    public synchronized void functionActivated(String function, Object owner, Supplier<DispatcherStatus> status) {
        Gauges old = functionGauges.remove(function);
        if (old != null) {
            old.meters().forEach(registry::remove);
        }
        List<Meter> meters = new ArrayList<>();
        for (String state : List.of("ready", "starting", "draining")) {
            meters.add(Gauge.builder("sedge.function.instances", status, s -> switch (state) {
                        case "ready" -> s.get().ready();
                        case "starting" -> s.get().starting();
                        default -> s.get().draining();
                    })
                    .description("A function's instances, by state")
                    .tag("function", function)
                    .tag("state", state)
                    .strongReference(true) // the supplier lives only here
                    .register(registry));
        }
        meters.add(Gauge.builder(
                        "sedge.function.instances.desired", status, s -> s.get().desired())
                .description("The instances the function's autoscaler wants")
                .tag("function", function)
                .strongReference(true)
                .register(registry));
        meters.add(Gauge.builder("sedge.function.running", status, s -> s.get().running())
                .description("Events running now (the function's concurrency)")
                .tag("function", function)
                .strongReference(true)
                .register(registry));
        meters.add(Gauge.builder(
                        "sedge.function.queue.depth",
                        status,
                        s -> s.get().queued() + s.get().waiting())
                .description("Events waiting: for an instance, behind an earlier one of their key, or to retry")
                .tag("function", function)
                .strongReference(true)
                .register(registry));
        meters.add(FunctionCounter.builder(
                        "sedge.function.queue.overflow", status, s -> s.get().overflowed())
                .description("Events that arrived while the function's queue was full: taken while their"
                        + " publishers were paused (overflow: backpressure), or refused (overflow: dead-letter)")
                .tag("function", function)
                .register(registry));
        meters.add(Gauge.builder("sedge.function.panic", status, s -> s.get().panic() ? 1 : 0)
                .description("1 while the function's autoscaler is in panic mode")
                .tag("function", function)
                .strongReference(true)
                .register(registry));
        functionGauges.put(function, new Gauges(owner, meters));
    }

    /** Removes a function's gauges, unless another owner has them now; its counters stay, as counters do. */
    public synchronized void functionDeactivated(String function, Object owner) {
        Gauges g = functionGauges.get(function);
        if (g != null && g.owner() == owner) {
            functionGauges.remove(function);
            g.meters().forEach(registry::remove);
        }
    }

    @Override
    public void completed(String function, Outcome outcome) {
        PerFunction m = perFunction.computeIfAbsent(function, this::create);
        m.invocations().increment();
        if (outcome.info().coldStart()) {
            m.coldStarts().increment();
            outcome.info()
                    .coldStartPhases()
                    .forEach((phase, took) -> phases.computeIfAbsent(
                                    function + '\u0000' + phase,
                                    k -> Timer.builder("sedge.cold.start.phase")
                                            .description("How long each phase of a cold start took")
                                            .tag("function", function)
                                            .tag("phase", phase)
                                            .publishPercentileHistogram()
                                            .minimumExpectedValue(Duration.ofNanos(1_000))
                                            .maximumExpectedValue(Duration.ofMinutes(1))
                                            .register(registry))
                            .record(took));
        }
        m.duration().record(outcome.info().durationNanos(), TimeUnit.NANOSECONDS);
        if (outcome instanceof Outcome.Failure f) {
            errors.computeIfAbsent(
                            function + '\u0000' + f.kind().label(),
                            k -> Counter.builder("sedge.invocation.errors")
                                    .description("Invocations that ended without a result, by kind")
                                    .tag("function", function)
                                    .tag("kind", f.kind().label())
                                    .register(registry))
                    .increment();
        }
    }

    private PerFunction create(String function) {
        return new PerFunction(
                Counter.builder("sedge.invocations")
                        .description("Invocations finished, whatever their outcome")
                        .tag("function", function)
                        .register(registry),
                Counter.builder("sedge.cold.starts")
                        .description("Invocations that had to start an instance")
                        .tag("function", function)
                        .register(registry),
                Timer.builder("sedge.invocation.duration")
                        .description("From dispatch to outcome, queueing and retries included")
                        .tag("function", function)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(10_000))
                        .maximumExpectedValue(Duration.ofMinutes(5))
                        .register(registry));
    }

    /** A gauge read on each scrape. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** A counter whose total is read on each scrape from something that counts by itself. */
    public void counter(String name, String description, Supplier<Number> total) {
        counted.add(total); // Micrometer holds a function counter's source only weakly
        FunctionCounter.builder(name, total, t -> t.get().doubleValue())
                .description(description)
                .register(registry);
    }

    /** Invocations of a function counted so far. */
    public long invocations(String function) {
        PerFunction m = perFunction.get(function);
        return m == null ? 0 : (long) m.invocations().count();
    }

    /** Failed invocations of a function counted so far. */
    public long errors(String function) {
        long sum = 0;
        for (Map.Entry<String, Counter> e : errors.entrySet()) {
            if (e.getKey().startsWith(function + '\u0000')) {
                sum += (long) e.getValue().count();
            }
        }
        return sum;
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    /** Stops listening to the JVM's GC notifications. */
    @Override
    public void close() {
        gc.close();
    }
}
