package dev.sedge.bench.simulate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small trace the tests write for themselves: three devices over two days, each with its own rhythm,
 * so that the policies come out different. Fixed: no randomness.
 */
final class SmallTrace {

    /** 2003-01-01T00:00Z, as the CASAS trace's clock reads. */
    static final long START = 1_041_379_200_000L;

    static final long MINUTE = 60_000;
    static final long HOUR = 60 * MINUTE;

    /** The device with the most events. */
    static final String BUSIEST = "temp";

    private SmallTrace() {}

    /** Writes the trace to {@code file} and returns its number of events. */
    static int write(Path file) throws IOException {
        List<long[]> events = new ArrayList<>(); // {time, device index}
        // temp: every 5 minutes on the second day only.
        for (long t = START + 24 * HOUR; t < START + 48 * HOUR; t += 5 * MINUTE) {
            events.add(new long[] {t, 0});
        }
        // motion: bursts of five a minute apart, one burst every 40 minutes, from 08:00 to 20:00 both days.
        for (int day = 0; day < 2; day++) {
            for (long b = START + day * 24 * HOUR + 8 * HOUR;
                    b < START + day * 24 * HOUR + 20 * HOUR;
                    b += 40 * MINUTE) {
                for (int i = 0; i < 5; i++) {
                    events.add(new long[] {b + i * MINUTE + 7, 1});
                }
            }
        }
        // door: every 3 h 17 min, irregular against the others.
        for (long t = START + 5 * MINUTE; t < START + 48 * HOUR; t += 3 * HOUR + 17 * MINUTE) {
            events.add(new long[] {t, 2});
        }
        events.sort((a, b) -> Long.compare(a[0], b[0]));
        String[] devices = {"temp", "motion", "door"};
        StringBuilder csv = new StringBuilder("epoch_ms,device_id,event,extra\n");
        for (long[] e : events) {
            csv.append(e[0]).append(',').append(devices[(int) e[1]]).append(",ON,room 1, left\n");
        }
        Files.writeString(file, csv);
        return events.size();
    }
}
