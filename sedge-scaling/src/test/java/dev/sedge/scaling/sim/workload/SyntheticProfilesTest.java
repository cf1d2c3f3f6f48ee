package dev.sedge.scaling.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each profile has the statistical character it claims. */
@Timeout(60)
class SyntheticProfilesTest {

    private static final long MINUTE = Duration.ofMinutes(1).toMillis();
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private static Lines generate(int devices, double hours, Profile profile, long seed) {
        return Lines.generate(TraceSpec.ofHours(devices, hours, profile, seed, TraceSpec.START_DEFAULT));
    }

    @Test
    void periodicDevicesReportRegularly() {
        Lines lines = generate(48, 48, Profile.PERIODIC, 1);
        Map<String, String> kind = lines.extras();

        Map<String, List<Double>> cvs = new HashMap<>();
        Map<String, List<Double>> medians = new HashMap<>();
        lines.times().forEach((device, times) -> {
            long[] gaps = Lines.gaps(times, 1);
            cvs.computeIfAbsent(kind.get(device), k -> new ArrayList<>()).add(Lines.cv(gaps));
            medians.computeIfAbsent(kind.get(device), k -> new ArrayList<>()).add(Lines.median(gaps));
        });

        // Six hubs of four flows, and 24 sensors.
        assertThat(cvs.get("telemetry")).hasSize(24);
        for (String k : List.of("heartbeat", "cloud-check", "timesync", "dns")) {
            assertThat(cvs.get(k)).as(k).hasSize(6);
        }
        // Heartbeats, checks and time syncs: a few seconds in an hour at most; sensors lose 1 % of reports.
        assertThat(cvs.get("heartbeat")).allMatch(cv -> cv < 0.001);
        assertThat(cvs.get("cloud-check")).allMatch(cv -> cv < 0.002);
        assertThat(cvs.get("timesync")).allMatch(cv -> cv < 0.03);
        assertThat(cvs.get("telemetry")).allMatch(cv -> cv < 0.25);
        assertThat(Lines.median(
                        cvs.get("telemetry").stream().mapToDouble(d -> d).toArray()))
                .isLessThan(0.15);
        assertThat(medians.get("heartbeat")).allMatch(m -> Math.abs(m - 900_000) < 1_000);
        assertThat(medians.get("cloud-check")).allMatch(m -> Math.abs(m - 3_600_000) < 4_000);
        assertThat(medians.get("timesync")).allMatch(m -> m > 4_096_000 * 1.008 && m < 4_096_000 * 1.062);
        assertThat(medians.get("telemetry")).allMatch(m -> m > 29_000 && m < 640_000);
        // DNS comes in clusters: four lookups before a check, one before each heartbeat.
        assertThat(cvs.get("dns")).allMatch(cv -> cv > 0.5);
    }

    @Test
    void dnsLookupsComeJustBeforeTheirHubsHeartbeatsAndChecks() {
        Lines lines = generate(8, 24, Profile.PERIODIC, 5);
        Map<String, long[]> times = lines.times();

        long[] dns = times.get("hub01-dns");
        long[] heartbeats = times.get("hub01-heartbeat");
        long[] checks = times.get("hub01-check");

        assertThat(dns).hasSize(heartbeats.length + 4 * checks.length);
        for (long h : heartbeats) {
            assertThat(Arrays.stream(dns).filter(d -> d <= h && d > h - 200)).hasSize(1);
        }
        for (long c : checks) {
            assertThat(Arrays.stream(dns).filter(d -> d <= c && d > c - 200)).hasSize(4);
            assertThat(Arrays.stream(heartbeats).filter(h -> h - c >= 7_000 && h - c <= 11_000))
                    .hasSize(1);
        }
    }

    @Test
    void burstySensorsFireInBurstsWithLongSilencesBetween() {
        Lines lines = generate(59, 24 * 28, Profile.BURSTY, 1);

        List<Double> betweenBursts = new ArrayList<>();
        long shortGaps = 0;
        long middleGaps = 0;
        long gaps = 0;
        for (long[] times : lines.times().values()) {
            long[] g = Lines.gaps(times, 1);
            gaps += g.length;
            shortGaps += Arrays.stream(g).filter(x -> x <= 2 * MINUTE).count();
            middleGaps +=
                    Arrays.stream(g).filter(x -> x > 10 * MINUTE && x <= HOUR).count();
            long[] silences = Arrays.stream(g).filter(x -> x > 10 * MINUTE).toArray();
            if (silences.length > 0) {
                betweenBursts.add(Lines.median(silences));
            }
        }

        // Most gaps are inside a burst, and a sensor's typical silence between bursts is many hours.
        assertThat((double) shortGaps / gaps).isGreaterThan(0.7);
        assertThat((double) middleGaps / gaps).isLessThan(0.1);
        assertThat(Lines.median(betweenBursts.stream().mapToDouble(d -> d).toArray()))
                .isGreaterThan(6.0 * HOUR);
    }

    @Test
    void sensorsOfARoomFireTogether() {
        Lines lines = generate(59, 24 * 28, Profile.BURSTY, 2);
        Map<String, String> room = lines.extras();
        List<Lines.Line> events = lines.lines();
        Map<String, Integer> roomSize = new HashMap<>();
        room.values().forEach(r -> roomSize.merge(r, 1, Integer::sum));
        int sensors = room.size();

        // For each event, the share of the room's other sensors, and of the other rooms' sensors, that fire
        // within 5 minutes of it.
        double sameHits = 0;
        double samePairs = 0;
        double otherHits = 0;
        double otherPairs = 0;
        long window = 5 * MINUTE;
        int lo = 0;
        int hi = 0;
        for (Lines.Line e : events) {
            while (events.get(lo).time() < e.time() - window) {
                lo++;
            }
            while (hi < events.size() && events.get(hi).time() <= e.time() + window) {
                hi++;
            }
            Map<String, Boolean> near = new HashMap<>();
            for (int j = lo; j < hi; j++) {
                Lines.Line o = events.get(j);
                if (!o.device().equals(e.device())) {
                    near.put(o.device(), room.get(o.device()).equals(e.extra()));
                }
            }
            long same = near.values().stream().filter(b -> b).count();
            sameHits += same;
            otherHits += near.size() - same;
            samePairs += roomSize.get(e.extra()) - 1;
            otherPairs += sensors - roomSize.get(e.extra());
        }

        // Measured on the CASAS lab: 0.187 against 0.043, 4.4 times as likely.
        assertThat((sameHits / samePairs) / (otherHits / otherPairs)).isGreaterThan(2.5);
    }

    @Test
    void occupancyFollowsTheHourOfDayAndSkipsQuietDays() {
        Lines lines = generate(59, 24 * 28, Profile.BURSTY, 3);
        long[] byHour = new long[24];
        boolean[] active = new boolean[28];
        for (Lines.Line l : lines.lines()) {
            long since = l.time() - TraceSpec.START_DEFAULT; // the start is midnight UTC
            byHour[(int) (since % (24 * HOUR) / HOUR)]++;
            active[(int) (since / (24 * HOUR))] = true;
        }

        // The lab's busiest hours (21:00 to 24:00) against its quietest (05:00 to 08:00).
        long busy = byHour[21] + byHour[22] + byHour[23];
        long quiet = byHour[5] + byHour[6] + byHour[7];
        assertThat(busy).isGreaterThan(3 * quiet);
        int quietDays = 0;
        for (boolean a : active) {
            quietDays += a ? 0 : 1;
        }
        assertThat(quietDays).isBetween(1, 14);
    }
}
