package dev.sedge.scaling.sim.workload;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;

/**
 * The flows of one smart-home hub that hang together, fitted to the Philips Hue bridge of IoT-23: a cloud
 * heartbeat (HTTPS) every 900 s, an hourly cloud check (HTTP) 7 to 11 s before every fourth heartbeat, and
 * the DNS lookups both make (one before each heartbeat, four before each check). Each flow is its own
 * device; each replays the hub's schedule from the same seed, so they agree without sharing state. Not
 * thread-safe.
 */
final class Hub {

    /**
     * The Hue bridge's heartbeat: every 900 s and a little, free-running (at the capture's 1 s resolution
     * 74 of its 84 gaps read 900 s, 9 read 901 s, one 903 s: about 0.13 s late on average), none missed
     * (its one 1,800 s gap is a heartbeat sent to another address).
     */
    static final double HEARTBEAT_MILLIS = 900_000;

    static final double HEARTBEAT_LATE_MILLIS = 260;
    /** One heartbeat in this many is preceded by the cloud check (3600 s apart, as measured). */
    static final int CHECK_EVERY = 4;

    /** How long before its heartbeat a check comes: 7 to 11 s, as measured. */
    static final double CHECK_LEAD_MIN_MILLIS = 7_000;

    static final double CHECK_LEAD_MAX_MILLIS = 11_000;
    /** Lookups before a check: four in the same second, as measured. */
    static final int CHECK_LOOKUPS = 4;
    /** A lookup comes at most this long before the connection it resolves. Chosen. */
    static final double LOOKUP_LEAD_MILLIS = 200;

    /** The three flows, and what each says in {@code event} and {@code extra}. */
    enum Flow {
        HEARTBEAT("https", "heartbeat"),
        CHECK("http", "cloud-check"),
        DNS("dns", "dns");

        final String event;
        final String extra;

        Flow(String event, String extra) {
            this.event = event;
            this.extra = extra;
        }
    }

    private Hub() {}

    /** One of a hub's flows as a device. */
    static EventSource flow(Flow flow, String device, long hubSeed, Random own, long start, long end) {
        return new FlowSource(flow, device, new Schedule(hubSeed, start), own, start, end);
    }

    /** The hub's heartbeats, and which of them a check precedes; the same for the same seed. */
    private static final class Schedule {
        private final Random random;
        private final int checkCycle;
        private double heartbeat;
        private long cycle;
        private double check;

        Schedule(long hubSeed, long start) {
            random = new Random(hubSeed);
            checkCycle = random.nextInt(CHECK_EVERY);
            heartbeat = start + Draw.uniform(random, 0, HEARTBEAT_MILLIS);
            check = checkAt();
        }

        /** Moves to the next heartbeat. */
        void advance() {
            heartbeat += HEARTBEAT_MILLIS + Draw.uniform(random, 0, HEARTBEAT_LATE_MILLIS);
            cycle++;
            check = checkAt();
        }

        /** The check before this heartbeat, or NaN. Draws on every cycle, so the stream stays aligned. */
        private double checkAt() {
            double lead = Draw.uniform(random, CHECK_LEAD_MIN_MILLIS, CHECK_LEAD_MAX_MILLIS);
            return cycle % CHECK_EVERY == checkCycle ? heartbeat - lead : Double.NaN;
        }
    }

    private static final class FlowSource implements EventSource {
        private final Flow flow;
        private final String device;
        private final Schedule schedule;
        private final Random own;
        private final long start;
        private final long end;
        private final ArrayDeque<Long> times = new ArrayDeque<>();

        FlowSource(Flow flow, String device, Schedule schedule, Random own, long start, long end) {
            this.flow = flow;
            this.device = device;
            this.schedule = schedule;
            this.own = own;
            this.start = start;
            this.end = end;
            fill();
        }

        @Override
        public long nextTime() {
            return times.isEmpty() ? Long.MAX_VALUE : times.peekFirst();
        }

        @Override
        public Event take() {
            Event e = new Event(times.removeFirst(), device, flow.event, flow.extra);
            fill();
            return e;
        }

        /** Adds the next cycle's times in the trace, skipping cycles with none, until the end. */
        private void fill() {
            // A cycle's times are at most a check's lead and a lookup's before its heartbeat, and after the
            // cycle before: once that bound passes the end, no later cycle has a time in the trace.
            while (times.isEmpty() && schedule.heartbeat - CHECK_LEAD_MAX_MILLIS - LOOKUP_LEAD_MILLIS < end) {
                double[] cycle = cycle();
                schedule.advance();
                for (double at : cycle) {
                    long t = Draw.millis(at);
                    if (t >= start && t < end) {
                        times.addLast(t);
                    }
                }
            }
        }

        /** This flow's times in the schedule's current cycle, in order. */
        private double[] cycle() {
            double check = schedule.check;
            double heartbeat = schedule.heartbeat;
            return switch (flow) {
                case HEARTBEAT -> new double[] {heartbeat};
                case CHECK -> Double.isNaN(check) ? new double[0] : new double[] {check};
                case DNS -> {
                    int n = Double.isNaN(check) ? 1 : 1 + CHECK_LOOKUPS;
                    double[] at = new double[n];
                    for (int i = 0; i + 1 < n; i++) {
                        at[i] = check - Draw.uniform(own, 0, LOOKUP_LEAD_MILLIS);
                    }
                    at[n - 1] = heartbeat - Draw.uniform(own, 0, LOOKUP_LEAD_MILLIS);
                    Arrays.sort(at);
                    yield at;
                }
            };
        }
    }
}
