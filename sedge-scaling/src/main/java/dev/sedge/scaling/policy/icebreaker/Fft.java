package dev.sedge.scaling.policy.icebreaker;

/**
 * A fast Fourier transform of one fixed length whose prime factors are all at most {@link #LARGEST_FACTOR},
 * {@code X[f] = sum x[i] e^(-2 pi i f i / n)}: mixed-radix Cooley-Tukey, splitting the series by its
 * factors one after the other, {@code O(n (p1 + p2 + ...))} for {@code n = p1 p2 ...}: windows of whole
 * hours of minutes ({@code 240 = 2^4 3 5}, {@code 1440 = 2^5 3^2 5}) need no padding to a power of two.
 * Holds its twiddle table and working arrays: not thread-safe, one transform at a time.
 */
final class Fft {

    /** The largest prime factor a length may have: a radix-p step costs p operations per value. */
    static final int LARGEST_FACTOR = 7;

    private static final int[] PRIMES = {7, 5, 3, 2};

    private final int n;
    /** The radices, largest first: the last, smallest ones are applied to the most sub-series. */
    private final int[] radices;

    private final double[] cos;
    private final double[] sin;
    private final double[] tr;
    private final double[] ti;

    /** @param n the length, at least 2, with no prime factor above {@link #LARGEST_FACTOR} */
    Fft(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("FFT length " + n + " is below 2");
        }
        this.n = n;
        this.radices = factor(n);
        cos = new double[n];
        sin = new double[n];
        for (int k = 0; k < n; k++) {
            double angle = -2 * Math.PI * k / n;
            cos[k] = Math.cos(angle);
            sin[k] = Math.sin(angle);
        }
        tr = new double[LARGEST_FACTOR];
        ti = new double[LARGEST_FACTOR];
    }

    /** Whether {@code n} is a length this transform takes. */
    static boolean fits(int n) {
        if (n < 2) {
            return false;
        }
        int rest = n;
        for (int p : PRIMES) {
            while (rest % p == 0) {
                rest /= p;
            }
        }
        return rest == 1;
    }

    int length() {
        return n;
    }

    /** {@code cos(-2 pi e / n)}, for {@code 0 <= e < n}. */
    double cos(int e) {
        return cos[e];
    }

    /** {@code sin(-2 pi e / n)}, for {@code 0 <= e < n}. */
    double sin(int e) {
        return sin[e];
    }

    /** About how many complex multiply-adds one transform costs per value: the sum of its radices. */
    int operationsPerValue() {
        int sum = 0;
        for (int p : radices) {
            sum += p == 2 ? 1 : p;
        }
        return sum;
    }

    /**
     * Transforms {@code inRe + i inIm} into {@code outRe + i outIm}; each array holds {@link #length()}
     * values, and the input is left as it was.
     */
    void transform(double[] inRe, double[] inIm, double[] outRe, double[] outIm) {
        step(inRe, inIm, 0, 1, outRe, outIm, 0, n, 0);
    }

    /**
     * The transform of the {@code size} values {@code in[offset + j * stride]}, written to {@code out[at ..
     * at + size)}: the transforms of its {@code p} interleaved sub-series, then combined.
     */
    private void step(
            double[] inRe,
            double[] inIm,
            int offset,
            int stride,
            double[] outRe,
            double[] outIm,
            int at,
            int size,
            int depth) {
        if (size == 1) {
            outRe[at] = inRe[offset];
            outIm[at] = inIm[offset];
            return;
        }
        int p = radices[depth];
        int m = size / p;
        for (int r = 0; r < p; r++) {
            step(inRe, inIm, offset + r * stride, stride * p, outRe, outIm, at + r * m, m, depth + 1);
        }
        int unit = n / size; // w_size^e is the table's entry e * unit
        if (p == 2) {
            combineTwo(outRe, outIm, at, m, unit);
        } else {
            combine(outRe, outIm, at, m, unit, p);
        }
    }

    /** {@code out[at + r m + k]} holds sub-series r's value k; {@code X[k + q m] = sum_r w_size^(r (k + q m)) Y_r[k]}. */
    private void combine(double[] outRe, double[] outIm, int at, int m, int unit, int p) {
        int ofP = n / p; // w_p^e is the table's entry e * ofP
        for (int k = 0; k < m; k++) {
            for (int r = 0; r < p; r++) {
                int e = r * k * unit; // below n: r k < size
                double yr = outRe[at + r * m + k];
                double yi = outIm[at + r * m + k];
                tr[r] = yr * cos[e] - yi * sin[e];
                ti[r] = yr * sin[e] + yi * cos[e];
            }
            for (int q = 0; q < p; q++) {
                double sr = 0;
                double si = 0;
                for (int r = 0; r < p; r++) {
                    int e = (r * q % p) * ofP;
                    sr += tr[r] * cos[e] - ti[r] * sin[e];
                    si += tr[r] * sin[e] + ti[r] * cos[e];
                }
                outRe[at + q * m + k] = sr;
                outIm[at + q * m + k] = si;
            }
        }
    }

    /** {@link #combine} for two sub-series: {@code X[k] = Y0[k] + w^k Y1[k]}, {@code X[k + m] = Y0[k] - w^k Y1[k]}. */
    private void combineTwo(double[] outRe, double[] outIm, int at, int m, int unit) {
        for (int k = 0; k < m; k++) {
            int e = k * unit;
            int a = at + k;
            int b = a + m;
            double xr = outRe[b] * cos[e] - outIm[b] * sin[e];
            double xi = outRe[b] * sin[e] + outIm[b] * cos[e];
            outRe[b] = outRe[a] - xr;
            outIm[b] = outIm[a] - xi;
            outRe[a] += xr;
            outIm[a] += xi;
        }
    }

    private static int[] factor(int n) {
        if (!fits(n)) {
            throw new IllegalArgumentException("FFT length " + n + " has a prime factor above " + LARGEST_FACTOR);
        }
        int[] found = new int[32];
        int count = 0;
        int rest = n;
        for (int p : PRIMES) {
            while (rest % p == 0) {
                found[count++] = p;
                rest /= p;
            }
        }
        return java.util.Arrays.copyOf(found, count);
    }
}
