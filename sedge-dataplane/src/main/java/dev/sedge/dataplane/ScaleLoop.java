package dev.sedge.dataplane;

import dev.sedge.dataplane.time.Timers;
import dev.sedge.scaling.Decider;
import dev.sedge.scaling.Decision;
import dev.sedge.scaling.ScaleSettings;
import dev.sedge.scaling.kpa.KpaDecider;
import dev.sedge.scaling.metrics.ConcurrencyWindow;
import java.time.Duration;

/**
 * One function's autoscaling loop: the window its dispatcher reports every change of concurrency to, the
 * decider asked every tick and at the activator's poke, and the tick itself, scheduled only while there
 * is anything to decide, so that a function at zero costs no timer.
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
    private final Decider decider;
    private final Duration stableWindow;
    private final boolean delaysScaleDown;
    private Decision last;
    private Timers.Cancellable tick;
    private long tickDue;

    /** @param onTick what a tick runs: the dispatcher's decision under its lock */
    ScaleLoop(DispatcherConfig config, ScaleListener listener, Timers timers, Runnable onTick) {
        this.function = config.function();
        this.listener = listener;
        this.timers = timers;
        this.onTick = onTick;
        this.window = new ConcurrencyWindow(config.scale().window());
        this.stableWindow = config.scale().window();
        this.delaysScaleDown = !config.scale().scaleDownDelay().isZero();
        long now = timers.nanoTime();
        this.decider = new KpaDecider(config.scale(), config.concurrency(), now);
        window.record(now, 0);
    }

    /** The function holds {@code level} events (running or waiting for a slot) from {@code now} on. */
    void record(long now, int level) {
        window.record(now, level);
    }

    /**
     * Asks the decider.
     *
     * @param ready instances ready now
     * @param eventWaits whether an event waits for an instance: the activator never leaves it without one
     * @param previous the count wanted until now
     */
    Decision decide(long now, int ready, boolean eventWaits, int previous) {
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
     * Schedules the next decision unless one is due as soon: every tick while there is load, and for a
     * function quiet at one instance, at the first instant its stable window can read zero. Until then
     * every decision would be the same (one instance: any average above zero wants one, and a quiet
     * window's average only falls), so a warm function nobody calls costs one decision a window instead
     * of one every 2 s; an event brings the ticks back at once. On the event path the usual case is a
     * tick already due within 2 s, which returns at the first comparison.
     *
     * @param quietAtOne no event running or waiting, and one instance ready
     */
    void keepTicking(long now, boolean quietAtOne) {
        long due = now + TICK_NANOS;
        if (tick != null && tickDue - due <= 0) {
            return;
        }
        if (quietAtOne && last != null && last.desired() == 1 && !last.panic() && !delaysScaleDown) {
            due = Math.max(due, window.quietFrom(stableWindow));
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
}
