package dev.sedge.node.descriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResponseTemplateTest {

    @Test
    void substitutesTopicLevels() {
        ResponseTemplate t = ResponseTemplate.parse("alerts/{topic.1}/{topic.0}");
        assertThat(t.render("sensors/s1/temperature")).isEqualTo("alerts/s1/sensors");
    }

    @Test
    void aPlainTopicIsItsOwnReply() {
        assertThat(ResponseTemplate.parse("replies").render("a/b")).isEqualTo("replies");
    }

    @Test
    void aMissingLevelGivesNoTopic() {
        assertThat(ResponseTemplate.parse("alerts/{topic.5}").render("a/b")).isNull();
    }

    @Test
    void aLevelThatWouldInjectAWildcardIsNotAllowedByTopicNames() {
        // Published topic names never contain wildcards, so a rendered topic never does either.
        assertThat(ResponseTemplate.parse("alerts/{topic.0}").render("x")).isEqualTo("alerts/x");
    }

    @Test
    void refusesUnknownPlaceholdersAndBraces() {
        assertThatThrownBy(() -> ResponseTemplate.parse("a/{topic}"))
                .hasMessageContaining("unknown placeholder \"{topic}\"");
        assertThatThrownBy(() -> ResponseTemplate.parse("a/{topic.1")).hasMessageContaining("unbalanced brace");
        assertThatThrownBy(() -> ResponseTemplate.parse("")).hasMessage("must not be empty");
    }
}
