package dev.sedge.scaling.sim.workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * The motion and door sensors of one floor, whose rooms fire together while someone is there, fitted to
 * the CASAS MavLab trace (at its one-minute resolution; a room's or the lab's events 10 min or less apart
 * taken as one visit or one pass).
 *
 * <p>Someone comes onto the floor at times that follow the building's {@link Activity} and stays for an
 * occupancy episode, in which they pass through the floor a few times. Each pass visits a few rooms in
 * turn: entering a room sets off some of its sensors, each in a burst of events seconds apart, and some
 * visits last minutes, with more bursts. Between episodes the floor is silent for hours to days. Floors
 * are independent of each other. Not thread-safe.
 */
final class Floor implements EventSource {

    /** Room visits per room per active day: 546 room visits in 10 rooms over 43 active days. */
    static final double VISITS_PER_ROOM_DAY = 1.27;
    /**
     * Passes in one episode: geometric, mean 2.07 (the lab's 207 passes in 100 episodes, passes no more
     * than 2 h apart taken as one episode; 51 of them one pass).
     */
    static final double PASSES_PER_EPISODE = 2.07;
    /** The mean gap between passes of an episode (measured: median 35 min, mean 42 min). */
    static final double PASS_GAP_MILLIS = 40 * 60_000;
    /**
     * Rooms a pass visits, its home room first: geometric. Tuned: passes measured as the lab's were (which
     * merges passes that come close) then visit 2.57 rooms on average, 39 % of them one, as measured.
     */
    static final double ROOMS_PER_PASS = 2.2;
    /** How much more often some rooms are visited: log-normal, this deviation of the log (measured 0.61). */
    static final double ROOM_SPREAD = 0.61;
    /**
     * The share of its room's visits in which a sensor fires: its deciles across the lab's 54 sensors with
     * a room (a few sensors fire in most visits, most in few).
     */
    static final double[] PARTICIPATION_DECILES = {
        0.010, 0.023, 0.046, 0.070, 0.084, 0.130, 0.238, 0.406, 0.570, 0.722, 0.830
    };
    /** Participation is scaled down by this, since one sensor always fires. Tuned. */
    static final double PARTICIPATION_SCALE = 0.75;

    /**
     * Events in one burst of a sensor: geometric. Tuned: a sensor's bursts measured as the lab's were
     * (events no more than 5 min apart, so a visit's bursts merge) then hold 4.48 events, as measured.
     */
    static final double EVENTS_PER_BURST = 3.5;
    /** The mean gap between events of a burst. Tuned: the lab's bursts mostly fall within one minute. */
    static final double EVENT_GAP_MILLIS = 1_000;
    /** The sensors that fire on entering a room start within this long of each other. Chosen. */
    static final double ENTRY_SPREAD_MILLIS = 3_000;
    /** The chance that someone stays in a room after entering it (measured: 29 % of visits span minutes). */
    static final double STAY = 0.29;
    /** Bursts while someone stays: geometric. Chosen. */
    static final double STAY_BURSTS = 1.6;

    /** The mean gap between bursts while someone stays. Tuned: a visit's distinct minutes are 3 min apart. */
    static final double STAY_GAP_MILLIS = 240_000;
    /** The mean walk from one room to the next. Chosen. */
    static final double WALK_MILLIS = 120_000;

    /** A sensor and the two events it alternates between. Immutable. */
    record Sensor(String device, String on, String off, double participation) {}

    /** A room: its name in {@code extra}, how often it is visited, and its sensors. Immutable. */
    record Room(String name, double weight, List<Sensor> sensors) {}

    private record Pending(Event event, long order) {}

    private final List<Room> rooms;
    private final Activity activity;
    private final Random random;
    private final long end;
    /** The mean gap between candidate episode starts, at the peak hour's rate; thinned to the hour's. */
    private final double candidateGapMillis;

    private final PriorityQueue<Pending> pending = new PriorityQueue<>(
            Comparator.comparingLong((Pending p) -> p.event().time()).thenComparingLong(Pending::order));
    private long order;
    private long nextEpisode;

    Floor(List<Room> rooms, Activity activity, Random random, long start, long end) {
        this.rooms = List.copyOf(rooms);
        this.activity = activity;
        this.random = random;
        this.end = end;
        double episodesPerDay = VISITS_PER_ROOM_DAY * rooms.size() / (roomsPerPass(rooms.size()) * PASSES_PER_EPISODE);
        candidateGapMillis = Activity.DAY_MILLIS / (episodesPerDay * activity.peak());
        nextEpisode = nextEpisodeAfter(start);
    }

