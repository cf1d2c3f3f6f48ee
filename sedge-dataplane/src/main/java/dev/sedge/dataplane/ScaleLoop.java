package dev.sedge.dataplane;

import dev.sedge.dataplane.time.Timers;
import dev.sedge.scaling.Decision;
import dev.sedge.scaling.ScaleSettings;
import dev.sedge.scaling.kpa.KpaDecider;
import dev.sedge.scaling.metrics.ConcurrencyWindow;

/**
 * One function's autoscaling loop: the window its dispatcher reports every change of concurrency to, the
 * decider asked every tick and at the activator's poke, the keep-alive policy's step between zero and one
 * instance when the function has a policy, and the one timer that brings the next decision: every tick
 * while the autoscaler decides, at the plan's next change while the plan does, and none when nothing can
 * change before the next event, so that a function at zero costs no timer.
 *
 * <p>Not thread-safe: guarded by the dispatcher's lock, except the tick, which the timers run and which
 * takes that lock through the dispatcher.
 */
final class ScaleLoop {

    private static final System.Logger LOG = System.getLogger("dev.sedge.dataplane");
    private static final long TICK_NANOS = ScaleSettings.TICK.toNanos();

    private final String function;
    private final ScaleListener listener;
    private final Timers timers;
    private final Runnable onTick;
    private final ConcurrencyWindow window;
    private final KpaDecider decider;
    private final KeepAliveStep keepAlive;
    private final boolean delaysScaleDown;
    private Decision last;
    private Timers.Cancellable tick;
    private long tickDue;

    /**
     * @param onTick what a tick runs: the dispatcher's decision under its lock
     * @param keepAlive the policy's step between zero and one instance, or null for the autoscaler alone
     */
    ScaleLoop(
            DispatcherConfig config, ScaleListener listener, Timers timers, Runnable onTick, KeepAliveStep keepAlive) {
        this.function = config.function();
        this.listener = listener;
        this.timers = timers;
        this.onTick = onTick;
        this.keepAlive = keepAlive;
        this.window = new ConcurrencyWindow(config.scale().window());
        this.delaysScaleDown = !config.scale().scaleDownDelay().isZero();
        long now = timers.nanoTime();
        this.decider = new KpaDecider(config.scale(), config.concurrency(), now);
        window.record(now, 0);
    }

    /** The function holds {@code level} events (running or waiting for a slot) from {@code now} on. */
    void record(long now, int level) {
        window.record(now, level);
    }

    /** A first instance became ready at {@code now}: its first window counts from here. */
    void becameReady(long now) {
        decider.becameReady(now);
    }

    /**
     * Asks the decider (and the plan, when it owns the step between zero and one), aims the pool at the
     * answer, and schedules the next decision: every tick while there is anything to decide (instances,
     * load, or a count to reach), or when the plan changes.
     *
     * @param closed whether the function is being removed: nothing is scheduled then
     * @return what the pool must start and close
     */
    InstancePool.Changes decide(long now, InstancePool pool, Admission admission, boolean closed) {
        int ready = pool.count(PooledInstance.State.READY);
        int level = admission.level();
        Decision d = decide(
                now,
                ready,
                ready + pool.count(PooledInstance.State.STARTING),
                admission.queued() > 0,
                level > 0 || admission.waiting() > 0,
                pool.desired());
        InstancePool.Changes changes = pool.scaleTo(d.desired());
        if (keepAlive != null && keepAlive.prewarms() && !changes.toStart().isEmpty()) {
            try {
                listener.prewarmed(function); // counted when an instance does start, not when one is wanted
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "scale listener threw", e);
            }
        }
        if (!closed) {
            scheduleNext(now, pool.alive() > 0 || level > 0 || pool.desired() > 0, level == 0 && ready == 1);
        }
        return changes;
    }

    /**
     * @param ready instances ready now
     * @param up instances ready or starting
     * @param eventWaits whether an event waits for an instance: the activator never leaves it without one
     * @param holdsEvent whether any event is in the function: running, queued, behind its key or retrying
     * @param previous the count wanted until now
     */
    private Decision decide(long now, int ready, int up, boolean eventWaits, boolean holdsEvent, int previous) {
        Decision d = decider.decide(window, ready, now);
        if (d.desired() == 0 && eventWaits) {
            // The window has not seen the event yet: it arrived this instant.
            d = new Decision(
                    1,
                    d.panic(),
                    "an event waits and no instance is up: start one",
                    now,
                    d.stableConcurrency(),
                    d.panicConcurrency());
        }
        if (keepAlive != null) {
            d = keepAlive.decide(d, holdsEvent, up, now);
        }
        last = d;
        try {
            listener.decided(function, d, previous);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "scale listener threw", e);
        }
        if (d.desired() != previous && LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "{0}: {1} -> {2} instance(s): {3}",
                    function,
                    previous,
                    d.desired(),
                    d.reason());
        }
        return d;
    }

    /**
     * Schedules the decision after the one just taken: at the plan's next change when the plan took it
     * (none when the plan has no change ahead), else the autoscaler's next tick while there is anything to
     * decide. A timer already due no later than the plan's change is left as it is: the decision it brings
     * asks the plan again and moves the timer then, so that a warm function whose every event moves its
     * plan moves its timer at most once a tick, not twice an event.
     *
     * @param anything whether the function has instances, load or a count to reach
     * @param quietAtOne no event running or waiting, and one instance ready
     */
    private void scheduleNext(long now, boolean anything, boolean quietAtOne) {
        if (keepAlive != null && keepAlive.owns()) {
            long due = keepAlive.nextChangeNanos(now);
            if (tick != null && tickDue - due <= 0) {
                return;
            }
            stop();
            if (due != Long.MAX_VALUE) {
                tick = timers.schedule(onTick, due - now);
                tickDue = due;
            }
        } else if (anything) {
            keepTicking(now, quietAtOne);
        }
    }

    /**
     * Schedules the next decision unless one is due as soon: every tick while there is load, and for a
     * function quiet at one instance, at the first instant a decision could want zero (its stable window
     * reads zero, its instance has been up a window, and its retention has passed). Until then every
     * decision would be the same (one instance: any average above zero wants one, and a quiet window's
     * average only falls), so a warm function nobody calls costs one decision a window instead of one
     * every 2 s; an event brings the ticks back at once. On the event path the usual case is a tick
     * already due within 2 s, which returns at the first comparison.
     *
     * @param quietAtOne no event running or waiting, and one instance ready
     */
    void keepTicking(long now, boolean quietAtOne) {
        long due = now + TICK_NANOS;
        if (tick != null && tickDue - due <= 0) {
            return;
        }
        if (quietAtOne && last != null && last.desired() == 1 && !last.panic() && !delaysScaleDown) {
            due = Math.max(due, decider.zeroFrom(window));
            if (tick != null && tickDue - due <= 0) {
                return;
            }
        }
        if (tick != null) {
            tick.cancel();
        }
        tick = timers.schedule(onTick, due - now);
        tickDue = due;
    }

    /** The tick that was scheduled is running now. */
    void ticked() {
        tick = null;
    }

    /** No more ticks. */
    void stop() {
        if (tick != null) {
            tick.cancel();
            tick = null;
        }
    }

    /** The last decision, or null before the first. */
    Decision last() {
        return last;
    }

    /** The policy's step, or null for the autoscaler alone. */
    KeepAliveStep keepAlive() {
        return keepAlive;
    }
}
