package dev.sedge.scaling.policy.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class DailyWakesTest {

    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;
    private static final long DAY = 24 * HOUR;
    private static final double WORTH = HOUR;
    /** Monday 30 November 2026, midnight UTC. */
    private static final long MONDAY = LocalDate.of(2026, 11, 30).toEpochDay() * DAY;

    @Test
    void theDaysOfTheWeekAreUtcsAndPartDaysCountInPart() {
        assertThat(DailyWakes.weekend(MONDAY)).isFalse();
        assertThat(DailyWakes.weekend(MONDAY + 5 * DAY)).isTrue(); // Saturday
        assertThat(DailyWakes.weekend(MONDAY + 6 * DAY + 23 * HOUR)).isTrue(); // Sunday night
        assertThat(DailyWakes.daysOfKind(MONDAY, MONDAY + 7 * DAY, false)).isCloseTo(5, within(1e-9));
        assertThat(DailyWakes.daysOfKind(MONDAY, MONDAY + 7 * DAY, true)).isCloseTo(2, within(1e-9));
        assertThat(DailyWakes.daysOfKind(MONDAY + 12 * HOUR, MONDAY + DAY, false))
                .isCloseTo(0.5, within(1e-9));
    }

    @Test
    void aRoundEveryWeekdayEveningIsPreWarmedOnWeekdaysOnly() {
        DailyWakes daily = new DailyWakes();
        long last = MONDAY + 22 * HOUR + 10 * MIN;
        daily.event(last, Long.MAX_VALUE, WORTH);
        for (int day = 1; day < 21; day++) {
            long at = MONDAY + day * DAY + 22 * HOUR + (5 + day % 3 * 5) * MIN; // 22:05, 22:10 or 22:15
            if (!DailyWakes.weekend(at)) {
                daily.event(at, at - last, WORTH);
                last = at;
            }
        }
        // Five minutes wider than the wakes on both sides: 22:00 to 22:20, on weekdays.
        assertThat(daily.windows()).containsExactly(new DailyWakes.Window(22 * HOUR, 22 * HOUR + 20 * MIN, false));
        long friday = MONDAY + 25 * DAY;
        assertThat(DailyWakes.weekend(friday)).isFalse();
        assertThat(daily.covers(friday + 22 * HOUR + 10 * MIN)).isTrue();
        assertThat(daily.covers(friday + DAY + 22 * HOUR + 10 * MIN)).isFalse();
        // From Friday night the next window is Monday's.
        long monday = friday + 3 * DAY;
        assertThat(daily.nextWindow(friday + 23 * HOUR))
                .containsExactly(monday + 22 * HOUR, monday + 22 * HOUR + 20 * MIN);
    }

    @Test
    void twoWakesAtOneTimeAreACoincidenceAndRareOnesAreNotWorthTheirWindow() {
        DailyWakes two = new DailyWakes();
        two.event(MONDAY, Long.MAX_VALUE, WORTH);
        two.event(MONDAY + 8 * HOUR, 8 * HOUR, WORTH);
        two.event(MONDAY + DAY + 8 * HOUR, DAY, WORTH);
        assertThat(two.windows()).isEmpty();

        // Three wakes at 08:00 in six weeks: a window of ten minutes would wait idle most weekdays for a
        // cold start that comes one weekday in ten.
        DailyWakes rare = new DailyWakes();
        rare.event(MONDAY, Long.MAX_VALUE, WORTH);
        long last = MONDAY;
        for (int week = 0; week < 6; week++) {
            long at = MONDAY + week * 7 * DAY + 8 * HOUR;
            if (week % 2 == 0) {
                rare.event(at, at - last, WORTH);
                last = at;
            }
        }
        long late = MONDAY + 42 * DAY + 9 * HOUR; // a wake at another time, so that the choice is made now
        rare.event(late, late - last, WORTH);
        assertThat(rare.windows()).isEmpty();
    }

    @Test
    void eventsInsideABurstAreNotWakes() {
        DailyWakes daily = new DailyWakes();
        daily.event(MONDAY, Long.MAX_VALUE, WORTH);
        for (int day = 0; day < 5; day++) {
            daily.event(MONDAY + day * DAY + 12 * HOUR, 10 * MIN, WORTH); // ten minutes after the one before
        }
        assertThat(daily.windows()).isEmpty();
    }
}
