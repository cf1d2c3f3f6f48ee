package dev.sedge.broker.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "a/b/c", "a/+/c", "a/#", "+/+", "/", "/a", "a/", "$SYS/#", "sport/tennis/+/#"})
    void validFilters(String filter) {
        assertThat(Topics.filterError(filter)).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            commentCharacter = ';',
            value = {
                "a/#/b     | '#' must be the whole last level",
                "a#        | '#' must be the whole last level",
                "a/b#      | '#' must be the whole last level",
                "a+        | '+' must be a whole level",
                "a/+b/c    | '+' must be a whole level",
            })
    void invalidFilters(String filter, String reason) {
        assertThat(Topics.filterError(filter)).isEqualTo(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/+", "#", "a/#/b"})
    void wildcardsAreNotTopicNames(String topic) {
        assertThat(Topics.nameError(topic)).startsWith("wildcards");
    }

    @org.junit.jupiter.api.Test
    void emptyAndNulCharacterAreRefused() {
        assertThat(Topics.nameError("")).isEqualTo("must not be empty");
        assertThat(Topics.filterError("a\u0000b")).isEqualTo("must not contain U+0000");
    }

    @ParameterizedTest
    @CsvSource(
            commentCharacter = ';',
            value = {
                "sport/tennis/player1/#, sport/tennis/player1, true",
                "sport/tennis/player1/#, sport/tennis/player1/ranking, true",
                "sport/tennis/player1/#, sport/tennis/player1/score/wimbledon, true",
                "sport/#, sport, true",
                "#, a/b/c, true",
                "sport/tennis/+, sport/tennis/player1, true",
                "sport/tennis/+, sport/tennis/player1/ranking, false",
                "sport/+, sport, false",
                "sport/+, sport/, true",
                "+/+, /finance, true",
                "/+, /finance, true",
                "+, /finance, false",
                "#, $SYS/broker/clients, false",
                "+/monitor/Clients, $SYS/monitor/Clients, false",
                "$SYS/#, $SYS/monitor/Clients, true",
                "$SYS/monitor/+, $SYS/monitor/Clients, true",
                "sensors/+/temperature, sensors/s1/temperature, true",
                "sensors/+/temperature, sensors/s1/humidity, false",
                "a/b, a/b/c, false",
                "a/b/c, a/b, false",
            })
    void matchingFollowsTheSpecificationExamples(String filter, String topic, boolean matches) {
        assertThat(Topics.matches(filter, topic)).isEqualTo(matches);
        TopicTree<String> tree = new TopicTree<>();
        tree.add(filter, "x");
        assertThat(tree.match(topic)).as("tree agrees with matches()").hasSize(matches ? 1 : 0);
    }
}
