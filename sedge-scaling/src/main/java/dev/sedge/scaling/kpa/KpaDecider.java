package dev.sedge.scaling.kpa;

import dev.sedge.scaling.Decider;
import dev.sedge.scaling.Decision;
import dev.sedge.scaling.ScaleSettings;
import dev.sedge.scaling.metrics.ConcurrencyWindow;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Knative's concurrency autoscaler (the KPA), as one function's decider, followed by the bounds and
 * scale-to-zero rules Knative applies afterwards in its reconciler.
 *
 * <ol>
 *   <li>Desired counts from the stable and the panic window: {@code ceil(average / targetPerInstance)},
 *       each kept between {@code floor(ready / maxScaleDownRate)} and {@code ceil(ready * maxScaleUpRate)}.
 *   <li>Panic: entered when the panic window wants at least {@code panicThreshold} times the ready
 *       instances (with none ready, counted as one); left a whole stable window after the last such
 *       decision. While panicking the count never goes down.
 *   <li>Scale-down delay: the highest count wanted within the delay.
 *   <li>Bounds: at least {@code min} (and {@code initial} until that many were ready once), at most
 *       {@code max}.
 *   <li>Scale to zero: only when the stable window saw no event at all; the last instance stays while the
 *       function has had it for less than a stable window, then for {@code retention}. The grace period
 *       holds it too, unless the dispatcher has been in the path for that long: Knative's fast path. A
 *       Sedge dispatcher is always in the path (it is the activator), so the grace period only matters in
 *       a function's first grace period after activation.
 * </ol>
 *
 * <p>Holds the panic and scale-to-zero state between decisions, as Knative's autoscaler does. Not
 * thread-safe; reads no clock.
 */
public final class KpaDecider implements Decider {

    private static final long NONE = Long.MIN_VALUE;

    private final ScaleSettings settings;
    private final double targetPerInstance;
    private final long windowNanos;
    private final long delayNanos;
    private final long inPathSince;

    private long panicSince = NONE;
    private int highWater;
    private long activeSince = NONE;
    private long inactiveSince = NONE;
    private boolean initialReached;
    /** (time, count) of the decisions within the scale-down delay, oldest first. */
    private final ArrayDeque<long[]> recent = new ArrayDeque<>();

    /**
     * @param settings the function's scaling settings
     * @param containerConcurrency the function's hard limit of events per instance
     * @param createdNanos when the function's dispatcher took over its events
     */
    public KpaDecider(ScaleSettings settings, int containerConcurrency, long createdNanos) {
        this.settings = settings;
        this.targetPerInstance = settings.targetPerInstance(containerConcurrency);
        this.windowNanos = settings.window().toNanos();
        this.delayNanos = settings.scaleDownDelay().toNanos();
        this.inPathSince = createdNanos;
        this.initialReached = settings.initial() <= settings.min();
    }

    /** The concurrency one instance is meant to carry. */
    public double targetPerInstance() {
        return targetPerInstance;
    }

    /**
     * The function has a ready instance from {@code nowNanos} on, where it had none: the stable window the
     * last instance must have been up for counts from here rather than from the next decision, which may
     * come a tick later.
     */
    public void becameReady(long nowNanos) {
        if (activeSince == NONE) {
            activeSince = nowNanos;
        }
    }

    /**
     * For a function quiet at one instance that wanted one: the first instant a decision could want zero
     * if no event comes. That is when the stable window reads zero, the instance has been up a whole
     * window, and, once the idle period has begun, the retention (and early on the grace period) has
     * passed. Until then every decision would want one, so the caller need not ask.
     */
    public long zeroFrom(ConcurrencyWindow window) {
        long from = window.quietFrom(settings.window());
        if (activeSince != NONE) {
            from = Math.max(from, activeSince + windowNanos);
        }
        if (inactiveSince != NONE) {
            from = Math.max(from, inactiveSince + settings.retention().toNanos());
            long grace = settings.scaleToZeroGracePeriod().toNanos();
            from = Math.max(from, Math.min(inPathSince, inactiveSince) + grace);
        }
        return from;
    }

