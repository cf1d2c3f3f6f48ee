package dev.sedge.scaling.policy.histogram;

import static dev.sedge.scaling.policy.SyntheticTraces.HOUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IdleTimeForecastTest {

    @Test
    void equalIdleTimesForecastTheSame() {
        IdleTimeForecast f = new IdleTimeForecast();
        for (int i = 0; i < 5; i++) {
            f.add(5 * HOUR);
        }
        assertThat(f.nextMillis()).isEqualTo(5 * HOUR);
    }

    @Test
    void anAlternatingSeriesIsFollowedNotAveraged() {
        IdleTimeForecast f = new IdleTimeForecast();
        for (int i = 0; i < 8; i++) {
            f.add(5 * HOUR);
            f.add(10 * HOUR);
        }
        // A mean would say 7.5 h (or 7.1 h in logs); the fitted AR(1) says the short one comes next.
        assertThat(f.nextMillis()).isCloseTo(5 * HOUR, within(1_000L));
        f.add(5 * HOUR);
        assertThat(f.nextMillis()).isCloseTo(10 * HOUR, within(1_000L));
    }

    @Test
    void aTrendIsHeldWithinWhatWasSeen() {
        IdleTimeForecast f = new IdleTimeForecast();
        for (int h = 5; h <= 12; h++) {
            f.add(h * HOUR);
        }
        // The fit would go past 12 h; the forecast stops at the longest idle time of the window.
        assertThat(f.nextMillis()).isEqualTo(12 * HOUR);
    }

    @Test
    void onlyTheLatestWindowCounts() {
        IdleTimeForecast f = new IdleTimeForecast();
        for (int i = 0; i < 40; i++) {
            f.add(20 * HOUR);
        }
        for (int i = 0; i < IdleTimeForecast.WINDOW; i++) {
            f.add(6 * HOUR);
        }
        assertThat(f.nextMillis()).isEqualTo(6 * HOUR);
    }

    @Test
    void nothingToForecastFromIsAnError() {
        assertThatThrownBy(() -> new IdleTimeForecast().nextMillis())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no idle time to forecast from");
    }
}
