package dev.sedge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventTest {

    private static Event withSubject(String subject) {
        return Event.builder().id("1").source("test").type("t").subject(subject).build();
    }

    @Test
    void subjectLevelsAreZeroBased() {
        Event e = withSubject("sensors/s1/temperature");
        assertThat(e.subjectLevel(0)).isEqualTo("sensors");
        assertThat(e.subjectLevel(1)).isEqualTo("s1");
        assertThat(e.subjectLevel(2)).isEqualTo("temperature");
        assertThat(e.subjectLevel(3)).isNull();
        assertThat(e.subjectLevel(-1)).isNull();
    }

    @Test
    void emptyLevelsCount() {
        Event e = withSubject("/a//b");
        assertThat(e.subjectLevel(0)).isEmpty();
        assertThat(e.subjectLevel(1)).isEqualTo("a");
        assertThat(e.subjectLevel(2)).isEmpty();
        assertThat(e.subjectLevel(3)).isEqualTo("b");
    }

    @Test
    void dataIsCopiedOut() {
        Event e = Event.builder().id("1").source("s").type("t").data("hi").build();
        e.data()[0] = 'X';
        assertThat(e.dataAsString()).isEqualTo("hi");
        assertThat(e.dataSize()).isEqualTo(2);
    }

    @Test
    void requiredAttributesAreChecked() {
        assertThatThrownBy(() -> Event.builder().source("s").type("t").build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("id");
    }

    @Test
    void resultEmptyHasNoData() {
        assertThat(Result.empty().isEmpty()).isTrue();
        assertThat(Result.json("{}").contentType()).isEqualTo("application/json");
        assertThat(Result.text("x").dataAsString()).isEqualTo("x");
    }
}
