package dev.sedge.node.metrics;

import dev.sedge.dataplane.InvocationListener;
import dev.sedge.dataplane.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The node's Prometheus metrics: per function, invocations, errors by kind and duration. Thread-safe.
 *
 * <p>Names: {@code sedge_invocations_total{function}}, {@code sedge_invocation_errors_total{function,kind}},
 * {@code sedge_invocation_duration_seconds{function}} (a histogram), {@code sedge_cold_starts_total{function}},
 * {@code sedge_cold_start_phase_seconds{function,phase}} (a histogram per phase: fetch, compile, instantiate,
 * initialise, first-call).
 */
public final class NodeMetrics implements InvocationListener {

    private record PerFunction(Counter invocations, Counter coldStarts, Timer duration) {}

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, PerFunction> perFunction = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Timer> phases = new ConcurrentHashMap<>();
    private final List<Supplier<Number>> counted = new CopyOnWriteArrayList<>();

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
}
