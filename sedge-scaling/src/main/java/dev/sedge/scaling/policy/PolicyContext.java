package dev.sedge.scaling.policy;

/**
 * What a policy may know about the node it decides for. Immutable.
 *
 * @param coldStartMillis how long starting an instance takes
 * @param memoryMib what one instance holds while it is up
 * @param nodeMemoryMib what all the node's kept instances may hold together (a budget only some
 *     policies honour)
 * @param coldStartWorthMillis what avoiding one cold start is worth, in time one instance may sit idle for
 *     it: the price at which Sedge's own policy trades memory for latency
 */
public record PolicyContext(long coldStartMillis, long memoryMib, long nodeMemoryMib, long coldStartWorthMillis) {

    public static final long COLD_START_MILLIS_DEFAULT = 500;
    public static final long MEMORY_MIB_DEFAULT = 128;
    public static final long NODE_MEMORY_MIB_DEFAULT = 2048;
    /** An hour of one idle instance for each cold start avoided. */
    public static final long COLD_START_WORTH_MILLIS_DEFAULT = 3_600_000;
    /** The least worth: below a second, a cold start would be worth less than its own duration. */
    public static final long COLD_START_WORTH_MILLIS_MIN = 1000;

    public static final PolicyContext DEFAULTS =
            new PolicyContext(COLD_START_MILLIS_DEFAULT, MEMORY_MIB_DEFAULT, NODE_MEMORY_MIB_DEFAULT);

    /** With the default worth of a cold start. */
    public PolicyContext(long coldStartMillis, long memoryMib, long nodeMemoryMib) {
        this(coldStartMillis, memoryMib, nodeMemoryMib, COLD_START_WORTH_MILLIS_DEFAULT);
    }

    /** Each value in range. */
    public PolicyContext {
        if (coldStartMillis < 0) {
            throw new IllegalArgumentException("cold start " + coldStartMillis + " ms is negative");
        }
        if (memoryMib < 1) {
            throw new IllegalArgumentException("memory " + memoryMib + " MiB is below 1");
        }
        if (nodeMemoryMib < memoryMib) {
            throw new IllegalArgumentException(
                    "node memory " + nodeMemoryMib + " MiB is below one instance's " + memoryMib + " MiB");
        }
        if (coldStartWorthMillis < COLD_START_WORTH_MILLIS_MIN) {
            throw new IllegalArgumentException(
                    "cold start worth " + coldStartWorthMillis + " ms is below " + COLD_START_WORTH_MILLIS_MIN + " ms");
        }
    }
}
