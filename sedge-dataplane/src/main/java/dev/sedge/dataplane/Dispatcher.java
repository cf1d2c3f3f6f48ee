package dev.sedge.dataplane;

import dev.sedge.api.Event;
import dev.sedge.api.Result;
import dev.sedge.dataplane.Outcome.Failure;
import dev.sedge.dataplane.Outcome.Info;
import dev.sedge.dataplane.Outcome.Kind;
import dev.sedge.dataplane.Outcome.Success;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Instance;
import dev.sedge.sandbox.Sandbox;
import dev.sedge.sandbox.SandboxException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * One function's dispatcher: takes events, holds them while the function is at its concurrency limit,
 * starts the instance on the first event (the cold start), runs each event on a virtual thread with a
 * deadline, retries failed attempts and reports every outcome.
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
    private volatile Instance instance;

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

    /** Returns the warm instance, starting it first if there is none; the boolean says it was started. */
    private Instance instance(boolean[] started) throws SandboxException {
        Instance current = instance;
        if (current != null) {
            return current;
        }
        instanceLock.lock();
        try {
            if (instance == null) {
                instance = sandbox.start(spec);
                started[0] = true;
            }
            return instance;
        } finally {
            instanceLock.unlock();
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
        instanceLock.lock();
        try {
            if (instance != null) {
                instance.close();
                instance = null;
            }
        } finally {
            instanceLock.unlock();
        }
    }

    /** One dispatched event through its attempts. Its attempt state is guarded by its monitor. */
    private final class Invocation {
        final Event event;
        final String id;
        final long startNanos;
        final CompletableFuture<Outcome> future = new CompletableFuture<>();
        boolean coldStart;
        int attempts;
        Object currentAttempt;
        Thread worker;
        ScheduledFuture<?> timeout;

        Invocation(Event event, String id) {
            this.event = event;
            this.id = id;
            this.startNanos = env.nanoTime().getAsLong();
        }

        Info info(int n) {
            return new Info(id, coldStart, n, env.nanoTime().getAsLong() - startNanos);
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
            Instance target;
            try {
                target = instance(started);
            } catch (SandboxException | RuntimeException e) {
                ended(token, started[0], new Failure(Kind.START_FAILED, e.getMessage(), null));
                return;
            }
            InvocationContext ctx = new InvocationContext(
                    config.function(),
                    id,
                    started[0],
                    env.clock().instant().plus(config.timeout()),
                    functionLog,
                    env.outbox());
            try {
                Result result = target.invoke(event, ctx);
                ended(token, started[0], new Success(result, null));
            } catch (Exception | LinkageError | StackOverflowError e) {
                ended(token, started[0], new Failure(Kind.ERROR, e.toString(), null));
            }
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
            ended(token, false, new Failure(Kind.TIMEOUT, "timed out after " + config.timeout(), null));
        }

        /** One attempt ended; retries or finishes. A stale attempt (already timed out) is ignored. */
        private void ended(Object token, boolean started, Outcome attemptOutcome) {
            synchronized (this) {
                if (token != currentAttempt) {
                    return;
                }
                currentAttempt = null;
                timeout.cancel(false);
                coldStart |= started;
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