    /** The mean number of rooms a pass visits on a floor of {@code n}: geometric, capped at n. */
    static double roomsPerPass(int n) {
        double q = 1 - 1 / ROOMS_PER_PASS;
        return (1 - StrictMath.pow(q, n)) / (1 - q);
    }

    @Override
    public long nextTime() {
        // Every event of a later episode comes after its start: those pending before it are final.
        while (nextEpisode < end
                && (pending.isEmpty() || nextEpisode <= pending.peek().event().time())) {
            episode(nextEpisode);
            nextEpisode = nextEpisodeAfter(nextEpisode);
        }
        return pending.isEmpty() ? Long.MAX_VALUE : pending.peek().event().time();
    }

    @Override
    public Event take() {
        return pending.remove().event();
    }

    /** The next episode start: candidates at the peak hour's rate, each kept with the weight of its hour. */
    private long nextEpisodeAfter(long t) {
        double at = t;
        while (true) {
            at += Draw.exponential(random, candidateGapMillis);
            long candidate = Draw.millis(at);
            if (candidate >= end) {
                return Long.MAX_VALUE;
            }
            if (random.nextDouble() * activity.peak() < activity.weight(candidate)) {
                return candidate;
            }
        }
    }

    private void episode(long start) {
        Room home = rooms.get(pick(rooms, Room::weight));
        int passes = Draw.geometric(random, PASSES_PER_EPISODE);
        double t = start;
        for (int p = 0; p < passes && t < end; p++) {
            pass(home, t);
            t += Draw.exponential(random, PASS_GAP_MILLIS);
        }
    }

    /** A walk through a few rooms from the episode's home room (the one its person keeps coming back to). */
    private void pass(Room home, double start) {
        List<Room> left = new ArrayList<>(rooms);
        left.remove(home);
        int visits = Math.min(Draw.geometric(random, ROOMS_PER_PASS), rooms.size());
        double t = visit(home, start);
        for (int v = 1; v < visits; v++) {
            t += Draw.exponential(random, WALK_MILLIS);
            t = visit(left.remove(pick(left, Room::weight)), t);
        }
    }

    /** The events of one visit to a room from {@code start}; returns when the person leaves it. */
    private double visit(Room room, double start) {
        List<Sensor> firing = new ArrayList<>();
        for (Sensor s : room.sensors()) {
            if (random.nextDouble() < s.participation() * PARTICIPATION_SCALE) {
                firing.add(s);
            }
        }
        if (firing.isEmpty()) { // someone came in: at least one sensor saw it
            firing.add(room.sensors().get(pick(room.sensors(), Sensor::participation)));
        }
        double last = start;
        for (Sensor s : firing) {
            last = Math.max(last, burst(s, room, start + Draw.uniform(random, 0, ENTRY_SPREAD_MILLIS)));
        }
        if (random.nextDouble() < STAY) {
            int bursts = Draw.geometric(random, STAY_BURSTS);
            double t = start;
            for (int b = 0; b < bursts; b++) {
                t += Draw.exponential(random, STAY_GAP_MILLIS);
                last = Math.max(last, burst(firing.get(pick(firing, Sensor::participation)), room, t));
            }
        }
        return last;
    }

    /** A burst of the sensor's events from {@code start}, alternating on and off; returns its last time. */
    private double burst(Sensor sensor, Room room, double start) {
        int events = Draw.geometric(random, EVENTS_PER_BURST);
        double t = start;
        for (int i = 0; i < events; i++) {
            long at = Draw.millis(t);
            if (at >= end) {
                break;
            }
            String name = i % 2 == 0 ? sensor.on() : sensor.off();
            pending.add(new Pending(new Event(at, sensor.device(), name, room.name()), order++));
            if (i + 1 < events) {
                t += Draw.exponential(random, EVENT_GAP_MILLIS);
            }
        }
        return t;
    }

    /** An index into {@code items}, each as likely as its weight. */
    private <T> int pick(List<T> items, ToDoubleFunction<T> weight) {
        double total = 0;
        for (T item : items) {
            total += weight.applyAsDouble(item);
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < items.size(); i++) {
            u -= weight.applyAsDouble(items.get(i));
            if (u < 0) {
                return i;
            }
        }
        return items.size() - 1;
    }
}
