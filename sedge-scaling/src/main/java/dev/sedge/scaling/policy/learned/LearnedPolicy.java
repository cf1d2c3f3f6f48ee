package dev.sedge.scaling.policy.learned;

import dev.sedge.scaling.policy.KeepAlivePolicy;
import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.WarmPlan;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Sedge's own keep-alive and pre-warm policy ({@code sedge}; a descriptor's {@code prewarm: auto}),
 * designed for IoT traffic:
 *
 * <ul>
 *   <li>Each function's next idle gap is expected to look like its recent ones. After every event the
 *       policy picks at most two windows in which an instance is ready ({@link WarmWindows}): a
 *       keep-alive that catches the short gaps of a burst, and a pre-warm that catches a periodic or
 *       quasi-periodic sensor's next report just before it is due, each only where a cold start avoided
 *       is worth the idle time it costs. The sample is not the whole truth: some weight goes to gaps it
 *       has not shown ({@link #UNSEEN_GAPS}), and the last window lasts at least {@link #HOLD_WORTHS}
 *       cold starts' worth after the event, for the gap longer than all seen that comes now and then.
 *   <li>A function with too few gaps of its own borrows those of all functions together, since the
 *       devices of one site tend to look alike.
 *   <li>Diurnal cycles ({@link DailyWakes}): a function that wakes from a long silence at about the same
 *       time on many weekdays (or weekends) is pre-warmed at that time of day.
 *   <li>Devices that move together ({@link Neighbours}): a function that woke cold just after another
 *       woke is warmed the next times that one wakes, when it has followed often enough to be worth it.
 * </ul>
 *
 * <p>One trade-off rules every choice: a cold start is worth {@link #COLD_START_WORTH} of one idle
 * instance. Not thread-safe; reads no clock.
 */
public final class LearnedPolicy implements KeepAlivePolicy {

    public static final String NAME = "sedge";

    /**
     * What one cold start avoided is worth by default, in time one instance may sit idle for it
     * ({@link PolicyContext#coldStartWorthMillis()}).
     */
    public static final Duration COLD_START_WORTH = Duration.ofMillis(PolicyContext.COLD_START_WORTH_MILLIS_DEFAULT);
    /**
     * How soon after a neighbour a follower must wake to count, and how long it is warmed for at most, at
     * the default worth; it scales with the worth.
     */
    public static final Duration LEAD = Duration.ofMinutes(5);
    /** Gaps a function needs before its own are used instead of everyone's. */
    static final int OWN_GAPS = 4;

    static final int OWN_CAPACITY = 64;
    static final int SHARED_CAPACITY = 256;
    /** Reports of a periodic function that may be lost in a row before it is left cold. */
    static final int LOST_REPORTS = 2;
    /** Events after which the windows are chosen again even if every gap was caught. */
    static final int RECHOOSE_EVERY = 16;
    /** How far a gap may fall from the ones seen, as a share of them: windows are that much wider. */
    static final double JITTER = 0.05;

    /**
     * Gaps' weight the windows give to gaps the sample has not shown (spread over all lengths): a hole
     * between the gaps seen, or a gap shorter or longer than all of them, comes now and then.
     */
    static final double UNSEEN_GAPS = 2;
    /**
     * How long after an event, in cold starts' worth, the last window lasts at least. A gap longer than all
     * the n seen comes once in about n + 1; if such gaps thin out as a heavy tail does, keeping an instance
     * about a cold start's worth past the last window is what prices them best. A quarter more covers an
     * hourly reporter's first reports, before its period is known.
     */
    static final double HOLD_WORTHS = 1.25;

    private final long coldStart;
    private final double worth;
    private final GapSample shared = new GapSample(SHARED_CAPACITY);
    private final Neighbours neighbours;
    private final Map<String, FunctionState> functions = new HashMap<>();

    /** Pricing a cold start as the context says, with a lead of a twelfth of that (5 min for an hour). */
    public LearnedPolicy(PolicyContext context) {
        this(
                context,
                Duration.ofMillis(context.coldStartWorthMillis()),
                Duration.ofMillis(context.coldStartWorthMillis() * LEAD.toMillis() / COLD_START_WORTH.toMillis()));
    }

    public LearnedPolicy(PolicyContext context, Duration coldStartWorth, Duration lead) {
        this.coldStart = context.coldStartMillis();
        this.worth = coldStartWorth.toMillis();
        this.neighbours = new Neighbours(lead.toMillis(), worth, coldStart);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> arrived(String function, long at) {
        FunctionState state = functions.get(function);
        boolean first = state == null;
        if (first) {
            state = new FunctionState();
            functions.put(function, state);
        }
        boolean wasReady = !first && state.readyAt(at, coldStart);
        // Whether its own windows caught it, whatever a neighbour's lead did: what neighbours are credited on.
        boolean ownCaught = !first && state.readyByOwn(at);
        long gap = first ? Long.MAX_VALUE : at - state.last;
        if (!first) {
            state.gaps.add(gap);
            shared.add(gap);
        }
        state.daily.event(at, gap, worth);
        state.last = at;
        state.seen = true;
        GapSample sample = state.gaps.size() >= OWN_GAPS ? state.gaps : shared;
        // Choosing costs O(n^2 log n): choose again when the gap was a surprise, when the sample is
        // borrowed or young, and otherwise every few events.
        state.sinceChoice++;
        if (first || !wasReady || sample == shared || state.borrowed || state.sinceChoice >= RECHOOSE_EVERY) {
            state.sinceChoice = 0;
            state.borrowed = sample == shared;
            state.learnedFrom = sample.size();
            long[] gaps = sample.quantiles(WarmWindows.MAX_GAPS);
            WarmWindows.Window[] chosen = sample.size() == 0
                    ? new WarmWindows.Window[0]
                    : WarmWindows.choose(gaps, worth, coldStart, JITTER, UNSEEN_GAPS);
            state.period = period(chosen, gaps);
            state.windows = hold(chosen);
        }
        if (gap <= neighbours.leadMillis()) {
            return Set.of();
        }
        neighbours.woke(function, at, !first && !ownCaught);
        Set<String> warmed = new LinkedHashSet<>();
        for (Neighbours.Follower follower : neighbours.worthWarming(function)) {
            FunctionState f = functions.get(follower.function());
            if (f != null && !f.readyAt(at + coldStart, coldStart)) {
                f.leadFrom = at;
                f.leadUntil = at + follower.forMillis();
                f.leader = function;
                f.leaderShare = follower.credits() + " of " + follower.leaderWakes();
                warmed.add(follower.function());
            }
        }
        return warmed;
    }

    @Override
    public WarmPlan plan(String function, long now) {
        FunctionState state = functions.get(function);
        if (state == null) {
            return WarmPlan.none("no event yet");
        }
        return state.plan(now, coldStart);
    }

    @Override
    public void removed(String function) {
        functions.remove(function);
        neighbours.removed(function);
    }

    /** The windows with the last one lasting {@link #HOLD_WORTHS} cold starts' worth at least. */
    private WarmWindows.Window[] hold(WarmWindows.Window[] windows) {
        long until = (long) (worth * HOLD_WORTHS);
        if (windows.length == 0) {
            return new WarmWindows.Window[] {new WarmWindows.Window(0, until)};
        }
        WarmWindows.Window last = windows[windows.length - 1];
        if (last.until() >= until) {
            return windows;
        }
        WarmWindows.Window[] held = windows.clone();
        held[held.length - 1] = new WarmWindows.Window(last.from(), until);
        return held;
    }

    /**
     * The function's period, if it has one: a last window that is a pre-warm narrower than half its start
     * and catches most of the gaps. A report that does not come in it was more likely lost than the
     * sensor gone, so the next {@link #LOST_REPORTS} periods are warmed too.
     */
    private static WarmWindows.Window period(WarmWindows.Window[] windows, long[] gaps) {
        if (windows.length == 0) {
            return null;
        }
        WarmWindows.Window w = windows[windows.length - 1];
        if (w.from() == 0 || w.until() - w.from() > w.from() / 2) {
            return null;
        }
        int caught = 0;
        for (long g : gaps) {
            caught += w.from() <= g && g < w.until() ? 1 : 0;
        }
        return caught * 2 > gaps.length ? w : null;
    }

    /** What the policy knows of one function. */
    private static final class FunctionState {
        final GapSample gaps = new GapSample(OWN_CAPACITY);
        final DailyWakes daily = new DailyWakes();
        boolean seen;
        long last;
        boolean borrowed;
        int learnedFrom;
        int sinceChoice;
        /** The window the function reports in when it is periodic, else null. */
        WarmWindows.Window period;

        WarmWindows.Window[] windows = new WarmWindows.Window[0];
        long leadFrom = Long.MIN_VALUE;
        long leadUntil = Long.MIN_VALUE;
        String leader;
        String leaderShare;

        /** Whether an instance is ready at {@code at} by the current plan. */
        boolean readyAt(long at, long coldStart) {
            return readyByOwn(at) || leadFrom + coldStart <= at && at < leadUntil;
        }

        /** Whether an instance is ready at {@code at} by the function's own windows. */
        boolean readyByOwn(long at) {
            if (at == last) {
                return true;
            }
            for (WarmWindows.Window w : windows) {
                if (last + w.from() <= at && at < last + w.until()) {
                    return true;
                }
            }
            if (daily.covers(at)) {
                return true;
            }
            WarmWindows.Window periodic = period;
            for (int lost = 1; periodic != null && lost <= LOST_REPORTS; lost++) {
                if (last + (lost + 1) * periodic.from() <= at && at < last + (lost + 1) * periodic.until()) {
                    return true;
                }
            }
            return false;
        }

        WarmPlan plan(long now, long coldStart) {
            // Windows in order of start; the first run of overlapping ones that is not over is the plan.
            long from = Long.MAX_VALUE;
            long until = Long.MIN_VALUE;
            long[] first = null;
            for (long[] c : candidates(coldStart, now)) {
                if (c[1] <= c[0] || c[1] <= now) {
                    continue;
                }
                if (first == null) {
                    first = c;
                    from = c[0];
                    until = c[1];
                } else if (c[0] <= until) {
                    until = Math.max(until, c[1]);
                } else {
                    break;
                }
            }
            // The reason is written when read, perhaps on another thread and after more events: it is
            // made from what is known now (the windows array is replaced, never changed).
            int sampled = learnedFrom;
            boolean fromAll = borrowed;
            WarmWindows.Window[] chosen = windows;
            if (first == null) {
                return WarmPlan.keep(now, now, () -> "nothing expected soon: " + summary(sampled, fromAll, chosen));
            }
            long warmUntil = until;
            String what = describe(first);
            if (from <= now) {
                return WarmPlan.keep(now, warmUntil, () -> what + "; " + summary(sampled, fromAll, chosen))
                        .reviewedAt(warmUntil);
            }
            return WarmPlan.prewarm(from, warmUntil, () -> what + "; " + summary(sampled, fromAll, chosen))
                    .reviewedAt(warmUntil);
        }

        /** Each window as {start, until, kind}: 0 keep-alive, 1 pre-warm, 2 a neighbour's lead. */
        private long[][] candidates(long coldStart, long now) {
            WarmWindows.Window periodic = period;
            long[] d = daily.nextWindow(now);
            long[][] c = new long[windows.length + 2 + (periodic == null ? 0 : LOST_REPORTS) + (d == null ? 0 : 1)][];
            if (d != null) {
                c[c.length - 1] = new long[] {d[0] - coldStart, d[1], 4};
            }
            int k = 0;
            c[k++] = new long[] {last, last + 1, 0};
            for (WarmWindows.Window w : windows) {
                c[k++] = w.from() == 0
                        ? new long[] {last, last + w.until(), 0}
                        : new long[] {last + w.from() - coldStart, last + w.until(), 1};
            }
            for (int lost = 1; periodic != null && lost <= LOST_REPORTS; lost++) {
                c[k++] = new long[] {
                    last + (lost + 1) * periodic.from() - coldStart, last + (lost + 1) * periodic.until(), 3
                };
            }
            c[k] = new long[] {leadFrom, leadUntil, 2};
            java.util.Arrays.sort(c, (a, b) -> Long.compare(a[0], b[0]));
            return c;
        }

        private String describe(long[] c) {
            return switch ((int) c[2]) {
                case 0 -> "kept after the last event";
                case 1 -> "pre-warmed where this function's next event is due";
                case 2 ->
                    "pre-warmed because " + leader + " woke and this function followed " + leaderShare
                            + " of its wakes";
                case 4 -> "pre-warmed at the time of day this function often wakes";
                default -> "pre-warmed a period later: the last report may have been lost";
            };
        }

        private static String summary(int learnedFrom, boolean borrowed, WarmWindows.Window[] windows) {
            StringBuilder s = new StringBuilder("learned from ")
                    .append(learnedFrom)
                    .append(borrowed ? " gaps of all functions" : " gaps of its own");
            for (WarmWindows.Window w : windows) {
                s.append(w.from() == 0 ? ", keep " : ", ready ")
                        .append(w.from() == 0 ? "" : Duration.ofMillis(w.from()) + " to ")
                        .append(Duration.ofMillis(w.until()));
            }
            return s.toString();
        }
    }
}
