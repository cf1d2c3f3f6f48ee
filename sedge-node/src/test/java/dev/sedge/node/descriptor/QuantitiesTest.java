package dev.sedge.node.descriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QuantitiesTest {

    @Test
    void durations() {
        assertThat(Quantities.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Quantities.duration("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Quantities.duration("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Quantities.duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> Quantities.duration("5")).hasMessageStartingWith("invalid duration \"5\"");
        assertThatThrownBy(() -> Quantities.duration("-5s")).hasMessageStartingWith("invalid duration \"-5s\"");
        assertThatThrownBy(() -> Quantities.duration("")).hasMessageStartingWith("invalid duration \"\"");
    }

    @Test
    void formatReadsBack() {
        for (String s : new String[] {"250ms", "5s", "3m", "2h", "1500ms"}) {
            assertThat(Quantities.format(Quantities.duration(s))).isEqualTo(s);
        }
    }

    @Test
    void sizes() {
        assertThat(Quantities.bytes("64Mi")).isEqualTo(64L * 1024 * 1024);
        assertThat(Quantities.bytes("1Gi")).isEqualTo(1L << 30);
        assertThat(Quantities.bytes("500k")).isEqualTo(500_000);
        assertThat(Quantities.bytes("1024")).isEqualTo(1024);
        assertThatThrownBy(() -> Quantities.bytes("64 MiB")).hasMessageStartingWith("invalid size \"64 MiB\"");
    }
}
