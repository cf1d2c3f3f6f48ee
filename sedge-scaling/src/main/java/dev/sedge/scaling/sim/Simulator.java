package dev.sedge.scaling.sim;

import dev.sedge.scaling.policy.KeepAlivePolicy;
import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.WarmPlan;
import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Replays a trace against one policy in simulated time and counts what it cost. Deterministic: the same
 * trace and policy give the same result.
 *
 * <p>The model, the one the keep-alive papers use: each function has at most one instance, starting one
 * takes the cold start, and an event takes no time once an instance is ready. An event that finds no
 * ready instance starts one, or waits for the one already starting, and the wait is the latency it adds;
 * a start that events had to wait for is one cold start, however many waited (a pre-warm that comes too
 * late is one too). The plan ({@link WarmPlan}) is carried out exactly at its times; a plan that lets the
 * instance go at the moment an event comes leaves that event cold. A function's first event is always
 * cold (no plan exists before it). Memory is wasted while an instance is ready and unused, until the
 * trace's last event.
 *
 * <p>Not thread-safe; one simulator runs one policy once.
 */
public final class Simulator {

    private final Trace trace;
    private final KeepAlivePolicy policy;
    private final PolicyContext context;
    private final SimulationListener listener;

    private final boolean[] seen;
    private final boolean[] up;
    /** Whether an event has waited for the instance's start. */
    private final boolean[] waitedOn;

    private final long[] readyAt;
    private final long[] lastUse;
    private final int[] generation;
    private final java.util.Map<String, Integer> index = new java.util.HashMap<>();
    /** (time, function, generation) of plan changes due. */
    private final PriorityQueue<long[]> due = new PriorityQueue<>(
            (a, b) -> Long.compare(a[0], b[0]) != 0 ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));

    private long coldStarts;
    private long prewarms;
    private long wastedMibMillis;
    private long[] waits = new long[64];
    private int waitCount;

    public Simulator(Trace trace, KeepAlivePolicy policy, PolicyContext context, SimulationListener listener) {
        this.trace = trace;
        this.policy = policy;
        this.context = context;
        this.listener = listener;
        int n = trace.functions().size();
        seen = new boolean[n];
        up = new boolean[n];
        waitedOn = new boolean[n];
        readyAt = new long[n];
        lastUse = new long[n];
        generation = new int[n];
        for (int f = 0; f < n; f++) {
            index.put(trace.functions().get(f), f);
        }
    }

    /** Runs the whole trace. */
    public PolicyResult run() {
        long[] times = trace.times();
        int[] functions = trace.function();
        for (int i = 0; i < times.length; i++) {
            long t = times[i];
            runDue(t);
            invoke(functions[i], t);
        }
        long end = times.length == 0 ? 0 : times[times.length - 1];
        for (int f = 0; f < up.length; f++) {
            if (up[f]) {
                stop(f, end);
            }
        }
        return result();
    }

    private void runDue(long until) {
        while (!due.isEmpty() && due.peek()[0] <= until) {
            long[] d = due.poll();
            int f = (int) d[1];
            if (d[2] == generation[f]) {
                apply(f, d[0]);
            }
        }
    }

    private void invoke(int f, long t) {
        String name = trace.functions().get(f);
        long waited;
        boolean cold = false;
        if (up[f] && readyAt[f] <= t) {
            waited = 0;
            wastedMibMillis += (t - Math.max(readyAt[f], lastUse[f])) * context.memoryMib();
            lastUse[f] = t;
        } else {
            if (!up[f]) {
                start(f, t, false);
            }
            waited = readyAt[f] - t;
            lastUse[f] = readyAt[f];
            // Events that wait for the same start share one cold start.
            cold = !waitedOn[f];
            waitedOn[f] = true;
            coldStarts += cold ? 1 : 0;
            recordWait(waited);
        }
        listener.invoked(name, t, cold, waited);
        seen[f] = true;
        Set<String> others = policy.arrived(name, t);
        apply(f, t);
        for (String other : others) {
            Integer g = index.get(other);
            if (g != null && g != f) {
                apply(g, t);
            }
        }
    }

    /** Carries out the function's plan as of {@code now} and schedules its next change. */
    private void apply(int f, long now) {
        if (!seen[f]) {
            return;
        }
        WarmPlan plan = policy.plan(trace.functions().get(f), now);
        long next = plan.nextChange(now);
        if (plan.warmAt(now)) {
            if (!up[f]) {
                start(f, now, true);
            }
        } else if (up[f] && waitedOn[f] && readyAt[f] > now) {
            // Events wait for this start: it is let go once it has served them, as a node would.
            next = Math.min(next, readyAt[f]);
        } else if (up[f]) {
            stop(f, now);
        }
        generation[f]++;
        if (next != Long.MAX_VALUE) {
            due.add(new long[] {Math.max(next, now + 1), f, generation[f]});
        }
    }

    private void start(int f, long now, boolean prewarm) {
        up[f] = true;
        waitedOn[f] = false;
        readyAt[f] = now + context.coldStartMillis();
        lastUse[f] = readyAt[f];
        if (prewarm) {
            prewarms++;
        }
        listener.started(trace.functions().get(f), now, prewarm);
    }

    private void stop(int f, long now) {
        up[f] = false;
        long idleFrom = Math.max(readyAt[f], lastUse[f]);
        if (now > idleFrom) {
            wastedMibMillis += (now - idleFrom) * context.memoryMib();
        }
        listener.stopped(trace.functions().get(f), now);
    }

    private void recordWait(long waited) {
        if (waitCount == waits.length) {
            waits = Arrays.copyOf(waits, waitCount * 2);
        }
        waits[waitCount++] = waited;
    }

    private PolicyResult result() {
        long invocations = trace.events();
        int functionsSeen = 0;
        for (boolean s : seen) {
            functionsSeen += s ? 1 : 0;
        }
        long[] sorted = Arrays.copyOf(waits, waitCount);
        Arrays.sort(sorted);
        return new PolicyResult(
                policy.name(),
                invocations,
                coldStarts,
                coldStarts - functionsSeen,
                wastedMibMillis / 1024.0 / 1000.0,
                prewarms,
                percentile(sorted, invocations, 0.50),
                percentile(sorted, invocations, 0.99));
    }

    /** The percentile over all invocations, where those not in {@code coldWaits} waited nothing. */
    static double percentile(long[] coldWaits, long invocations, double p) {
        if (invocations == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(p * invocations); // 1-based rank of the percentile
        long warm = invocations - coldWaits.length;
        if (rank <= warm) {
            return 0;
        }
        return coldWaits[(int) (rank - warm - 1)];
    }
}
