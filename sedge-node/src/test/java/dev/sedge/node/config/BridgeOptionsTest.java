package dev.sedge.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.broker.bridge.BridgeConfig;
import dev.sedge.broker.bridge.BridgeEndpoint;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BridgeOptionsTest {

    @Test
    void defaultsAreTheSedgeGroupAndAnHourOfSession() {
        BridgeOptions o =
                BridgeOptions.parse("mqtt://broker", List.of("doors/#", "doors/#"), null, null, null, null, null, null);
        assertThat(o.endpoint()).isEqualTo(new BridgeEndpoint("broker", 1883, false));
        assertThat(o.topics()).as("duplicates once").containsExactly("doors/#");
        assertThat(o.group()).isEqualTo(BridgeOptions.GROUP_DEFAULT).isEqualTo("sedge");
        assertThat(o.sessionExpiry()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void theBridgeConfigurationCarriesEveryOption() {
        BridgeOptions o = BridgeOptions.parse(
                "mqtts://broker:8884", List.of(), "node-a", "user", "secret", null, "plant-3", "24h");
        BridgeConfig c = o.toConfig("node-a");
        assertThat(c.endpoint().url()).isEqualTo("mqtts://broker:8884");
        assertThat(c.clientId()).isEqualTo("node-a");
        assertThat(c.username()).isEqualTo("user");
        assertThat(c.password()).isEqualTo("secret");
        assertThat(c.sessionExpiry()).isEqualTo(Duration.ofHours(24));
        assertThat(o.group()).isEqualTo("plant-3");
    }

    @Test
    void aPasswordNeverShowsInToString() {
        BridgeOptions o = BridgeOptions.parse("mqtt://broker", List.of(), null, "user", "secret", null, null, null);
        assertThat(o.toString()).contains("password=***").doesNotContain("secret");
        assertThat(o.toConfig("id").toString()).contains("password=***").doesNotContain("secret");
    }
}
