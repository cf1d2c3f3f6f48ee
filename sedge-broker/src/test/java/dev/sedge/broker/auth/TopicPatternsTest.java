package dev.sedge.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.broker.router.Topics;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicPatternsTest {

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
        "a/b,       a/b,      true",
        "a/b,       a/+,      false",
        "a/+,       a/b,      true",
        "a/+,       a/+,      true",
        "a/+,       a/#,      false", // a/# also matches a and a/b/c
        "a/+,       a,        false",
        "a/#,       a,        true", // '#' matches its parent level
        "a/#,       a/#,      true",
        "a/#,       a/+/c,    true",
        "a/#,       a/b/c/#,  true",
        "a/+/#,     a/#,      false", // a/# matches a; a/+/# does not
        "a/+/#,     a/b,      true",
        "a/+/#,     a/+,      true",
        "+/+,       a/b,      true",
        "+/+,       a/b/c,    false",
        "#,         #,        true",
        "#,         +/+/c,    true",
        "+/#,       #,        true", // both match every topic that does not start with $
        "+/+/#,     #,        false",
        "#,         $SYS/a,   false", // MQTT-4.7.2-1
        "+/a,       $SYS/a,   false",
        "$SYS/#,    $SYS/a,   true",
        "$SYS/#,    #,        false",
        "a/b/c,     a/b,      false",
        "/+,        /a,       true",
        "+,         /a,       false",
    })
    void covers(String pattern, String filter, boolean covered) {
        assertThat(TopicPatterns.covers(pattern, filter)).isEqualTo(covered);
    }

    /** The rule is sound: when a pattern covers a filter, no topic the filter matches escapes the pattern. */
    @Test
    void coveringNeverAdmitsATopicThePatternDoesNotMatch() {
        List<String> filters = List.of(
                "#", "+", "+/#", "+/+", "a", "a/#", "a/+", "a/b", "a/+/#", "a/+/c", "+/b/#", "$SYS/#", "$SYS/+", "/+",
                "/#", "a/b/c", "+/+/+");
        List<String> topics = List.of(
                "a",
                "b",
                "a/b",
                "a/c",
                "b/b",
                "a/b/c",
                "a/x/c",
                "a/b/c/d",
                "$SYS/a",
                "$SYS/a/b",
                "/a",
                "/",
                "a/",
                "x/b/y");
        for (String pattern : filters) {
            for (String filter : filters) {
                if (!TopicPatterns.covers(pattern, filter)) {
                    continue;
                }
                for (String topic : topics) {
                    if (Topics.matches(filter, topic)) {
                        assertThat(Topics.matches(pattern, topic))
                                .as("%s covers %s, which matches %s", pattern, filter, topic)
                                .isTrue();
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "null",
            value = {
                "sensors/%u/#,    alice, c1,  sensors/alice/#",
                "devices/%c/%u,   alice, c1,  devices/c1/alice",
                "dev-%c/x,        alice, c1,  dev-c1/x",
                "sensors/%u/#,    null,  c1,  null",
                "sensors/%u/#,    a/b,   c1,  null",
                "sensors/%u/#,    '#',   c1,  null",
                "devices/%c,      alice, '+', null",
                "devices/%c,      alice, '',  null",
                "plain/topic,     null,  c1,  plain/topic",
            })
    void substitutes(String pattern, String user, String clientId, String expected) {
        assertThat(TopicPatterns.substitute(pattern, user, clientId)).isEqualTo(expected);
    }
}
