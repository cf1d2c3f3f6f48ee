package dev.sedge.dataplane;

/**
 * Whether one function's events may run on the thread that dispatches them (an MQTT connection's event
 * loop) instead of a new virtual thread: a hand-off costs the wake-up of a parked thread, which is most
 * of a short function's latency at low rates.
 *
 * <p>Only functions that run in the node's process (wasm and jvm; a process function talks over a pipe
 * and waits), and only once their last {@link #SHORT_RUNS} runs each took at most {@link #SHORT_NANOS}.
 * A run longer than that closes the gate until the function has shown {@link #SHORT_RUNS} short runs
 * again, on threads of their own. So a function that is slow never runs on an event loop, and one that
 * turns slow holds up the connections of that loop for at most one run in {@link #SHORT_RUNS} + 1; its
 * deadline still holds (a wasm guest is stopped by closing its instance; a jvm function's thread is not
 * interrupted there, since it is the loop's). An event that runs here and publishes to a trigger does not
 * run that trigger's function here too: one level only, so chains and loops of functions cannot grow
 * the stack.
 *
 * <p>Thread-safe: the count is racy by design (a lost update delays opening by one run).
 */
final class InlineGate {

    /** A run this short, or shorter, counts for the gate. */
    static final long SHORT_NANOS = 1_000_000;
    /** Short runs in a row that open the gate. */
    static final int SHORT_RUNS = 16;

    /**
     * Off with {@code -Dsedge.inline=false} on the node's JVM: every event then starts a thread of its
     * own, as before the gate, for a benchmark to compare the two in one run.
     */
    static final boolean ENABLED = !"false".equals(System.getProperty("sedge.inline"));

    private static final ThreadLocal<boolean[]> RUNNING_HERE = ThreadLocal.withInitial(() -> new boolean[1]);

    private final boolean inProcess;
    private volatile int shortRuns;

    InlineGate(String runtime) {
        this.inProcess = ENABLED && ("wasm".equals(runtime) || "jvm".equals(runtime));
    }

    /** Whether an event may run on the calling thread now. */
    boolean open() {
        return inProcess && shortRuns >= SHORT_RUNS && !RUNNING_HERE.get()[0];
    }

    /** A run of the function took {@code nanos}. */
    void ran(long nanos) {
        if (nanos > SHORT_NANOS) {
            shortRuns = 0;
        } else if (shortRuns < SHORT_RUNS) {
            shortRuns++;
        }
    }

    /** Marks this thread as running an event here; returns what {@link #left} takes. */
    static boolean[] entered() {
        boolean[] here = RUNNING_HERE.get();
        here[0] = true;
        return here;
    }

    /** The event that {@link #entered()} marked has ended. */
    static void left(boolean[] here) {
        here[0] = false;
    }
}
