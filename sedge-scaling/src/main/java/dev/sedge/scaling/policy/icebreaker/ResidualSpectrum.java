package dev.sedge.scaling.policy.icebreaker;

/**
 * The discrete Fourier transform of what a fitted trend leaves of a series of counts, bins {@code 1 ..
 * n / 2}, computed the cheaper of two exact ways. A window of counts is often nearly all zeros (a sparse
 * sensor's burst and then silence): then, since the transform is linear, the residual's transform is the
 * counts' transform, a sum over the few intervals with events ({@code O(n s)} for {@code s} of them),
 * less each trend polynomial's transform, computed once, times its coefficient. Otherwise the residual
 * goes through the FFT ({@code O(n (p1 + p2 + ...))}).
 *
 * <p>Holds its working arrays: not thread-safe, one transform at a time.
 */
final class ResidualSpectrum {

    private final int n;
    private final Fft fft;
    /** Each trend polynomial's transform, bins 0 .. n - 1. */
    private final double[][] basisRe;

    private final double[][] basisIm;
    /** The cost of the FFT in the units of the sparse sum: one table look-up and multiply per value. */
    private final long fftCost;

    private final double[] zeros;
    private final int[] events;
    private long transforms;

    /** @param basis the trend's polynomials, each evaluated at the series' {@code n} points */
    ResidualSpectrum(int n, double[]... basis) {
        this.n = n;
        this.fft = new Fft(n);
        this.zeros = new double[n];
        this.events = new int[n];
        basisRe = new double[basis.length][n];
        basisIm = new double[basis.length][n];
        for (int b = 0; b < basis.length; b++) {
            fft.transform(basis[b], zeros, basisRe[b], basisIm[b]);
        }
        fftCost = (long) n * fft.operationsPerValue();
    }

    /** How many spectra needed the FFT. */
    long transforms() {
        return transforms;
    }

    /**
     * Fills {@code re} and {@code im} at bins {@code 1 .. n / 2} with the transform of {@code residual},
     * which is {@code series} less {@code sum coefficients[b] * basis[b]}.
     */
    void of(double[] series, double[] residual, double[] coefficients, double[] re, double[] im) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (series[i] != 0) {
                events[count++] = i;
            }
        }
        int half = n / 2;
        if ((long) count * half >= fftCost) {
            transforms++;
            fft.transform(residual, zeros, re, im);
            return;
        }
        for (int f = 1; f <= half; f++) {
            double r = 0;
            double m = 0;
            for (int b = 0; b < coefficients.length; b++) {
                r -= coefficients[b] * basisRe[b][f];
                m -= coefficients[b] * basisIm[b][f];
            }
            re[f] = r;
            im[f] = m;
        }
        for (int e = 0; e < count; e++) {
            int i = events[e];
            double value = series[i];
            // e^(-2 pi i f i / n) for f = 1, 2, ...: the twiddle table's entry (f i) mod n, stepped by i.
            int at = 0;
            for (int f = 1; f <= half; f++) {
                at += i;
                if (at >= n) {
                    at -= n;
                }
                re[f] += value * fft.cos(at);
                im[f] += value * fft.sin(at);
            }
        }
    }
}
