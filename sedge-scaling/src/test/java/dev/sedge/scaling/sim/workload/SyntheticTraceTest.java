package dev.sedge.scaling.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sedge.scaling.sim.Trace;
import dev.sedge.scaling.sim.TraceReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.Writer;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every synthetic trace promises: its shape, its determinism, its size, and the spec's checks. */
@Timeout(60)
class SyntheticTraceTest {

    private static final long START = TraceSpec.START_DEFAULT;

    private static String csv(TraceSpec spec) throws IOException {
        StringBuilder out = new StringBuilder();
        SyntheticTrace.write(spec, out);
        return out.toString();
    }

    private static TraceSpec spec(int devices, double hours, Profile profile, long seed) {
        return TraceSpec.ofHours(devices, hours, profile, seed, START);
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws IOException {
        for (Profile p : Profile.values()) {
            String once = csv(spec(40, 48, p, 7));
            assertThat(csv(spec(40, 48, p, 7))).as(p.label()).isEqualTo(once);
            assertThat(csv(spec(40, 48, p, 8))).as(p.label()).isNotEqualTo(once);
        }
    }

    @Test
    void theTraceReadsBackInTimeOrderWithinItsSpan() throws IOException {
        TraceSpec spec = spec(93, 24, Profile.MIXED, 1);
        StringBuilder out = new StringBuilder();
        long written = SyntheticTrace.write(spec, out);

        Trace trace = TraceReader.read("synthetic", new StringReader(out.toString()), TraceReader.KEY_DEFAULT);

        assertThat(out.toString()).startsWith("epoch_ms,device_id,event,extra\n");
        assertThat(trace.events()).isEqualTo(written);
        assertThat(trace.times()[0]).isGreaterThanOrEqualTo(spec.startMillis());
        assertThat(trace.times()[trace.events() - 1]).isLessThan(spec.endMillis());
        // Every periodic device reports within a day; bursty ones may all be silent on a quiet day.
        assertThat(trace.functions().size()).isBetween(Profile.MIXED.periodicOf(93), 93);
        assertThat(TraceReader.read("by room", new StringReader(out.toString()), "extra")
                        .functions())
                .contains("heartbeat", "dns", "timesync", "cloud-check", "telemetry");
    }

    @Test
    void ninetyThreeDevicesOverADayMakeAboutThirtyThousandEvents() throws IOException {
        StringBuilder out = new StringBuilder();

        long events = SyntheticTrace.write(spec(93, 24, Profile.MIXED, 1), out);

        assertThat(events).isBetween(20_000L, 45_000L);
    }

    @Test
    void aMixedTraceHoldsBothKinds() {
        Lines lines = Lines.generate(spec(40, 24 * 7, Profile.MIXED, 3));

        Set<String> kinds = lines.lines().stream()
                .map(l -> l.extra().startsWith("floor") ? "room" : l.extra())
                .collect(Collectors.toSet());

        assertThat(kinds).containsExactlyInAnyOrder("room", "telemetry", "heartbeat", "dns", "timesync", "cloud-check");
        assertThat(lines.times().keySet()).allMatch(d -> d.matches("[a-z]+-[0-9]{3}|hub[0-9]{2}-[a-z]+"));
    }

    @Test
    void oneDeviceIsEnough() throws IOException {
        for (Profile p : Profile.values()) {
            String out = csv(spec(1, 24 * 30, p, 1));
            assertThat(out.lines().skip(1).map(l -> l.split(",")[1]).distinct())
                    .as(p.label())
                    .hasSize(1);
        }
    }

    @Test
    void aFailingWriterStopsTheTrace() {
        Writer broken = new Writer() {
            @Override
            public void write(char[] buf, int off, int len) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };

        assertThatThrownBy(() -> SyntheticTrace.write(spec(3, 1, Profile.PERIODIC, 1), broken))
                .isInstanceOf(IOException.class)
                .hasMessage("disk full");
    }

    @Test
    void badSpecsNameTheField() {
        assertThatThrownBy(() -> spec(0, 1, Profile.MIXED, 1)).hasMessage("devices 0: must be at least 1");
        assertThatThrownBy(() -> spec(1, 0, Profile.MIXED, 1))
                .hasMessage("hours 0.0: must be more than 0 and at most 878400");
        assertThatThrownBy(() -> spec(1, Double.NaN, Profile.MIXED, 1))
                .hasMessage("hours NaN: must be more than 0 and at most 878400");
        assertThatThrownBy(() -> TraceSpec.ofHours(1, 1, Profile.MIXED, 1, -1))
                .hasMessage("start -1: must be an epoch time in ms, 0 or more");
        assertThatThrownBy(() -> Profile.of("spiky"))
                .hasMessage("unknown profile \"spiky\" (use periodic, bursty, mixed)");
        assertThat(Profile.of("bursty")).isEqualTo(Profile.BURSTY);
    }
}
