package dev.sedge.dataplane;

import dev.sedge.api.Event;
import dev.sedge.dataplane.Outcome.Failure;
import dev.sedge.dataplane.Outcome.Info;
import dev.sedge.dataplane.Outcome.Kind;
import dev.sedge.dataplane.Outcome.Success;
import dev.sedge.sandbox.ColdStart;
import dev.sedge.sandbox.Phase;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One dispatched event through its attempts: each attempt runs on a virtual thread against an instance
 * the dispatcher gave it, under a deadline; a failed attempt is retried after a backoff while retries are
 * left; the last attempt's result or failure is the outcome.
 *
 * <p>The attempt state is guarded by the invocation's monitor. Whoever claims an attempt first, its
 * worker ending or its deadline, decides how it ended; the other's end is stale and ignored.
 */
final class Invocation {

    private static final System.Logger LOG = System.getLogger("dev.sedge.dataplane");

    private final Dispatcher owner;
    final Event event;
    final String id;
    final DispatchOptions options;
    final CompletableFuture<Outcome> future = new CompletableFuture<>();
    /** Whether it holds its order key, so that the next event of that key waits for it. Dispatcher's lock. */
    boolean holdsKey;

    private final int maxRetries;
    private final long startNanos;

    // Guarded by this.
    private boolean coldStart;
    private Map<String, Duration> coldStartPhases = Map.of();
    private int attempts;
    /** The attempt running, which is also its deadline; null between attempts. */
    private Attempt currentAttempt;

    private Thread worker;
    private Map<String, Duration> attemptStartPhases;
    private long firstCallStartNanos;
    private boolean firstCallStarted;
    /** Whether the current attempt runs on the dispatching thread, which a timeout must not interrupt. */
    private boolean runningHere;

    Invocation(Dispatcher owner, Event event, String id, DispatchOptions options) {
        this.owner = owner;
        this.event = event;
        this.id = id;
        this.options = options;
        this.maxRetries = options.maxRetries() >= 0
                ? options.maxRetries()
                : owner.config.retry().maxRetries();
        this.startNanos = owner.env.stopwatch().getAsLong();
    }

    synchronized Info info() {
        return new Info(id, coldStart, attempts, owner.env.stopwatch().getAsLong() - startNanos, coldStartPhases);
    }

    synchronized int attempts() {
        return attempts;
    }

    /**
     * Starts an attempt on an instance whose slot the dispatcher took for it. Returns the attempt's body,
     * which the caller runs on a thread of its choosing: a new virtual thread, or the thread that has just
     * started the instance.
     *
     * @param cold the timing of the start of the instance this event waited for, or null
     */
    synchronized Runnable attempt(PooledInstance on, ColdStart cold) {
        Attempt token = begin(on, cold);
        return () -> run(token, on, cold);
    }

    /** One attempt: its deadline, and what tells a stale end from the current one. */
    private final class Attempt extends Deadlines.Deadline {
        private final PooledInstance on;

        Attempt(PooledInstance on) {
            this.on = on;
        }

        @Override
        void expired() {
            timedOut(this, on);
        }
    }

    private synchronized Attempt begin(PooledInstance on, ColdStart cold) {
        attempts++;
        Attempt token = new Attempt(on);
        currentAttempt = token;
        attemptStartPhases = cold == null ? null : cold.byLabel();
        runningHere = false;
        owner.deadlines.track(token);
        return token;
    }

    /** Runs an attempt on the calling thread (a warm instance: no cold start). */
    void attemptHere(PooledInstance on) {
        Attempt token;
        synchronized (this) {
            token = begin(on, null);
            runningHere = true;
        }
        boolean[] here = InlineGate.entered();
        try {
            run(token, on, null);
        } finally {
            InlineGate.left(here);
        }
    }

    /** Starts an attempt on a new virtual thread. */
    void attemptOnNewThread(PooledInstance on, ColdStart cold) {
        Runnable body = attempt(on, cold);
        // The worker records itself when it begins: a deadline that falls before then finds none to interrupt.
        Thread.ofVirtual().name(id + "#" + attempts()).start(body);
    }

