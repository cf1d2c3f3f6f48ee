package dev.sedge.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScaleSettingsTest {

    private static ScaleSettings with(int min, int max, Duration window, int threshold) {
        ScaleSettings d = ScaleSettings.DEFAULTS;
        return new ScaleSettings(
                min,
                max,
                0,
                0,
                70,
                window,
                10,
                threshold,
                1000,
                2,
                d.retention(),
                d.scaleToZeroGracePeriod(),
                d.scaleDownDelay());
    }

    @Test
    void knativesDefaults() {
        ScaleSettings d = ScaleSettings.DEFAULTS;
        assertThat(d.window()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.panicWindow()).isEqualTo(Duration.ofSeconds(6));
        assertThat(d.targetPerInstance(1)).isEqualTo(0.7);
        assertThat(d.targetPerInstance(100)).isEqualTo(70.0);
        assertThat(d.initial()).isEqualTo(1);
    }

    @Test
    void aTargetAboveTheHardLimitIsCappedAtIt() {
        ScaleSettings d = ScaleSettings.DEFAULTS;
        ScaleSettings t = new ScaleSettings(
                0,
                10,
                1,
                50,
                100,
                d.window(),
                10,
                200,
                1000,
                2,
                d.retention(),
                d.scaleToZeroGracePeriod(),
                d.scaleDownDelay());
        assertThat(t.targetPerInstance(4)).isEqualTo(4.0);
        assertThat(t.targetPerInstance(100)).isEqualTo(50.0);
    }

    @Test
    void thePanicWindowIsRoundedToWholeSecondsAndAtLeastOne() {
        ScaleSettings d = ScaleSettings.DEFAULTS;
        ScaleSettings tiny = new ScaleSettings(
                0,
                10,
                1,
                0,
                70,
                Duration.ofSeconds(7),
                1,
                200,
                1000,
                2,
                d.retention(),
                d.scaleToZeroGracePeriod(),
                d.scaleDownDelay());
        assertThat(tiny.panicWindow()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void refusalsNameTheFieldTheValueAndTheRange() {
        assertThatThrownBy(() -> with(5, 2, Duration.ofSeconds(60), 200)).hasMessage("min: 5 is more than max 2");
        assertThatThrownBy(() -> with(0, 2, Duration.ofSeconds(3), 200))
                .hasMessage("window: 3s is out of range 6s..1h");
        assertThatThrownBy(() -> with(0, 2, Duration.ofMillis(6500), 200))
                .hasMessage("window: 6500ms must be whole seconds");
        assertThatThrownBy(() -> with(0, 2, Duration.ofSeconds(60), 100))
                .hasMessage("panicThresholdPercentage: 100 is out of range 110..1000");
        assertThatThrownBy(() -> with(-1, 2, Duration.ofSeconds(60), 200))
                .hasMessage("min: -1 is out of range 0..1000");
    }

    @Test
    void maxZeroMeansNoLimit() {
        assertThat(with(3, 0, Duration.ofSeconds(60), 200).maxOrUnlimited()).isEqualTo(Integer.MAX_VALUE);
    }
}
