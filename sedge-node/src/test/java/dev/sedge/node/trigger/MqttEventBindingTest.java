package dev.sedge.node.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.api.Event;
import dev.sedge.broker.Message;
import dev.sedge.broker.Message.MessageProperties;
import dev.sedge.broker.Message.UserProperty;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class MqttEventBindingTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private final MqttEventBinding binding =
            new MqttEventBinding(JsonMapper.builder().build(), Clock.fixed(NOW, ZoneOffset.UTC), "n1-");

    private static Message message(String payload, MessageProperties props) {
        return new Message(
                "sensors/s1/temperature", payload.getBytes(StandardCharsets.UTF_8), 1, false, props, "dev-7");
    }

    @Test
    void aPlainPayloadIsRawDataWithTheTopicAsSubject() {
        Event e = binding.toEvent(message("{\"celsius\": 42.5}", MessageProperties.NONE));
        assertThat(e.id()).isEqualTo("n1-1");
        assertThat(e.type()).isEqualTo(MqttEventBinding.RAW_TYPE);
        assertThat(e.source()).isEqualTo("/sedge/mqtt/dev-7");
        assertThat(e.subject()).isEqualTo("sensors/s1/temperature");
        assertThat(e.time()).isEqualTo(NOW);
        assertThat(e.dataAsString()).isEqualTo("{\"celsius\": 42.5}");
        assertThat(binding.toEvent(message("x", MessageProperties.NONE)).id()).isEqualTo("n1-2");
    }

    @Test
    void aMessageFromTheBridgeHasTheBridgeAsSource() {
        Message bridged = new Message(
                "sensors/s1/temperature",
                "{}".getBytes(StandardCharsets.UTF_8),
                1,
                false,
                MessageProperties.NONE,
                "$bridge/$share/temp/sensors/+/temperature");
        // Not the shared filter: '+' and '#' have no place in a URI reference, and the device is unknown here.
        assertThat(binding.toEvent(bridged).source()).isEqualTo("/sedge/bridge");
    }

    @Test
    void binaryModeReadsAttributesFromUserProperties() {
        MessageProperties props = new MessageProperties(
                null,
                null,
                "application/json",
                null,
                null,
                List.of(
                        new UserProperty("specversion", "1.0"),
                        new UserProperty("id", "abc"),
                        new UserProperty("source", "/plant/3"),
                        new UserProperty("type", "com.example.reading"),
                        new UserProperty("time", "2025-05-05T05:05:05Z"),
                        new UserProperty("site", "north")));
        Event e = binding.toEvent(message("{\"v\":1}", props));
        assertThat(e.id()).isEqualTo("abc");
        assertThat(e.source()).isEqualTo("/plant/3");
        assertThat(e.type()).isEqualTo("com.example.reading");
        assertThat(e.time()).isEqualTo(Instant.parse("2025-05-05T05:05:05Z"));
        assertThat(e.dataContentType()).isEqualTo("application/json");
        assertThat(e.subject()).isEqualTo("sensors/s1/temperature");
        assertThat(e.extensions()).containsExactly(java.util.Map.entry("site", "north"));
    }

    @Test
    void structuredModeReadsACloudEventsJsonPayload() {
        String ce = """
                {"specversion": "1.0", "id": "42", "source": "/legacy", "type": "t.x",
                 "datacontenttype": "application/json", "data": {"celsius": 12}, "region": "eu"}""";
        Event e = binding.toEvent(message(ce, MessageProperties.NONE));
        assertThat(e.id()).isEqualTo("42");
        assertThat(e.type()).isEqualTo("t.x");
        assertThat(e.dataAsString()).isEqualTo("{\"celsius\":12}");
        assertThat(e.extensions()).containsEntry("region", "eu");
    }

    @Test
    void jsonThatOnlyMentionsSpecversionStaysRaw() {
        Event e = binding.toEvent(message("{\"specversion\": \"1.0\"}", MessageProperties.NONE));
        assertThat(e.type()).isEqualTo(MqttEventBinding.RAW_TYPE);
        assertThat(e.dataAsString()).isEqualTo("{\"specversion\": \"1.0\"}");
    }
}
