package dev.sedge.bench.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Result;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class BurnFunctionTest {

    /** What a node gives an invocation, as far as this function looks at it: nothing. */
    private static final Context CONTEXT = new Context() {
        @Override
        public String functionName() {
            return "bench-burn";
        }

        @Override
        public String invocationId() {
            return "1";
        }

        @Override
        public boolean coldStart() {
            return false;
        }

        @Override
        public Instant deadline() {
            return Instant.MAX;
        }

        @Override
        public System.Logger logger() {
            return System.getLogger("test");
        }

        @Override
        public void publish(String topic, byte[] payload) {}
    };

    private static Result handle(String topic) throws Exception {
        Event e = Event.builder()
                .id("1")
                .source("test")
                .type("test")
                .subject(topic)
                .data("stamp")
                .build();
        return new BurnFunction().handle(e, CONTEXT);
    }

    @Test
    void repliesWithThePayloadItGot() throws Exception {
        assertThat(new String(handle("bench/scale/0").data(), StandardCharsets.UTF_8))
                .isEqualTo("stamp");
    }

    @Test
    void theBurnIsTheTopicsThirdLevelInMicroseconds() {
        assertThat(BurnFunction.burnMicros("1000")).isEqualTo(1000);
        assertThat(BurnFunction.burnMicros("0")).isZero();
        for (String bad : new String[] {null, "", "1ms", "-1", "1000001"}) {
            assertThatThrownBy(() -> BurnFunction.burnMicros(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("microseconds to burn");
        }
    }

    @Test
    void aTopicWithoutABurnFailsTheEvent() {
        assertThatThrownBy(() -> handle("bench/scale")).isInstanceOf(IllegalArgumentException.class);
    }
}
