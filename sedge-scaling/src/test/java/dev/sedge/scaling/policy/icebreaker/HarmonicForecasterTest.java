package dev.sedge.scaling.policy.icebreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HarmonicForecasterTest {

    private static final int N = 240;

    @Test
    void carriesAQuadraticTrendOnExactly() {
        double[] series = new double[N];
        for (int i = 0; i < N; i++) {
            series[i] = 2 + 0.01 * i - 0.00002 * i * i;
        }
        double[] forecast = new double[30];
        new HarmonicForecaster(N, 20).forecast(series, forecast, Double.NEGATIVE_INFINITY);
        for (int j = 0; j < forecast.length; j++) {
            int i = N + j;
            assertThat(forecast[j]).as("interval %d", j).isCloseTo(2 + 0.01 * i - 0.00002 * i * i, within(1e-9));
        }
    }

    /**
     * Sixteen pulses of a quarter hour in a four-hour window: their seven harmonics rebuild them, but for
     * the little slope and curve the trend takes from where in the window the pulses fall.
     */
    @Test
    void carriesAPulseThatDividesTheWindowOnInStep() {
        double[] series = pulses(15, 4);
        double[] forecast = new double[30];
        new HarmonicForecaster(N, 20).forecast(series, forecast, 0.5);
        for (int j = 0; j < forecast.length; j++) {
            boolean pulse = j % 15 == 15 - 1 - 4; // the last pulse was 4 intervals before the end
            assertThat(forecast[j]).as("interval %d", j).isCloseTo(pulse ? 1 : 0, within(0.02));
        }
    }

    /** An hourly pulse spreads over 30 harmonics: ten lift it to 0.35, twenty over the threshold. */
    @Test
    void anHourlyPulseNeedsTwentyHarmonicsToReachTheThreshold() {
        double[] series = pulses(60, 10);
        double[] ten = new double[60];
        double[] twenty = new double[60];
        new HarmonicForecaster(N, 10).forecast(series, ten, Double.NEGATIVE_INFINITY);
        new HarmonicForecaster(N, 20).forecast(series, twenty, Double.NEGATIVE_INFINITY);
        int next = 60 - 1 - 10;
        // The mean and k harmonics of amplitude 2/60 each, as near as the trend lets them be.
        assertThat(ten[next]).isCloseTo((1 + 2 * 10) / 60.0, within(0.02));
        assertThat(twenty[next]).isCloseTo((1 + 2 * 20) / 60.0, within(0.02));
        for (int j = 0; j < 60; j++) {
            assertThat(twenty[j] >= 0.5).as("interval %d", j).isEqualTo(j == next);
        }
    }

    /** The bound that skips the spectrum never hides an interval the full model puts at the threshold. */
    @Test
    void skippingTheSpectrumChangesNothingAtOrAboveTheThreshold() {
        Random random = new Random(11);
        HarmonicForecaster skipping = new HarmonicForecaster(N, 20);
        HarmonicForecaster full = new HarmonicForecaster(N, 20);
        double[] series = new double[N];
        double[] cheap = new double[31];
        double[] exact = new double[31];
        for (int trial = 0; trial < 500; trial++) {
            java.util.Arrays.fill(series, 0);
            int bursts = random.nextInt(6);
            for (int b = 0; b < bursts; b++) {
                series[random.nextInt(N)] += 1 + random.nextInt(1 + trial % 8);
            }
            skipping.forecast(series, cheap, 0.5);
            full.forecast(series, exact, Double.NEGATIVE_INFINITY);
            for (int j = 0; j < exact.length; j++) {
                assertThat(cheap[j] >= 0.5).as("trial %d interval %d", trial, j).isEqualTo(exact[j] >= 0.5);
                if (exact[j] >= 0.5) {
                    assertThat(cheap[j]).isEqualTo(exact[j]);
                }
            }
        }
        assertThat(skipping.forecasts()).isEqualTo(500);
        assertThat(skipping.transforms()).isZero(); // sparse windows: summed over their events, never the FFT
    }

    @Test
    void refusesAWindowOrHarmonicsOutOfRange() {
        assertThatThrownBy(() -> new HarmonicForecaster(4, 1))
                .hasMessage("window 4 is below 8 or has a prime factor above 7");
        assertThatThrownBy(() -> new HarmonicForecaster(240, 121)).hasMessage("harmonics 121 is outside 1..120");
    }

    /** A pulse of one every {@code period} intervals, the last {@code sinceLast} intervals before the end. */
    private static double[] pulses(int period, int sinceLast) {
        double[] series = new double[N];
        for (int i = N - 1 - sinceLast; i >= 0; i -= period) {
            series[i] = 1;
        }
        return series;
    }
}
