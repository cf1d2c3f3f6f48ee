package dev.sedge.scaling.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import org.junit.jupiter.api.Test;

class TraceReaderTest {

    private static Trace read(String csv, String key) throws Exception {
        return TraceReader.read("t.csv", new StringReader(csv), key);
    }

    @Test
    void readsOneFunctionPerKeyInOrderOfFirstEvent() throws Exception {
        Trace t = read("""
                epoch_ms,device_id,event,extra
                1000,s2,ON,Kitchen, north wall
                1000,s1,ON,Hall
                2500,s2,OFF,Kitchen, north wall
                """, "device_id");
        assertThat(t.functions()).containsExactly("s2", "s1");
        assertThat(t.function()).containsExactly(0, 1, 0);
        assertThat(t.times()).containsExactly(1000, 1000, 2500);
        assertThat(t.spanMillis()).isEqualTo(1500);
        assertThat(t.arrivals().get("s2")).containsExactly(1000, 2500);
        // The last column keeps its commas.
        assertThat(read("epoch_ms,device_id,event,extra\n1,a,b,c,d\n", "extra").functions())
                .containsExactly("c,d");
    }

    @Test
    void eachBadLineIsRefusedNamingItsNumberAndField() {
        assertThatThrownBy(() -> read("epoch_ms,device_id,event,extra\n12x,a,b,c\n", "device_id"))
                .hasMessage("t.csv: line 2: epoch_ms \"12x\" is not a number");
        assertThatThrownBy(() -> read("epoch_ms,device_id,event,extra\n5,a,b,c\n4,a,b,c\n", "device_id"))
                .hasMessage("t.csv: line 3: epoch_ms 4 is before the line above");
        assertThatThrownBy(() -> read("epoch_ms,device_id,event,extra\n5,,b,c\n", "device_id"))
                .hasMessage("t.csv: line 2: device_id is empty");
        assertThatThrownBy(() -> read("time,device\n", "device_id"))
                .hasMessage("t.csv: line 1: expected the header epoch_ms,device_id,event,extra");
        assertThatThrownBy(() -> read("epoch_ms,device_id,event,extra\n", "room"))
                .hasMessage("--key room: not a key column (use device_id, event or extra)");
    }
}
