package dev.sedge.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.dataplane.time.ManualTimers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    private static final long TIMEOUT = Duration.ofSeconds(10).toNanos();

    @Test
    void manyAttemptsShareOneTimerWhichFiresAtEachDeadlineThatIsDueInTurn() {
        ManualTimers timers = new ManualTimers(0);
        Deadlines deadlines = new Deadlines(timers, TIMEOUT);
        List<String> fired = new ArrayList<>();
        Deadlines.Deadline a = deadlines.start(() -> fired.add("a"));
        timers.advance(Duration.ofSeconds(3));
        deadlines.start(() -> fired.add("b"));
        timers.advance(Duration.ofSeconds(3));
        deadlines.start(() -> fired.add("c"));
        assertThat(timers.pending()).as("one timer for three attempts").isEqualTo(1);

        a.cancel(); // ended in time, at 6 s
        assertThat(deadlines.waiting()).isEqualTo(2);
        timers.advance(Duration.ofSeconds(4)); // 10 s: a's deadline, but a is over; the timer moves to b's
        assertThat(fired).isEmpty();
        assertThat(timers.pending()).isEqualTo(1);
        timers.advance(Duration.ofSeconds(3).minusNanos(1));
        assertThat(fired).isEmpty();
        timers.advance(Duration.ofNanos(1)); // 13 s: b's
        assertThat(fired).containsExactly("b");
        timers.advance(Duration.ofSeconds(3)); // 16 s: c's
        assertThat(fired).containsExactly("b", "c");
        assertThat(timers.pending()).as("nothing left: not armed again").isZero();
        assertThat(deadlines.waiting()).isZero();
    }

    @Test
    void attemptsThatEndInTimeLeaveNothingBehindAndTheTimerStopsAfterOneTimeout() {
        ManualTimers timers = new ManualTimers(0);
        Deadlines deadlines = new Deadlines(timers, TIMEOUT);
        List<String> fired = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            deadlines.start(() -> fired.add("late")).cancel();
            timers.advance(Duration.ofMillis(5));
        }
        assertThat(deadlines.waiting()).as("ended attempts are not kept").isZero();
        timers.advance(Duration.ofSeconds(10));
        assertThat(fired).isEmpty();
        assertThat(timers.pending()).isZero();
        // A new attempt arms it again.
        deadlines.start(() -> fired.add("d"));
        assertThat(timers.pending()).isEqualTo(1);
        timers.advance(Duration.ofSeconds(10));
        assertThat(fired).containsExactly("d");
    }

    @Test
    void anAttemptThatEndsOutOfOrderIsDroppedWhenTheOnesBeforeItEnd() {
        ManualTimers timers = new ManualTimers(0);
        Deadlines deadlines = new Deadlines(timers, TIMEOUT);
        Deadlines.Deadline first = deadlines.start(() -> {});
        Deadlines.Deadline second = deadlines.start(() -> {});
        second.cancel();
        assertThat(deadlines.waiting()).isEqualTo(2);
        first.cancel();
        assertThat(deadlines.waiting()).isZero();
    }
}
