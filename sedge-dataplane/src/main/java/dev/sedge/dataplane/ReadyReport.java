package dev.sedge.dataplane;

/**
 * Tells the scale listener of each change of one function's ready instances, in the order they
 * happened: called under the dispatcher's lock after every step, it reports only a count that moved.
 * Not thread-safe: guarded by that lock.
 */
final class ReadyReport {

    private static final System.Logger LOG = System.getLogger("dev.sedge.dataplane");

    private final String function;
    private final ScaleListener listener;
    private int reported;

    ReadyReport(String function, ScaleListener listener) {
        this.function = function;
        this.listener = listener;
    }

    /** The function has {@code ready} instances now. */
    void report(int ready) {
        if (ready == reported) {
            return;
        }
        int previous = reported;
        reported = ready;
        try {
            listener.readyChanged(function, ready, previous);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "scale listener threw", e);
        }
    }
}
