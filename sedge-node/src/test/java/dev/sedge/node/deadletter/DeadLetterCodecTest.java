package dev.sedge.node.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DeadLetterCodecTest {

    @Test
    void aLetterWithEveryPropertyComesBackEqual() throws Exception {
        DeadLetter letter = DeadLetterStoreTest.letter("alerts", "{\"t\":1}").withId(7);

        assertThat(DeadLetterCodec.decode("alerts", 7, DeadLetterCodec.encode(letter)))
                .isEqualTo(letter);
    }

    @Test
    void absentPropertiesStayAbsent() throws Exception {
        DeadLetter bare = new DeadLetter(
                3, "alerts", "t", new byte[0], 0, null, null, null, null, List.of(), "error", "", 1, Instant.EPOCH);

        DeadLetter back = DeadLetterCodec.decode("alerts", 3, DeadLetterCodec.encode(bare));

        assertThat(back).isEqualTo(bare);
        assertThat(back.contentType()).isNull();
        assertThat(back.correlationData()).isNull();
        assertThat(back.payloadUtf8()).isNull();
    }

    @Test
    void everyTruncationIsRefusedNotThrown() {
        byte[] full = DeadLetterCodec.encode(DeadLetterStoreTest.letter("alerts", "{}"));
        for (int length = 0; length < full.length; length++) {
            byte[] cut = Arrays.copyOf(full, length);
            assertThatThrownBy(() -> DeadLetterCodec.decode("alerts", 1, cut))
                    .as("cut at %d", length)
                    .isInstanceOf(DeadLetterCodec.MalformedLetterException.class);
        }
    }

    @Test
    void anUnknownVersionAndTrailingBytesAreRefused() {
        byte[] full = DeadLetterCodec.encode(DeadLetterStoreTest.letter("alerts", "{}"));
        byte[] future = full.clone();
        future[0] = 2;
        byte[] longer = Arrays.copyOf(full, full.length + 1);

        assertThatThrownBy(() -> DeadLetterCodec.decode("alerts", 1, future)).hasMessage("unknown format version 2");
        assertThatThrownBy(() -> DeadLetterCodec.decode("alerts", 1, longer)).hasMessage("1 bytes after the end");
    }

    @Test
    void theErrorIsKeptToItsFirstLineAndArraysAreCopied() {
        byte[] payload = {1};
        DeadLetter letter = new DeadLetter(
                0,
                "f",
                "t",
                payload,
                0,
                null,
                null,
                null,
                null,
                List.of(),
                "error",
                "boom\n\tat x.y()",
                1,
                Instant.EPOCH);
        payload[0] = 2;
        letter.payload()[0] = 3;

        assertThat(letter.error()).isEqualTo("boom");
        assertThat(letter.payload()).containsExactly(1);
    }
}
