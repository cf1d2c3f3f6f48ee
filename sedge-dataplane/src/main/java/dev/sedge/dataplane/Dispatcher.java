package dev.sedge.dataplane;

import dev.sedge.api.Event;
import dev.sedge.dataplane.Outcome.Kind;
import dev.sedge.sandbox.ColdStart;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Instance;
import dev.sedge.sandbox.Sandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One function's dispatcher: Sedge's activator and queue-proxy in one object. It admits events (in
 * order per key where asked), runs each on a free slot of a ready instance or holds it in the queue,
 * keeps the function's instances between zero and its maximum as its autoscaler decides, and reports
 * every outcome.
 *
 * <pre>
 * dispatch -> Admission (order lanes, queue) -> InstancePool (0..N instances, slots) -> Invocation
 *                 |  concurrency (running + queued), every change, exactly
 *                 v
 *             ConcurrencyWindow -> KpaDecider (every 2 s while there is anything to decide, and at once
 *                                  when an event finds no instance) -> InstancePool.scaleTo
 *                                     ^ between zero and one, when the function names a keep-alive policy
 *                                     | and holds no event: the policy's plan (KeepAliveStep, WarmPlanner)
 * </pre>
 *
 * <p>Instances beyond the first start when the decider says so, off the event's path; an event that
 * finds no instance at all waits while the first one starts and then runs on it (a cold start). The
 * dispatcher counts its own concurrency, so no proxy has to.
 *
 * <p>Thread-safe: its state is guarded by one lock, never held while a function runs, an instance starts
 * or closes, or an outcome is reported. {@link #dispatch} never waits for an instance; with
 * {@link DispatchOptions#runHere()} it may run the event before it returns, when {@link InlineGate} lets
 * a short function run on the caller's thread. Lifecycle: construct (which starts the initial
 * instances), dispatch, {@link #close()}.
 */
public final class Dispatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.sedge.dataplane");
    private static final String REMOVED = "function is being removed";

    final DispatcherConfig config;
    final DispatcherEnvironment env;
    final System.Logger functionLog;
    private final InstanceLifecycle instances;
    private final AtomicLong invocationSeq = new AtomicLong();

    private final StepLock lock = new StepLock();
    private final Admission admission = new Admission();
    private final InstancePool pool;
    private final ScaleLoop scaling;
    private final KeepAliveStep keepAlive;
    private final QueuePressure pressure;
    private volatile boolean closed;
    private long overflowed;
    private final ReadyReport readyReport;
    final Deadlines deadlines;
    final InlineGate inline;

    /**
     * @throws IllegalArgumentException when the config names a keep-alive policy that the environment's
     *     planner does not know, or the environment has no planner
     */
    public Dispatcher(DispatcherConfig config, Sandbox sandbox, FunctionSpec spec, DispatcherEnvironment env) {
        this.config = config;
        this.instances = new InstanceLifecycle(config.function(), sandbox, spec, env.stopwatch());
        this.env = env;
        this.functionLog = System.getLogger("function." + config.function());
        this.pool = new InstancePool(config.concurrency(), config.scale().maxOrUnlimited());
        this.keepAlive = KeepAliveStep.of(config, env); // first: an unknown policy is refused before anything starts
        this.scaling = new ScaleLoop(config, env.scaling(), env.timers(), this::tick, keepAlive);
        this.pressure = new QueuePressure(config);
        this.readyReport = new ReadyReport(config.function(), env.scaling());
        this.deadlines = new Deadlines(env.timers(), config.timeout().toNanos());
        this.inline = new InlineGate(spec.runtime());
        locked(after -> decide(env.timers().nanoTime(), after)); // the initial scale
        if (keepAlive != null) {
            // Another function's event changed this one's plan: decided on again, on the timers' thread.
            keepAlive.seat().whenNamed(() -> env.timers().schedule(() -> locked(this::decideNow), 0));
        }
    }

    /** Dispatches one event with the function's own settings. */
    public CompletableFuture<Outcome> dispatch(Event event) {
        return dispatch(event, DispatchOptions.NONE);
    }

    /** Dispatches one event; the future completes with its outcome and never exceptionally. */
    public CompletableFuture<Outcome> dispatch(Event event, DispatchOptions options) {
        Invocation inv =
                new Invocation(this, event, config.function() + "-" + invocationSeq.incrementAndGet(), options);
        locked(after -> {
            if (closed) {
                after.add(() -> inv.endUnrun(Kind.REJECTED, REMOVED));
                return;
            }
            if (keepAlive != null) {
                keepAlive.arrived(env.timers().nanoTime(), after);
            }
            if (admission.enterLane(inv)) {
                offer(inv, false, after);
            }
        });
        return inv.future;
    }

    /**
     * Runs an event that may run now on a free slot, or queues it; an event that finds no instance at all
     * asks the decider at once (the activator's poke). Called with the lock held.
     *
     * @return false when the event ends without running (expired, or refused by a full queue): its end is
     *     in {@code after}
     */
    private boolean offer(Invocation inv, boolean first, List<Runnable> after) {
        long now = env.timers().nanoTime();
        if (inv.options.expired(now)) {
            after.add(() -> inv.endUnrun(Kind.EXPIRED, "the message expired before the function could run it"));
            return false;
        }
        PooledInstance p = pool.claim();
        if (p != null) {
            p.takeColdStart(); // an event that did not wait for the start is not a cold start
            admission.started();
            levelChanged(now);
            if (inv.options.runHere() && inline.open()) {
                after.add(() -> inv.attemptHere(p));
            } else {
                after.add(() -> inv.attemptOnNewThread(p, null));
            }
            return true;
        }
        if (admission.queued() >= config.maxQueued()) {
            overflowed++; // taken with its publishers paused, or refused below: counted either way
        }
        if (admission.queued() >= config.hardLimit()) {
            String why = "queue full (" + admission.queued() + " events waiting)";
            after.add(() -> inv.endUnrun(Kind.REJECTED, why));
            return false;
        }
        admission.enqueue(inv, first);
        queueChanged(after);
        levelChanged(now);
        if (!pool.anyUp()) {
            decide(now, after);
        }
        return true;
    }

    /** Hands queued events to free slots; returns the first one's attempt to run, or null. Lock held. */
    private Runnable drain(long now, List<Runnable> after) {
        Runnable first = null;
        while (admission.queued() > 0) {
            PooledInstance p = pool.claim();
            if (p == null) {
                break;
            }
            Invocation inv = admission.poll();
            if (inv.options.expired(now)) {
                pool.release(p);
                after.add(() -> inv.endUnrun(Kind.EXPIRED, "the message expired while it waited for an instance"));
                continue;
            }
            admission.started();
            Runnable body = inv.attempt(p, p.takeColdStart());
            if (first == null) {
                first = body;
            } else {
                after.add(() -> Thread.ofVirtual().name(inv.id).start(body));
            }
        }
        queueChanged(after);
        levelChanged(now);
        return first;
    }

    private void drainOnNewThread(long now, List<Runnable> after) {
        Runnable first = drain(now, after);
        if (first != null) {
            after.add(() -> Thread.ofVirtual().start(first));
        }
    }

    /** Asks the decider (and the keep-alive plan) and acts on the answer. Lock held. */
    private void decide(long now, List<Runnable> after) {
        apply(scaling.decide(now, pool, admission, closed), after);
    }

    private void decideNow(List<Runnable> after) {
        if (!closed) {
            decide(env.timers().nanoTime(), after);
        }
    }

    private void tick() {
        locked(after -> {
            scaling.ticked();
            decideNow(after);
        });
    }

    /** The concurrency changed: the window hears of it, and load brings the ticks back. Lock held. */
    private void levelChanged(long now) {
        int level = admission.level();
        scaling.record(now, level);
        if (level > 0 && !closed) {
            scaling.keepTicking(now, false);
        }
    }

    private void queueChanged(List<Runnable> after) {
        pressure.queued(admission.queued(), closed, after);
    }

    private void apply(InstancePool.Changes changes, List<Runnable> after) {
        for (PooledInstance p : changes.toStart()) {
            after.add(() -> instances.start(p, started));
        }
        for (PooledInstance p : changes.toClose()) {
            after.add(() -> instances.closeLater(p));
        }
    }

    /** How a start ended: the thread that started an instance runs the first event that waited for it. */
    private final InstanceLifecycle.Started started = new InstanceLifecycle.Started() {
        @Override
        public void started(PooledInstance p, Instance instance, ColdStart timing) {
            Runnable[] first = new Runnable[1];
            locked(after -> {
                if (!pool.started(p)) {
                    after.add(() -> instances.close(instance)); // retired, or the function removed, meanwhile
                } else {
                    long now = env.timers().nanoTime();
                    scaling.becameReady(now);
                    p.coldStart = timing;
                    first[0] = drain(now, after);
                }
                apply(pool.refill(), after);
            });
            if (first[0] != null) {
                first[0].run();
            }
        }

        /** With no other instance to wait for, the queued events fail this attempt. */
        @Override
        public void failed(PooledInstance p, String why) {
            LOG.log(System.Logger.Level.WARNING, "{0}: an instance could not start: {1}", config.function(), why);
            locked(after -> {
                pool.startFailed(p);
                if (!pool.anyUp()) {
                    for (Invocation inv : admission.takeQueued()) {
                        after.add(() -> inv.startFailed(why));
                    }
                    queueChanged(after);
                    levelChanged(env.timers().nanoTime());
                }
            });
        }
    };

    /** An attempt ended: its slot is free for the next queued event; a failed attempt retires its instance. */
    void attemptEnded(PooledInstance p, boolean failed) {
        locked(after -> {
            admission.ended();
            PooledInstance done = pool.release(p);
            if (done != null) {
                after.add(() -> instances.closeLater(done));
            }
            if (failed) {
                PooledInstance retired = pool.retire(p);
                if (retired != null) {
                    after.add(() -> instances.closeLater(retired));
                }
                LOG.log(System.Logger.Level.DEBUG, "{0}: {1} retired after a failed attempt", config.function(), p);
            }
            if (failed || done != null) {
                apply(pool.refill(), after); // an instance left: one may start in its place
            }
            long now = env.timers().nanoTime();
            drainOnNewThread(now, after);
            emptied(now, after);
        });
    }

    /** An attempt ran past its deadline: its instance is closed at once, whatever else runs on it. */
    void attemptTimedOut(PooledInstance p) {
        locked(after -> {
            admission.ended();
            PooledInstance stuck = pool.forceRemove(p);
            if (stuck != null) {
                // Off the timer's thread: a process takes its grace period to stop.
                after.add(() -> instances.closeLater(stuck));
            }
            apply(pool.refill(), after);
            long now = env.timers().nanoTime();
            drainOnNewThread(now, after);
            emptied(now, after);
        });
    }

    /**
     * After an event ended: a function with a keep-alive policy that holds no event any more is decided on
     * at once, so that its plan takes over from this instant rather than a tick later. Lock held.
     */
    private void emptied(long now, List<Runnable> after) {
        if (keepAlive != null && !closed && admission.level() == 0 && admission.waiting() == 0) {
            decide(now, after);
        }
    }

    /**
     * Schedules a failed invocation's next attempt; false when the function is being removed.
     *
     * @param delayNanos the backoff before it goes back to the front of the queue
     */
    boolean retryLater(Invocation inv, long delayNanos) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            admission.backOff(inv);
        } finally {
            lock.unlock();
        }
        if (delayNanos <= 0) {
            retryDue(inv);
        } else {
            env.timers().schedule(() -> retryDue(inv), delayNanos);
        }
        return true;
    }

    private void retryDue(Invocation inv) {
        locked(after -> {
            if (admission.backedOff(inv)) { // else close() has it
                offer(inv, true, after);
            }
        });
    }

    /** An invocation has its outcome: reported, then the next event of its order key goes. */
    void finished(Invocation inv, Outcome outcome) {
        try {
            env.listener().completed(config.function(), outcome);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "invocation listener threw", e);
        }
        inv.future.complete(outcome);
        if (inv.options.orderKey() == null) {
            return; // held no key: nothing waits for it (holdsKey is never set without one)
        }
        locked(after -> {
            // The key goes on to the next event that runs: those that end without running (expired, refused,
            // or the function closing) pass it along here, in a loop, so that their own ends find no key to
            // hand on and a long run of them cannot nest one end inside another.
            Invocation next = admission.leaveLane(inv);
            while (next != null) {
                boolean goes;
                if (closed) {
                    Invocation removed = next;
                    after.add(() -> removed.endUnrun(Kind.REJECTED, REMOVED));
                    goes = false;
                } else {
                    goes = offer(next, false, after);
                }
                next = goes ? null : admission.leaveLane(next);
            }
        });
    }

    /**
     * Whether the queue is full and the publishers that feed it should stop sending: only with
     * {@link Overflow#BACKPRESSURE}. Lock-free.
     */
    public boolean saturated() {
        return pressure.saturated();
    }

    /** Runs {@code action} once the queue has drained to half its size (at once if it is not full). */
    public void whenDrained(Runnable action) {
        boolean registered;
        lock.lock();
        try {
            registered = pressure.register(action, closed);
        } finally {
            lock.unlock();
        }
        if (!registered) {
            action.run();
        }
    }

    /** The instances, the queue and the last decision now. */
    public DispatcherStatus status() {
        lock.lock();
        try {
            return DispatcherStatus.read(pool, admission, scaling, overflowed, env);
        } finally {
            lock.unlock();
        }
    }

    /** Rejects what waits, closes every instance, and stops deciding. Running events finish or fail. */
    @Override
    public void close() {
        List<Invocation> dropped = new ArrayList<>();
        List<Invocation> retrying;
        List<PooledInstance> closing;
        List<Runnable> after = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            scaling.stop();
            dropped.addAll(admission.takeQueued());
            dropped.addAll(admission.takeLanes());
            retrying = admission.takeBackingOff();
            closing = pool.clear();
            queueChanged(after);
            readyReport.report(pool.ready());
        } finally {
            lock.unlock();
        }
        StepLock.runAll(after);
        for (Invocation inv : dropped) {
            inv.endUnrun(Kind.REJECTED, REMOVED);
        }
        for (Invocation inv : retrying) {
            inv.giveUp();
        }
        for (PooledInstance p : closing) {
            instances.close(p.instance);
        }
        if (keepAlive != null) {
            keepAlive.seat().leave();
        }
    }

    /** Runs {@code step} under the lock, then what it asked for: never a callback with the lock held. */
    private void locked(StepLock.Step step) {
        lock.run(after -> {
            step.run(after);
            readyReport.report(pool.ready());
        });
    }
}
