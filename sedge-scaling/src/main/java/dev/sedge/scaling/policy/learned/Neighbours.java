package dev.sedge.scaling.policy.learned;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Learns which functions wake others: devices that move together (the sensors of one room, a person
 * walking past one door and then the next). A function's <em>wake</em> is an event after it has been
 * quiet for longer than the lead time; when a function wakes cold, every function that woke within the
 * lead time before it is credited as its leader. Later, when a leader wakes, each follower it has woken
 * often enough is worth warming for the lead time: when the chance that it follows, times what a cold
 * start is worth, exceeds the idle time expected of the warm instance.
 *
 * <p>Bounded: at most {@link #LEADERS} leaders are remembered per follower (the weakest is forgotten),
 * and only wakes within the lead time are held. Not thread-safe.
 */
final class Neighbours {

    /** Leaders remembered per follower. */
    static final int LEADERS = 16;
    /** Credits needed before a leader warms a follower. */
    static final int MIN_CREDITS = 2;

    /** What one leader did for one follower. */
    private static final class Link {
        int credits;
        long lagSum;
        long maxLag;
    }

    private final long leadMillis;
    private final long coldStart;
    private final double worth;
    /** follower -> leader -> link */
    private final Map<String, Map<String, Link>> links = new HashMap<>();

    private final Map<String, Integer> wakes = new HashMap<>();
    /** follower lists by leader, rebuilt from links on change */
    private final Map<String, List<String>> followers = new HashMap<>();
    /** (time, function) of recent wakes, oldest first */
    private final ArrayDeque<Object[]> recentWakes = new ArrayDeque<>();

    /**
     * @param leadMillis how soon after a leader's wake a follower must wake to count
     * @param worth a cold start's worth in milliseconds of one idle instance
     * @param coldStart how long a start takes: a follower is warmed that much longer than its lag
     */
    Neighbours(long leadMillis, double worth, long coldStart) {
        this.leadMillis = leadMillis;
        this.coldStart = coldStart;
        this.worth = worth;
    }

    long leadMillis() {
        return leadMillis;
    }

    /**
     * A function woke at {@code at}.
     *
     * @param wasCold whether its own windows had no instance ready for it (a neighbour's may have): then
     *     the functions that woke just before are credited
     */
    void woke(String function, long at, boolean wasCold) {
        while (!recentWakes.isEmpty() && (long) recentWakes.peekFirst()[0] < at - leadMillis) {
            recentWakes.pollFirst();
        }
        if (wasCold) {
            for (Object[] w : recentWakes) {
                String leader = (String) w[1];
                if (!leader.equals(function)) {
                    credit(leader, function, at - (long) w[0]);
                }
            }
        }
        wakes.merge(function, 1, Integer::sum);
        recentWakes.addLast(new Object[] {at, function});
    }

    private void credit(String leader, String follower, long lag) {
        Map<String, Link> byLeader = links.computeIfAbsent(follower, f -> new HashMap<>());
        Link link = byLeader.get(leader);
        if (link == null) {
            if (byLeader.size() >= LEADERS) {
                String weakest = null;
                int least = Integer.MAX_VALUE;
                for (Map.Entry<String, Link> e : byLeader.entrySet()) {
                    if (e.getValue().credits < least) {
                        least = e.getValue().credits;
                        weakest = e.getKey();
                    }
                }
                byLeader.remove(weakest);
                List<String> of = followers.get(weakest);
                if (of != null) {
                    of.remove(follower);
                }
            }
            link = new Link();
            byLeader.put(leader, link);
        }
        link.credits++;
        link.lagSum += lag;
        link.maxLag = Math.max(link.maxLag, lag);
        if (link.credits == MIN_CREDITS) {
            followers.computeIfAbsent(leader, l -> new ArrayList<>()).add(follower);
        }
    }

    /** A follower to warm, and for how long after the leader woke. */
    record Follower(String function, long forMillis, int credits, int leaderWakes) {}

    /**
     * The followers worth warming now that {@code leader} woke, each for the longest lag it has shown
     * plus a quarter and a cold start, at most the lead time.
     */
    List<Follower> worthWarming(String leader) {
        List<String> of = followers.get(leader);
        if (of == null || of.isEmpty()) {
            return List.of();
        }
        int leaderWakes = wakes.getOrDefault(leader, 1);
        List<Follower> warm = new ArrayList<>();
        for (String follower : of) {
            Link link = links.get(follower).get(leader);
            double p = Math.min(1.0, (double) link.credits / leaderWakes);
            double meanLag = (double) link.lagSum / link.credits;
            long window = Math.min(leadMillis, link.maxLag + link.maxLag / 4 + coldStart);
            // Expected idle time: the whole window when it does not follow, the lag when it does.
            double idle = (1 - p) * window + p * meanLag;
            if (p * worth > idle) {
                warm.add(new Follower(follower, window, link.credits, leaderWakes));
            }
        }
        return warm;
    }

    void removed(String function) {
        links.remove(function);
        followers.remove(function);
        wakes.remove(function);
        for (Map<String, Link> byLeader : links.values()) {
            byLeader.remove(function);
        }
        for (List<String> of : followers.values()) {
            of.remove(function);
        }
    }
}
