package dev.sedge.scaling.sim.workload;

import java.util.Random;

/**
 * The random draws the generator makes, on {@link Random} (whose algorithm its Javadoc fixes for every
 * Java implementation) with {@link StrictMath} (same bits on every platform), so that a seed gives the same
 * trace everywhere. Stateless.
 */
final class Draw {

    private Draw() {}

    /** Uniform in {@code [lo, hi)}. */
    static double uniform(Random random, double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    /** Exponential with this mean. */
    static double exponential(Random random, double mean) {
        return -mean * StrictMath.log(1 - random.nextDouble());
    }

    /** Geometric on 1, 2, 3, ... with this mean (at least 1). */
    static int geometric(Random random, double mean) {
        if (mean <= 1) {
            return 1;
        }
        double u = 1 - random.nextDouble();
        double k = StrictMath.floor(StrictMath.log(u) / StrictMath.log(1 - 1 / mean));
        return (int) Math.min(1 + k, Integer.MAX_VALUE);
    }

    /** Log-normal with median 1 and this standard deviation of the log. */
    static double logNormal(Random random, double sigma) {
        return StrictMath.exp(sigma * random.nextGaussian());
    }

    /**
     * A draw from a distribution given by its quantiles at equal steps (the first at 0, the last at 1),
     * linear between them.
     */
    static double fromQuantiles(Random random, double[] quantiles) {
        double x = random.nextDouble() * (quantiles.length - 1);
        int i = (int) x;
        return quantiles[i] + (x - i) * (quantiles[i + 1] - quantiles[i]);
    }

    /** A random time in ms: rounded, so that every source rounds alike. */
    static long millis(double ms) {
        return StrictMath.round(ms);
    }
}
