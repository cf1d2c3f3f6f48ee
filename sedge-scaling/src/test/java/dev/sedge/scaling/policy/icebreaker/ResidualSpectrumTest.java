package dev.sedge.scaling.policy.icebreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sum over a sparse window's events gives the spectrum the FFT of its residual gives. */
class ResidualSpectrumTest {

    private static final int N = 240;

    @Test
    void aSparseWindowIsSummedOverItsEventsAndAgreesWithTheFft() {
        double[] series = new double[N];
        series[3] = 2;
        series[100] = 1;
        series[239] = 5;
        Spectra spectra = spectraOf(series);
        assertThat(spectra.spectrum.transforms()).isZero();
        spectra.assertAgree();
    }

    @Test
    void aDenseWindowGoesThroughTheFft() {
        Random random = new Random(3);
        double[] series = new double[N];
        for (int i = 0; i < N; i++) {
            series[i] = random.nextInt(4);
        }
        Spectra spectra = spectraOf(series);
        assertThat(spectra.spectrum.transforms()).isEqualTo(1);
        spectra.assertAgree();
    }

    private record Spectra(ResidualSpectrum spectrum, double[] re, double[] im, double[] fftRe, double[] fftIm) {

        void assertAgree() {
            for (int f = 1; f <= N / 2; f++) {
                assertThat(re[f]).as("bin %d re", f).isCloseTo(fftRe[f], within(1e-9));
                assertThat(im[f]).as("bin %d im", f).isCloseTo(fftIm[f], within(1e-9));
            }
        }
    }

    /** Both ways, with a line and a parabola as the trend and coefficients that need not fit. */
    private static Spectra spectraOf(double[] series) {
        double[] one = new double[N];
        double[] line = new double[N];
        double[] parabola = new double[N];
        for (int i = 0; i < N; i++) {
            one[i] = 1;
            line[i] = i / (double) N;
            parabola[i] = line[i] * line[i];
        }
        double[] coefficients = {0.3, -0.2, 0.7};
        double[] residual = new double[N];
        for (int i = 0; i < N; i++) {
            residual[i] = series[i] - coefficients[0] - coefficients[1] * line[i] - coefficients[2] * parabola[i];
        }
        ResidualSpectrum spectrum = new ResidualSpectrum(N, one, line, parabola);
        double[] re = new double[N];
        double[] im = new double[N];
        spectrum.of(series, residual, coefficients, re, im);
        double[] fftRe = new double[N];
        double[] fftIm = new double[N];
        new Fft(N).transform(residual, new double[N], fftRe, fftIm);
        return new Spectra(spectrum, re, im, fftRe, fftIm);
    }
}
