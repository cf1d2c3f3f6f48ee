package dev.sedge.bench.proc;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU time of each platform thread of this JVM, to find its busiest thread over a window: an
 * event loop near a full core means the harness, not the target, may be setting the pace. Stateless.
 */
public final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {}

    /** CPU nanoseconds used so far, by thread identifier. */
    public static Map<Long, Long> snapshot() {
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long nanos = THREADS.getThreadCpuTime(id);
            if (nanos >= 0) { // -1: the thread has ended, or CPU time is not measured
                cpu.put(id, nanos);
            }
        }
        return cpu;
    }

    /** The largest share of one core that a single thread used between two snapshots. */
    public static double busiest(Map<Long, Long> start, Map<Long, Long> end, long wallNanos) {
        double max = 0;
        for (Map.Entry<Long, Long> e : end.entrySet()) {
            long used = e.getValue() - start.getOrDefault(e.getKey(), 0L);
            max = Math.max(max, used / (double) wallNanos);
        }
        return max;
    }
}
