package dev.sedge.scaling.policy.icebreaker;

/**
 * IceBreaker's model of an invocation series: a quadratic trend fitted by least squares, plus the
 * strongest Fourier components of what the trend leaves, carried past the window's end. The harmonics of a
 * window of {@code n} intervals repeat every {@code n} intervals, so the forecast {@code j} intervals past
 * the window's end takes the harmonics as they were {@code j} intervals after its start: a window of one
 * day forecasts from the same time a day before, and rebuilds exactly any period that divides a day.
 *
 * <p>One forecast costs {@code O(n)} for the trend, the spectrum of the rest ({@link ResidualSpectrum}),
 * {@code O(n k)} at most to choose the {@code k} strongest harmonics and {@code O(h k)} to extend them
 * {@code h} intervals; the spectrum is skipped when no harmonic could lift the forecast to the threshold.
 * Holds its working arrays: not thread-safe, one forecast at a time; reusable for any number of series of
 * its length.
 */
final class HarmonicForecaster {

    private final int n;
    private final int harmonics;
    /** The trend's polynomials on the grid of the window, scaled to [-1, 1]: 1, x and x^2 - mean(x^2). */
    private final double[] x;

    private final double[] p2;
    private final double meanX2;
    private final double sumX2;
    private final double sumP2Squared;
    private final ResidualSpectrum spectrum;

    private final double[] input;
    private final double[] residual;
    private final double[] coefficients = new double[3];
    private final double[] re;
    private final double[] im;
    private final int[] topBins;
    private final double[] topPower;
    private long forecasts;

    /**
     * @param n the window's length, at least 8, with no prime factor above {@link Fft#LARGEST_FACTOR}
     * @param harmonics how many Fourier components to keep, 1 to {@code n / 2}
     */
    HarmonicForecaster(int n, int harmonics) {
        if (n < 8 || !Fft.fits(n)) {
            throw new IllegalArgumentException(
                    "window " + n + " is below 8 or has a prime factor above " + Fft.LARGEST_FACTOR);
        }
        if (harmonics < 1 || harmonics > n / 2) {
            throw new IllegalArgumentException("harmonics " + harmonics + " is outside 1.." + n / 2);
        }
        this.n = n;
        this.harmonics = harmonics;
        x = new double[n];
        p2 = new double[n];
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            x[i] = grid(i);
            s2 += x[i] * x[i];
        }
        sumX2 = s2;
        meanX2 = s2 / n;
        double p2Squares = 0;
        for (int i = 0; i < n; i++) {
            p2[i] = x[i] * x[i] - meanX2;
            p2Squares += p2[i] * p2[i];
        }
        sumP2Squared = p2Squares;
        double[] one = new double[n];
        java.util.Arrays.fill(one, 1);
        spectrum = new ResidualSpectrum(n, one, x, p2);
        input = new double[n];
        residual = new double[n];
        re = new double[n];
        im = new double[n];
        topBins = new int[harmonics];
        topPower = new double[harmonics];
    }

    int window() {
        return n;
    }

    /** How many forecasts this forecaster has made. */
    long forecasts() {
        return forecasts;
    }

    /** How many of them needed the FFT: the most of what forecasts cost. */
    long transforms() {
        return spectrum.transforms();
    }

    /**
     * Fills {@code forecast[j]} with the model's value {@code j} intervals after {@code end}, fitted to the
     * counts of the {@link #window()} intervals before {@code end}; as {@link #forecast(double[], double[],
     * double)}.
     */
    void forecast(InvocationSeries counts, long end, double[] forecast, double threshold) {
        counts.window(end, input);
        forecast(input, forecast, threshold);
    }

    /**
     * Fills {@code forecast[j]} with the model's value {@code j} intervals after the window's end. Exact
     * where it is at or above {@code threshold}; below it, the values may be the trend alone: when the
     * model cannot reach the threshold anywhere in the forecast, the harmonics are not computed.
     *
     * @param series the window's values, oldest first, {@link #window()} of them
     */
    void forecast(double[] series, double[] forecast, double threshold) {
        forecasts++;
        // The three polynomials are orthogonal on a grid symmetric about 0, so each coefficient of the
        // least-squares quadratic is one projection: no normal equations to solve.
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            s0 += series[i];
            s1 += series[i] * x[i];
            s2 += series[i] * p2[i];
        }
        double a0 = s0 / n;
        double a1 = s1 / sumX2;
        double a2 = s2 / sumP2Squared;
        double residualSquares = 0;
        for (int i = 0; i < n; i++) {
            residual[i] = series[i] - (a0 + a1 * x[i] + a2 * p2[i]);
            residualSquares += residual[i] * residual[i];
        }
        double trendMax = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < forecast.length; j++) {
            double at = grid(n + j);
            forecast[j] = a0 + a1 * at + a2 * (at * at - meanX2);
            trendMax = Math.max(trendMax, forecast[j]);
        }
        // Parseval: the k kept amplitudes sum to at most sqrt(2 k sum(r^2) / n). Below the threshold even
        // then, no harmonic can lift any interval to it: the spectrum would change nothing the caller reads.
        if (trendMax + Math.sqrt(2.0 * harmonics * residualSquares / n) < threshold) {
            return;
        }
        coefficients[0] = a0;
        coefficients[1] = a1;
        coefficients[2] = a2;
        spectrum.of(series, residual, coefficients, re, im);
        int kept = strongest();
        for (int h = 0; h < kept; h++) {
            int f = topBins[h];
            // A real series' bins f and n - f are conjugates: together one cosine of twice the amplitude,
            // except at n / 2, which has no twin.
            double scale = (2 * f == n ? 1.0 : 2.0) / n;
            double zr = re[f] * scale;
            double zi = im[f] * scale;
            // The component j intervals on is the real part of z e^(2 pi i f j / n): turn z one step at a time.
            double wr = Math.cos(2 * Math.PI * f / n);
            double wi = Math.sin(2 * Math.PI * f / n);
            for (int j = 0; j < forecast.length; j++) {
                forecast[j] += zr;
                double r = zr * wr - zi * wi;
                zi = zr * wi + zi * wr;
                zr = r;
            }
        }
    }

    /** Chooses the strongest bins of 1..n/2 with any power, strongest first; how many there are. */
    private int strongest() {
        int count = 0;
        for (int f = 1; f <= n / 2; f++) {
            double power = re[f] * re[f] + im[f] * im[f];
            if (power <= 1e-18 || (count == harmonics && power <= topPower[count - 1])) {
                continue;
            }
            int at = count == harmonics ? count - 1 : count++;
            while (at > 0 && topPower[at - 1] < power) {
                topPower[at] = topPower[at - 1];
                topBins[at] = topBins[at - 1];
                at--;
            }
            topPower[at] = power;
            topBins[at] = f;
        }
        return count;
    }

    /** Index {@code i} on the grid where the window's first value is at -1 and its last at 1. */
    private double grid(long i) {
        return (2.0 * i - (n - 1)) / (n - 1);
    }
}
