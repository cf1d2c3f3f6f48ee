package dev.sedge.scaling.policy.icebreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The mixed-radix transform against the definition, summed term by term. */
class FftTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 8, 12, 49, 60, 105, 240, 1024, 1440})
    void matchesTheDefinition(int n) {
        Random random = new Random(n);
        double[] re = new double[n];
        double[] im = new double[n];
        for (int i = 0; i < n; i++) {
            re[i] = random.nextGaussian();
            im[i] = random.nextGaussian();
        }
        double[] outRe = new double[n];
        double[] outIm = new double[n];
        new Fft(n).transform(re, im, outRe, outIm);
        for (int f = 0; f < n; f++) {
            double sumRe = 0;
            double sumIm = 0;
            for (int i = 0; i < n; i++) {
                double angle = -2 * Math.PI * ((long) f * i % n) / n;
                sumRe += re[i] * Math.cos(angle) - im[i] * Math.sin(angle);
                sumIm += re[i] * Math.sin(angle) + im[i] * Math.cos(angle);
            }
            assertThat(outRe[f]).as("bin %d re", f).isCloseTo(sumRe, within(1e-9 * n));
            assertThat(outIm[f]).as("bin %d im", f).isCloseTo(sumIm, within(1e-9 * n));
        }
    }

    @Test
    void leavesItsInputAsItWas() {
        double[] re = {1, 2, 3, 4, 5, 6};
        double[] im = new double[6];
        new Fft(6).transform(re, im, new double[6], new double[6]);
        assertThat(re).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(im).containsOnly(0);
    }

    @Test
    void refusesALengthWithALargePrimeFactor() {
        assertThat(Fft.fits(1440)).isTrue();
        assertThat(Fft.fits(22)).isFalse();
        assertThatThrownBy(() -> new Fft(22))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FFT length 22 has a prime factor above 7");
        assertThatThrownBy(() -> new Fft(1)).hasMessage("FFT length 1 is below 2");
    }
}
