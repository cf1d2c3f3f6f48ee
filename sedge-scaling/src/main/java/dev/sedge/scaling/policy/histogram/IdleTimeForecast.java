package dev.sedge.scaling.policy.histogram;

/**
 * Forecasts a function's next idle time from its last {@value #WINDOW}: an AR(1) model, {@code x[i+1] = a +
 * b x[i]}, fitted by least squares on the logarithms of the idle times, which span minutes to days. The
 * stand-in for the ARIMA model of the hybrid histogram policy: idle times that long are few, so a model with
 * two parameters is what so short a series supports. The forecast is held within the smallest and largest
 * idle time of the window, so that a steep fit on few points cannot send it beyond anything seen. Not
 * thread-safe.
 */
final class IdleTimeForecast {

    /** How many of the latest idle times the model is fitted on. */
    static final int WINDOW = 16;

    private final double[] logs = new double[WINDOW];
    private int size;
    private int next;

    void add(long idleMillis) {
        logs[next] = Math.log(Math.max(1, idleMillis));
        next = (next + 1) % WINDOW;
        size = Math.min(size + 1, WINDOW);
    }

    /** The next idle time in milliseconds; needs at least one idle time. */
    long nextMillis() {
        if (size == 0) {
            throw new IllegalStateException("no idle time to forecast from");
        }
        int first = (next - size + WINDOW) % WINDOW;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        double sumX = 0;
        double sumY = 0;
        for (int i = 0; i < size; i++) {
            double x = logs[(first + i) % WINDOW];
            min = Math.min(min, x);
            max = Math.max(max, x);
            if (i < size - 1) {
                sumX += x;
                sumY += logs[(first + i + 1) % WINDOW];
            }
        }
        double latest = logs[(first + size - 1) % WINDOW];
        int pairs = size - 1;
        if (pairs < 2) {
            return Math.round(Math.exp(latest));
        }
        double meanX = sumX / pairs;
        double meanY = sumY / pairs;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < pairs; i++) {
            double dx = logs[(first + i) % WINDOW] - meanX;
            sxx += dx * dx;
            sxy += dx * (logs[(first + i + 1) % WINDOW] - meanY);
        }
        // Idle times that have all been the same length predict that length.
        double slope = sxx < 1e-12 ? 0 : sxy / sxx;
        double forecast = meanY + slope * (latest - meanX);
        return Math.round(Math.exp(Math.clamp(forecast, min, max)));
    }
}