    private void run(Attempt token, PooledInstance on, ColdStart cold) {
        Map<String, Duration> startPhases = cold == null ? Map.of() : cold.byLabel();
        synchronized (this) {
            if (token != currentAttempt) {
                return; // timed out before it could begin
            }
            worker = Thread.currentThread();
            if (cold != null) {
                cold.skip();
                firstCallStartNanos = owner.env.stopwatch().getAsLong();
                firstCallStarted = true;
            }
        }
        InvocationContext ctx = new InvocationContext(
                owner.config.function(),
                id,
                cold != null,
                startPhases,
                owner.env.clock().instant().plus(owner.config.timeout()),
                owner.functionLog,
                owner.env.outbox());
        Outcome attemptOutcome;
        long began = owner.env.stopwatch().getAsLong();
        try {
            attemptOutcome = new Success(on.instance.invoke(event, ctx), null);
        } catch (Throwable e) {
            // Errors too (a guest's OutOfMemoryError): the attempt fails, its instance is replaced, and the
            // dispatcher's accounting stays right.
            attemptOutcome = new Failure(Kind.ERROR, e.toString(), null);
        }
        owner.inline.ran(owner.env.stopwatch().getAsLong() - began);
        if (cold != null) {
            cold.mark(Phase.FIRST_CALL);
        }
        synchronized (this) {
            if (token != currentAttempt) {
                return; // its deadline claimed it: that end stands
            }
            claim();
            if (cold != null) {
                coldStart = true;
                coldStartPhases = cold.byLabel();
            }
        }
        owner.attemptEnded(on, attemptOutcome instanceof Failure);
        conclude(attemptOutcome);
    }

    /**
     * The attempt ran past its deadline. It is claimed first, so that the worker's own end is stale; then
     * the dispatcher frees its slot and stops its instance (a runaway guest is stopped by closing it); then
     * the worker is interrupted.
     */
    private void timedOut(Attempt token, PooledInstance on) {
        Thread stuck;
        synchronized (this) {
            if (token != currentAttempt) {
                return;
            }
            // The dispatching thread (an event loop) is not the attempt's to interrupt: closing the instance
            // stops a wasm guest there.
            stuck = runningHere ? null : worker;
            if (attemptStartPhases != null) {
                // The first call of a cold start did not finish: its phases still count, the first call up to
                // the deadline (or nothing, when it never began).
                Map<String, Duration> phases = new LinkedHashMap<>(attemptStartPhases);
                long firstCall = firstCallStarted ? owner.env.stopwatch().getAsLong() - firstCallStartNanos : 0;
                phases.put(Phase.FIRST_CALL.label(), Duration.ofNanos(firstCall));
                coldStart = true;
                coldStartPhases = phases;
            }
            claim();
        }
        owner.attemptTimedOut(on);
        if (stuck != null) {
            stuck.interrupt();
        }
        conclude(new Failure(Kind.TIMEOUT, "timed out after " + owner.config.timeout(), null));
    }

    /** Makes the current attempt over: a later end of it is stale. Called with the monitor held. */
    private void claim() {
        Attempt claimed = currentAttempt;
        currentAttempt = null;
        worker = null;
        attemptStartPhases = null;
        firstCallStarted = false;
        claimed.cancel();
    }

    /** An attempt could not run because no instance could be started for it. */
    void startFailed(String why) {
        synchronized (this) {
            attempts++;
        }
        conclude(new Failure(Kind.START_FAILED, why, null));
    }

    /** Retries a failed attempt after its backoff while retries are left, else finishes. */
    private void conclude(Outcome attemptOutcome) {
        if (attemptOutcome instanceof Failure f) {
            int n = attempts();
            lastFailure = f;
            if (n <= maxRetries && owner.retryLater(this, owner.config.retry().delayNanos(n, owner.env.random()))) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: attempt {1} failed ({2}), retrying", id, n, f.message());
                return;
            }
        }
        finish(attemptOutcome);
    }

    /** The failure of the last attempt, for an invocation whose retry cannot happen. */
    private volatile Failure lastFailure;

    /** Ends with the last attempt's failure: its retry was not to be. */
    void giveUp() {
        Failure f = lastFailure;
        finish(f != null ? f : new Failure(Kind.REJECTED, "function is being removed", null));
    }

    /** Ends without running (again): refused, or expired while it waited. */
    void endUnrun(Kind kind, String why) {
        finish(new Failure(kind, why, null));
    }

    private void finish(Outcome attemptOutcome) {
        Info info = info();
        Outcome done = switch (attemptOutcome) {
            case Success s -> new Success(s.result(), info);
            case Failure f -> new Failure(f.kind(), f.message(), info);
        };
        owner.finished(this, done);
    }
}
