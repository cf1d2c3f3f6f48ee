package dev.sedge.bench.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KeyNamesTest {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    @Test
    void aKeyBecomesOneTopicLevelWithNoWildcardSeparatorOrSpace() {
        assertThat(KeyNames.topics(List.of("udp:192.168.1.1:53", "kitchen/motion", "a+b#c", "garden temp", "$SYS")))
                .containsExactly(
                        "sensors/udp:192.168.1.1:53/events",
                        "sensors/kitchen_motion/events",
                        "sensors/a_b_c/events",
                        "sensors/garden_temp/events",
                        "sensors/_SYS/events");
    }

    @Test
    void keysThatSanitiseAlikeStillGetTopicsOfTheirOwn() {
        List<String> topics = KeyNames.topics(List.of("a/b", "a_b", "a+b", "a~3"));
        assertThat(topics)
                .containsExactly(
                        "sensors/a_b/events", "sensors/a_b~2/events", "sensors/a_b~3/events", "sensors/a_3/events");
        assertThat(new HashSet<>(topics)).hasSize(4);
    }

    @Test
    void functionNamesAreNumberedDnsLabelsThatKeepSomeOfTheKey() {
        assertThat(KeyNames.function(0, "udp:192.168.1.1:53")).isEqualTo("replay-001-udp-192-168-1-1-53");
        assertThat(KeyNames.function(11, "Kitchen/Motion")).isEqualTo("replay-012-kitchen-motion");
        assertThat(KeyNames.function(2, "---")).isEqualTo("replay-003");
        String longOne = KeyNames.function(41, "x".repeat(80) + "/end");
        assertThat(longOne).hasSize(63).startsWith("replay-042-xxx");
        for (String name : List.of(longOne, KeyNames.function(0, "a-"), KeyNames.function(1234, "é"))) {
            assertThat(name).matches(DNS_LABEL);
        }
    }
}
