package dev.sedge.scaling.sim.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Lays out a spec's devices as event sources, drawing every source's seed from one layout generator in a
 * fixed order, so that the same spec gives the same devices. Stateless.
 *
 * <p>Periodic devices come in groups of eight: four sensors and the four flows of one hub, interleaved
 * (sensor, heartbeat, sensor, dns, sensor, timesync, sensor, cloud check), so that a small trace has both.
 * Bursty devices fill rooms of 3 to 8 sensors (the CASAS lab's rooms hold 3 to 8), a door then motion
 * sensors, and rooms fill floors of {@value #ROOMS_PER_FLOOR} (the lab's 10 rooms, read as one floor).
 */
final class Fleet {

    static final int GROUP = 8;
    static final int ROOM_MIN = 3;
    static final int ROOM_MAX = 8;
    static final int ROOMS_PER_FLOOR = 10;

    private static final String[] MEASUREMENTS = {"temperature", "humidity", "power", "air"};

    private Fleet() {}

    static List<EventSource> sources(TraceSpec spec) {
        Random layout = new Random(spec.seed());
        long start = spec.startMillis();
        long end = spec.endMillis();
        int width = Math.max(3, Integer.toString(spec.devices()).length());
        int periodic = spec.profile().periodicOf(spec.devices());
        List<EventSource> sources = new ArrayList<>();
        long hubSeed = 0;
        for (int i = 0; i < periodic; i++) {
            int slot = i % GROUP;
            if (slot == 0) {
                hubSeed = layout.nextLong();
            }
            Random own = new Random(layout.nextLong());
            String hub = "hub" + pad(i / GROUP + 1, 2) + "-";
            sources.add(
                    switch (slot) {
                        case 1 -> Hub.flow(Hub.Flow.HEARTBEAT, hub + "heartbeat", hubSeed, own, start, end);
                        case 3 -> Hub.flow(Hub.Flow.DNS, hub + "dns", hubSeed, own, start, end);
                        case 5 ->
                            new PeriodicFlow(
                                    hub + "timesync", "ntp", "timesync", PeriodicFlow.TIMESYNC, own, start, end);
                        case 7 -> Hub.flow(Hub.Flow.CHECK, hub + "check", hubSeed, own, start, end);
                        default -> {
                            String measurement = MEASUREMENTS[(i / 2) % MEASUREMENTS.length];
                            yield PeriodicFlow.sensor(
                                    measurement + "-" + pad(i + 1, width), measurement, own, start, end);
                        }
                    });
        }
        if (periodic < spec.devices()) {
            Activity activity = new Activity(new Random(layout.nextLong()), start, end);
            List<Floor.Room> rooms = rooms(layout, periodic, spec.devices(), width);
            for (int f = 0; f < rooms.size(); f += ROOMS_PER_FLOOR) {
                List<Floor.Room> floor = rooms.subList(f, Math.min(rooms.size(), f + ROOMS_PER_FLOOR));
                sources.add(new Floor(floor, activity, new Random(layout.nextLong()), start, end));
            }
        }
        return sources;
    }

    /** Devices {@code first} to {@code last - 1} in rooms, named by floor and room. */
    private static List<Floor.Room> rooms(Random layout, int first, int last, int width) {
        List<Floor.Room> rooms = new ArrayList<>();
        int next = first;
        while (next < last) {
            int size = Math.min(last - next, ROOM_MIN + layout.nextInt(ROOM_MAX - ROOM_MIN + 1));
            int r = rooms.size();
            String name = "floor" + (r / ROOMS_PER_FLOOR + 1) + "-room" + (r % ROOMS_PER_FLOOR + 1);
            List<Floor.Sensor> sensors = new ArrayList<>();
            for (int s = 0; s < size; s++, next++) {
                double participation = Draw.fromQuantiles(layout, Floor.PARTICIPATION_DECILES);
                sensors.add(
                        s == 0
                                ? new Floor.Sensor("door-" + pad(next + 1, width), "open", "closed", participation)
                                : new Floor.Sensor("motion-" + pad(next + 1, width), "on", "off", participation));
            }
            rooms.add(new Floor.Room(name, Draw.logNormal(layout, Floor.ROOM_SPREAD), sensors));
        }
        return rooms;
    }

    private static String pad(int n, int width) {
        String s = Integer.toString(n);
        return "0".repeat(Math.max(0, width - s.length())) + s;
    }
}
