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
import java.util.concurrent.atomic.AtomicLong;
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
    private boolean closed;

    private final ReentrantLock instanceLock = new ReentrantLock();
    private volatile Live instance;

    /**
     * The instance in use and the attempts running on it. An instance that failed an attempt is retired:
     * the next attempt starts a new one, and the retired one is closed once its last attempt ended, or at
     * once when it is stuck (a timeout) so that the runtime stops the guest. Guarded by {@link #instanceLock}.
     */
    private static final class Live {
        final Instance instance;
        int inFlight;
        boolean retired;
        boolean closed;

        Live(Instance instance) {
            this.instance = instance;
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
        return instance != null;
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
     * {@code started[0]} says it was started, with its phases timed on {@code timing}.
     */
    private Live acquire(boolean[] started, ColdStart timing) throws SandboxException {
        instanceLock.lock();
        try {
            Live current = instance;
            if (current == null) {
                timing.skip(); // waiting for the lock is queueing, not starting
                current = new Live(sandbox.start(spec, timing));
                instance = current;
                started[0] = true;
            }
            current.inFlight++;
            return current;
        } finally {
            instanceLock.unlock();
        }
    }

    /** Ends one attempt on an instance; a failed attempt retires it. */
    private void releaseInstance(Live live, boolean failed) {
        boolean close;
        instanceLock.lock();
        try {
            live.inFlight--;
            if (failed && !live.retired) {
                retireLocked(live);
            }
            close = live.retired && live.inFlight == 0 && !live.closed;
            live.closed |= close;
        } finally {
            instanceLock.unlock();
        }
        if (close) {
            closeQuietly(live);
        }
    }

    /** Retires an instance and closes it now, even with attempts running on it: how a stuck guest is stopped. */
    private void forceRetire(Live live) {
        boolean close;
        instanceLock.lock();
        try {
            retireLocked(live);
            close = !live.closed;
            live.closed = true;
        } finally {
            instanceLock.unlock();
        }
        if (close) {
            closeQuietly(live);
        }
    }

    private void retireLocked(Live live) {
        live.retired = true;
        if (instance == live) {
            instance = null;
            LOG.log(System.Logger.Level.DEBUG, "{0}: instance retired after a failed attempt", config.function());
        }
    }

    private void closeQuietly(Live live) {
        try {
            live.instance.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: closing an instance threw {1}", config.function(), e.toString());
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
        Live current = instance;
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
            boolean[] started = new boolean[1];
            ColdStart timing = new ColdStart(env.nanoTime());
            Live live;
            try {
                live = acquire(started, timing);
            } catch (SandboxException | RuntimeException e) {
                ended(token, null, new Failure(Kind.START_FAILED, e.getMessage(), null));
                return;
            }
            synchronized (this) {
                if (token == currentAttempt) {
                    attemptInstance = live;
                }
            }
            ColdStart cold = started[0] ? timing : null;
            InvocationContext ctx = new InvocationContext(
                    config.function(),
                    id,
                    started[0],
                    cold == null ? Map.of() : cold.byLabel(),
                    env.clock().instant().plus(config.timeout()),
                    functionLog,
                    env.outbox());
            Outcome attemptOutcome;
            try {
                timing.skip();
                attemptOutcome = new Success(live.instance.invoke(event, ctx), null);
            } catch (Exception | LinkageError | StackOverflowError e) {
                attemptOutcome = new Failure(Kind.ERROR, e.toString(), null);
            }
            if (cold != null) {
                cold.mark(Phase.FIRST_CALL);
            }
            releaseInstance(live, attemptOutcome instanceof Failure);
            ended(token, cold, attemptOutcome);
        }

        private void timedOut(Object token) {
            Thread stuck;
            synchronized (this) {
                if (token != currentAttempt) {
                    return;
                }
                stuck = worker;
            }
            stuck.interrupt();
            Live stuckOn;
            synchronized (this) {
                stuckOn = attemptInstance;
            }
            if (stuckOn != null) {
                forceRetire(stuckOn);
            }
            ended(token, null, new Failure(Kind.TIMEOUT, "timed out after " + config.timeout(), null));
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
                currentAttempt = null;
                attemptInstance = null;
                timeout.cancel(false);
                if (cold != null) {
                    coldStart = true;
                    coldStartPhases = cold.byLabel();
                }
                if (attemptOutcome instanceof Failure f && attempts <= config.maxRetries()) {
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
            future.complete(outcome);
            if (heldSlot) {
                release();
            }
        }
    }
}