    @Override
    public Decision decide(ConcurrencyWindow window, int ready, long now) {
        if (ready >= Math.max(settings.min(), settings.initial())) {
            initialReached = true;
        }
        if (ready == 0) {
            activeSince = NONE;
        } else if (activeSince == NONE) {
            activeSince = now;
        }
        double stable = window.average(now, settings.window());
        double panic = window.average(now, settings.panicWindow());
        int r = Math.max(1, ready);
        int rawStable = (int) Math.min(Integer.MAX_VALUE, Math.ceil(stable / targetPerInstance));
        long quiet = window.quietFrom(settings.window());
        if (rawStable == 0 && (window.level() > 0 || (quiet != Long.MIN_VALUE && now - quiet < 0))) {
            // The window saw an event that the rounded average does not show (a few microseconds of work in
            // a minute): only a window with no event at all may take a function to zero.
            rawStable = 1;
        }
        int rawPanic = (int) Math.min(Integer.MAX_VALUE, Math.ceil(panic / targetPerInstance));
        int upCap = (int) Math.min(Integer.MAX_VALUE, Math.ceil(settings.maxScaleUpRate() * r));
        int downFloor = (int) Math.floor(r / settings.maxScaleDownRate());
        int wantStable = clamp(rawStable, downFloor, upCap);
        int wantPanic = clamp(rawPanic, downFloor, upCap);

        boolean over = (double) rawPanic / r >= settings.panicThresholdPercentage() / 100.0;
        if (over) {
            panicSince = now;
        } else if (panicSince != NONE && now > panicSince + windowNanos) {
            panicSince = NONE;
            highWater = 0;
        }
        boolean panicking = panicSince != NONE;
        int want;
        if (panicking) {
            want = Math.max(Math.max(wantStable, wantPanic), highWater);
            highWater = want;
        } else {
            want = wantStable;
        }
        int limited = want;

        int delayed = want;
        if (delayNanos > 0) {
            recent.addLast(new long[] {now, want});
            while (recent.peekFirst()[0] < now - delayNanos) {
                recent.removeFirst();
            }
            for (long[] d : recent) {
                delayed = (int) Math.max(delayed, d[1]);
            }
            want = delayed;
        }

        int floor = initialReached ? settings.min() : Math.max(settings.min(), settings.initial());
        int bounded = Math.min(Math.max(want, floor), settings.maxOrUnlimited());
        want = bounded;

        Idle idle = Idle.NONE;
        long remaining = 0;
        if (want > 0) {
            inactiveSince = NONE; // an idle period ends with any want
        } else if (ready == 0) {
            inactiveSince = NONE;
            idle = Idle.AT_ZERO;
        } else if (now - activeSince < windowNanos) {
            inactiveSince = NONE; // not idle yet: the instance has not had a whole window
            want = 1;
            idle = Idle.YOUNG;
            remaining = activeSince + windowNanos - now;
        } else {
            if (inactiveSince == NONE) {
                inactiveSince = now;
            }
            long idleFor = now - inactiveSince;
            long hold = Math.max(
                    settings.retention().toNanos() - idleFor,
                    now - inPathSince >= settings.scaleToZeroGracePeriod().toNanos()
                            ? 0
                            : settings.scaleToZeroGracePeriod().toNanos() - idleFor);
            if (hold > 0) {
                want = 1;
                idle = Idle.RETAINED;
                remaining = hold;
            } else {
                idle = Idle.TO_ZERO;
            }
        }
        // The reason is written only when someone reads it: a warm function is decided on every 2 s, and
        // formatting a sentence each time would be most of what an idle node spends.
        Reason why = new Reason(
                this,
                panicking,
                stable,
                panic,
                rawStable,
                rawPanic,
                ready,
                limited,
                delayed,
                floor,
                !initialReached && floor > settings.min(),
                bounded,
                idle,
                remaining);
        return new Decision(want, panicking, why, now, stable, panic);
    }

    /** Why a function at or near zero has the count it has. */
    private enum Idle {
        NONE,
        YOUNG,
        RETAINED,
        TO_ZERO,
        AT_ZERO
    }

    /** The facts of one decision, written out in words on demand. Immutable. */
    private record Reason(
            KpaDecider d,
            boolean panicking,
            double stable,
            double panic,
            int rawStable,
            int rawPanic,
            int ready,
            int limited,
            int delayed,
            int floor,
            boolean initialFloor,
            int bounded,
            Idle idle,
            long remaining)
            implements Supplier<String> {

        @Override
        public String get() {
            ScaleSettings s = d.settings;
            String window = text(d.windowNanos);
            switch (idle) {
                case YOUNG -> {
                    return "no events for " + window + "; the instance has been up for less than that, so it stays "
                            + text(remaining) + " more";
                }
                case RETAINED -> {
                    return "no events for " + window + "; the last instance stays " + text(remaining)
                            + " more (retention " + text(s.retention().toNanos()) + ")";
                }
                case TO_ZERO -> {
                    return "no events for " + window + ": scale to zero";
                }
                case AT_ZERO -> {
                    return "no events for " + window + ": at zero";
                }
                default -> {}
            }
            int r = Math.max(1, ready);
            StringBuilder why = new StringBuilder();
            if (panicking) {
                why.append(String.format(
                        Locale.ROOT,
                        "panic: %s events over the last %s want %d instance(s), %.1fx the %d ready; never down while"
                                + " panicking",
                        num(panic),
                        text(s.panicWindow().toNanos()),
                        rawPanic,
                        (double) rawPanic / r,
                        ready));
            } else {
                why.append(num(stable))
                        .append(" events on average over the last ")
                        .append(window)
                        .append(" at ")
                        .append(num(d.targetPerInstance))
                        .append(" per instance want ")
                        .append(rawStable);
                if (limited != rawStable) {
                    why.append(
                            limited > rawStable
                                    ? "; at most " + s.maxScaleDownRate() + "x fewer than the " + ready + " ready"
                                    : "; at most " + s.maxScaleUpRate() + "x the " + r + " ready");
                }
            }
            if (delayed > limited) {
                why.append("; held at ")
                        .append(delayed)
                        .append(" by the scale-down delay of ")
                        .append(text(d.delayNanos));
            }
            if (bounded > delayed) {
                why.append(
                        initialFloor
                                ? "; raised to the initial " + floor + " until ready"
                                : "; raised to min " + floor);
            } else if (bounded < delayed) {
                why.append("; capped at max ").append(s.max());
            }
            return why.toString();
        }
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Nanoseconds as a user reads them: 1.5s, 60s, 2m. */
    private static String text(long nanos) {
        double s = nanos / 1e9;
        if (s >= 120 && s % 60 == 0) {
            return (long) (s / 60) + "m";
        }
        return num(Math.round(s * 10) / 10.0) + "s";
    }
}
