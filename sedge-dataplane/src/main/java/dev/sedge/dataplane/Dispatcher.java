package dev.sedge.dataplane;

import dev.sedge.api.Event;
import dev.sedge.dataplane.Outcome.Failure;
import dev.sedge.dataplane.Outcome.Info;
import dev.sedge.dataplane.Outcome.Kind;
import dev.sedge.dataplane.Outcome.Success;
import dev.sedge.sandbox.ColdStart;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Instance;
import dev.sedge.sandbox.Phase;
import dev.sedge.sandbox.Sandbox;
import dev.sedge.sandbox.SandboxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * One function's dispatcher: takes events, holds them while the function is at its concurrency limit,
 * starts the instance on the first event (the cold start, timed phase by phase), runs each event on a
 * virtual thread with a deadline, replaces the instance after a failed attempt, retries failed attempts and
 * reports every outcome.
 *
 * <p>It counts its own concurrency, so no proxy in front of the function has to. Thread-safe;
 * {@link #dispatch} never blocks. Lifecycle: construct, dispatch, {@link #close()}.
 */
public final class Dispatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.sedge.dataplane");

    private static final String REMOVED = "function is being removed";

    /** Collaborators shared by every dispatcher of a node. */
    public record Environment(
            InvocationListener listener,
            Outbox outbox,
            ScheduledExecutorService timer,
            Clock clock,
            LongSupplier nanoTime) {}

    private final DispatcherConfig config;
    private final Sandbox sandbox;
    private final FunctionSpec spec;
    private final Environment env;
    private final System.Logger functionLog;
    private final AtomicLong invocationSeq = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Invocation> queue = new ArrayDeque<>();
    private int running;
    /** Set under {@link #lock}; read without it by a start, which must not leave an instance behind. */
    private volatile boolean closed;

    /** Serialises starting an instance; the warm path never takes it. */
    private final ReentrantLock instanceLock = new ReentrantLock();

    private final AtomicReference<Live> instance = new AtomicReference<>();

    /**
     * The instance in use and the attempts running on it. An instance that failed an attempt is retired:
     * the next attempt starts a new one, and the retired one is closed once its last attempt ended, or at
     * once when it is stuck (a timeout) so that the runtime stops the guest.
     *
     * <p>Lock-free: an attempt counts itself in, then reads {@code retired}; retiring writes {@code
     * retired}, then reads the count. Each side sees the other's write, so whichever comes last closes
     * the instance, and {@link #claimClose} lets only one of them.
     */
    private static final class Live {
        final Instance instance;
        final AtomicInteger inFlight = new AtomicInteger();
        volatile boolean retired;
        private final AtomicBoolean closed = new AtomicBoolean();

        Live(Instance instance) {
            this.instance = instance;
        }

        /** True for the one caller that is to close the instance. */
        boolean claimClose() {
            return closed.compareAndSet(false, true);
        }
    }

    public Dispatcher(DispatcherConfig config, Sandbox sandbox, FunctionSpec spec, Environment env) {
        this.config = config;
        this.sandbox = sandbox;
        this.spec = spec;
        this.env = env;
        this.functionLog = System.getLogger("function." + config.function());
    }

    /** Dispatches one event; the future completes with its outcome and never exceptionally. */
    public CompletableFuture<Outcome> dispatch(Event event) {
        Invocation inv = new Invocation(event, config.function() + "-" + invocationSeq.incrementAndGet());
        boolean start = false;
        boolean reject = false;
        lock.lock();
        try {
            if (closed) {
                reject = true;
            } else if (running < config.concurrency()) {
                running++;
                start = true;
            } else if (queue.size() < config.maxQueued()) {
                queue.add(inv);
            } else {
                reject = true;
            }
        } finally {
            lock.unlock();
        }
        if (reject) {
            inv.finish(
                    new Failure(Kind.REJECTED, closed ? "function is being removed" : "queue full", inv.info(0)),
                    false);
        } else if (start) {
            inv.attempt();
        }
        return inv.future;
    }

    /** Events running now. */
    public int running() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    /** Events waiting for a free slot. */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether an instance is started (warm). */
    public boolean warm() {
        return instance.get() != null;
    }

    /** Frees the slot of a finished invocation for the next queued one. */
    private void release() {
        Invocation next;
        lock.lock();
        try {
            next = queue.poll();
            if (next == null) {
                running--;
            }
        } finally {
            lock.unlock();
        }
        if (next != null) {
            next.attempt();
        }
    }

    /**
     * Returns the warm instance with one more attempt counted on it, starting it first if there is none;
     * when it was started, {@code started[0]} holds the timing of its phases (a warm event times nothing).
     */
    private Live acquire(ColdStart[] started) throws SandboxException {
        Live current = instance.get();
        if (current != null && enter(current)) {
            return current;
        }
        instanceLock.lock();
        try {
            if (closed) {
                throw new SandboxException(REMOVED);
            }
            current = instance.get();
            if (current != null && enter(current)) {
                return current;
            }
            // Timed from here: waiting for the lock was queueing, not starting.
            ColdStart timing = new ColdStart(env.nanoTime());
            current = new Live(sandbox.start(spec, timing));
            current.inFlight.incrementAndGet();
            instance.set(current);
            // close() sets the flag, then reads the instance; this writes the instance, then reads the
            // flag: one of the two sees the other, so an instance started during close() is closed.
            if (closed) {
                forceRetire(current);
                throw new SandboxException(REMOVED);
            }
            started[0] = timing;
            return current;
        } finally {
            instanceLock.unlock();
        }
    }

    /** Counts one more attempt on an instance; false, with the count undone, when it was retired meanwhile. */
    private boolean enter(Live live) {
        live.inFlight.incrementAndGet();
        if (!live.retired) {
            return true;
        }
        leave(live);
        return false;
    }

    /** Counts one attempt off an instance; the last one off a retired instance closes it. */
    private void leave(Live live) {
        if (live.inFlight.decrementAndGet() == 0 && live.retired && live.claimClose()) {
            closeQuietly(live);
        }
    }

    /** Ends one attempt on an instance; a failed attempt retires it. */
    private void releaseInstance(Live live, boolean failed) {
        if (failed) {
            retire(live);
        }
        leave(live);
    }

    /** Retires an instance: no new attempt goes to it, and it is closed once no attempt runs on it. */
    private void retire(Live live) {
        live.retired = true;
        if (instance.compareAndSet(live, null)) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: instance retired after a failed attempt", config.function());
        }
        if (live.inFlight.get() == 0 && live.claimClose()) {
            closeQuietly(live);
        }
    }

    /** Retires an instance and closes it now, even with attempts running on it: how a stuck guest is stopped. */
    private void forceRetire(Live live) {
        retire(live);
        if (live.claimClose()) {
            closeQuietly(live);
        }
    }

    /** Closes an instance; a worker interrupted by its timeout may call this, so the flag is kept aside. */
    private void closeQuietly(Live live) {
        boolean interrupted = Thread.interrupted();
        try {
            live.instance.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: closing an instance threw {1}", config.function(), e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Rejects what is queued and retires the instance. In-flight events finish or time out. */
    @Override
    public void close() {
        ArrayDeque<Invocation> dropped;
        lock.lock();
        try {
            closed = true;
            dropped = new ArrayDeque<>(queue);
            queue.clear();
        } finally {
            lock.unlock();
        }
        for (Invocation inv : dropped) {
            inv.finish(new Failure(Kind.REJECTED, "function is being removed", inv.info(0)), false);
        }
        Live current = instance.get();
        if (current != null) {
            forceRetire(current);
        }
    }

    /** One dispatched event through its attempts. Its attempt state is guarded by its monitor. */
    private final class Invocation {
        final Event event;
        final String id;
        final long startNanos;
        final CompletableFuture<Outcome> future = new CompletableFuture<>();
        boolean coldStart;
        Map<String, Duration> coldStartPhases = Map.of();
        int attempts;
        Object currentAttempt;
        Thread worker;
        Live attemptInstance;
        Map<String, Duration> attemptStartPhases;
        long firstCallStartNanos;
        ScheduledFuture<?> timeout;

        Invocation(Event event, String id) {
            this.event = event;
            this.id = id;
            this.startNanos = env.nanoTime().getAsLong();
        }

        Info info(int n) {
            return new Info(id, coldStart, n, env.nanoTime().getAsLong() - startNanos, coldStartPhases);
        }

        synchronized void attempt() {
            attempts++;
            Object token = new Object();
            currentAttempt = token;
            worker = Thread.ofVirtual().name(id + "#" + attempts).start(() -> run(token));
            timeout =
                    env.timer().schedule(() -> timedOut(token), config.timeout().toNanos(), TimeUnit.NANOSECONDS);
        }

        private void run(Object token) {
            ColdStart[] started = new ColdStart[1];
            Live live;
            try {
                live = acquire(started);
            } catch (Throwable e) {
                String why = e instanceof SandboxException ? e.getMessage() : e.toString();
                ended(token, null, new Failure(Kind.START_FAILED, why, null));
                return;
            }
            ColdStart cold = started[0];
            Map<String, Duration> startPhases = cold == null ? Map.of() : cold.byLabel();
            boolean stale;
            synchronized (this) {
                stale = token != currentAttempt;
                if (!stale) {
                    attemptInstance = live;
                    attemptStartPhases = cold == null ? null : startPhases;
                    if (cold != null) {
                        cold.skip();
                        firstCallStartNanos = env.nanoTime().getAsLong();
                    }
                }
            }
            if (stale) {
                // The attempt timed out while the instance was being started: its event is not run, since the
                // retry (or the failure) already stands for it. The instance is sound and stays warm.
                releaseInstance(live, false);
                return;
            }
            InvocationContext ctx = new InvocationContext(
                    config.function(),
                    id,
                    cold != null,
                    startPhases,
                    env.clock().instant().plus(config.timeout()),
                    functionLog,
                    env.outbox());
            Outcome attemptOutcome;
            try {
                attemptOutcome = new Success(live.instance.invoke(event, ctx), null);
            } catch (Throwable e) {
                // Errors too (a guest's OutOfMemoryError): the attempt fails, its instance is replaced, and
                // the dispatcher's accounting stays right.
                attemptOutcome = new Failure(Kind.ERROR, e.toString(), null);
            }
            if (cold != null) {
                cold.mark(Phase.FIRST_CALL);
            }
            releaseInstance(live, attemptOutcome instanceof Failure);
            ended(token, cold, attemptOutcome);
        }

        /**
         * The attempt ran past its deadline. It is claimed first, so that the worker's own end is stale;
         * then its instance is retired, so that a retry starts a new one; then the worker is interrupted and
         * the instance closed, off the timer thread (a process takes its grace period to stop).
         */
        private void timedOut(Object token) {
            Thread stuck;
            Live stuckOn;
            synchronized (this) {
                if (token != currentAttempt) {
                    return;
                }
                stuck = worker;
                stuckOn = attemptInstance;
                if (attemptStartPhases != null) {
                    // The first call of a cold start did not finish: its phases still count, the first call
                    // up to the deadline.
                    Map<String, Duration> phases = new java.util.LinkedHashMap<>(attemptStartPhases);
                    phases.put(
                            Phase.FIRST_CALL.label(),
                            Duration.ofNanos(env.nanoTime().getAsLong() - firstCallStartNanos));
                    coldStart = true;
                    coldStartPhases = phases;
                }
                claim();
            }
            if (stuckOn != null) {
                retire(stuckOn);
            }
            stuck.interrupt();
            if (stuckOn != null) {
                Thread.ofVirtual().name(id + "-stop").start(() -> forceRetire(stuckOn));
            }
            conclude(new Failure(Kind.TIMEOUT, "timed out after " + config.timeout(), null));
        }

        /**
         * One attempt ended; retries or finishes. A stale attempt (already timed out) is ignored.
         *
         * @param cold the timing of the cold start this attempt made, first call included, or null
         */
        private void ended(Object token, ColdStart cold, Outcome attemptOutcome) {
            synchronized (this) {
                if (token != currentAttempt) {
                    return;
                }
                claim();
                if (cold != null) {
                    coldStart = true;
                    coldStartPhases = cold.byLabel();
                }
            }
            conclude(attemptOutcome);
        }

        /** Makes the current attempt over: a later end of it is stale. Called with the monitor held. */
        private void claim() {
            currentAttempt = null;
            attemptInstance = null;
            attemptStartPhases = null;
            timeout.cancel(false);
        }

        /** Retries a failed attempt while retries are left and the function is not being removed, else finishes. */
        private void conclude(Outcome attemptOutcome) {
            synchronized (this) {
                if (attemptOutcome instanceof Failure f && attempts <= config.maxRetries() && !closed) {
                    LOG.log(
                            System.Logger.Level.DEBUG,
                            "{0}: attempt {1} failed ({2}), retrying",
                            id,
                            attempts,
                            f.message());
                    attempt();
                    return;
                }
            }
            Outcome done = switch (attemptOutcome) {
                case Success s -> new Success(s.result(), info(attempts));
                case Failure f -> new Failure(f.kind(), f.message(), info(attempts));
            };
            finish(done, true);
        }

        void finish(Outcome outcome, boolean heldSlot) {
            try {
                env.listener().completed(config.function(), outcome);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "invocation listener threw", e);
            }
            // The slot is free before anyone learns the outcome, so that they see the dispatcher as it is.
            if (heldSlot) {
                release();
            }
            future.complete(outcome);
        }
    }
}
