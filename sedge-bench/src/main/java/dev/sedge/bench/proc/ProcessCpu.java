package dev.sedge.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;

/**
 * The CPU time a process has used, user plus system, read from {@code /proc/<pid>/stat}: the same source
 * for a Sedge node, a baseline broker and the load generator itself, so that their numbers compare.
 * Stateless.
 */
public final class ProcessCpu {

    /** USER_HZ: the unit of the times in /proc, fixed at 100 by the Linux user-space ABI. */
    static final double TICKS_PER_SECOND = 100.0;

    // Fields of /proc/<pid>/stat counted from 1; utime and stime are 14 and 15 (proc(5)).
    private static final int UTIME_FIELD = 14;
    private static final int STIME_FIELD = 15;
    // The text after the command's closing parenthesis starts at field 3 (the state).
    private static final int FIRST_FIELD_AFTER_COMM = 3;

    private ProcessCpu() {}

    /**
     * CPU seconds used so far by a process.
     *
     * @throws IOException if the process does not exist (any more) or /proc is not mounted
     */
    public static double seconds(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            return parseStat(Files.readString(stat));
        } catch (NoSuchFileException e) {
            throw new IOException("no " + stat + ": the process has ended, or /proc is not mounted", e);
        }
    }

    /**
     * Seconds the process's threads have spent runnable but waiting for a CPU, added over its threads
     * ({@code /proc/<pid>/task/<tid>/schedstat}, field 2): on a shared machine, how much of a target's
     * pace was set by other processes. Threads that ended are not counted; -1 when the kernel does not
     * keep scheduler statistics.
     */
    public static double waitingSeconds(long pid) throws IOException {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        long nanos = 0;
        int read = 0;
        try (var dirs = Files.newDirectoryStream(tasks)) {
            for (Path task : dirs) {
                String[] fields;
                try {
                    fields = Files.readString(task.resolve("schedstat")).trim().split(" +");
                } catch (NoSuchFileException e) {
                    continue; // the thread ended while the directory was read, or there are no statistics
                }
                if (fields.length < 2) {
                    return -1;
                }
                nanos += Long.parseLong(fields[1]);
                read++;
            }
        } catch (NoSuchFileException e) {
            throw new IOException("no " + tasks + ": the process has ended, or /proc is not mounted", e);
        }
        return read == 0 ? -1 : nanos / 1e9;
    }

    /** {@link #seconds(long)} added over several processes, such as the hops of a path. */
    public static double seconds(Collection<Long> pids) throws IOException {
        double total = 0;
        for (long pid : pids) {
            total += seconds(pid);
        }
        return total;
    }

    /** {@link #waitingSeconds(long)} added over several processes; -1 when the kernel does not say for one. */
    public static double waitingSeconds(Collection<Long> pids) throws IOException {
        double total = 0;
        for (long pid : pids) {
            double w = waitingSeconds(pid);
            if (w < 0) {
                return -1;
            }
            total += w;
        }
        return total;
    }

    /** CPU seconds used so far by this process. */
    public static double self() throws IOException {
        return seconds(ProcessHandle.current().pid());
    }

    /**
     * utime + stime of a {@code /proc/<pid>/stat} line, in seconds. The command name (field 2) is in
     * parentheses and may itself hold spaces and parentheses, so fields are counted after the last ')'.
     */
    static double parseStat(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
        }
        String[] fields = stat.substring(close + 1).trim().split(" +");
        int utime = UTIME_FIELD - FIRST_FIELD_AFTER_COMM;
        int stime = STIME_FIELD - FIRST_FIELD_AFTER_COMM;
        if (fields.length <= stime) {
            throw new IllegalArgumentException("/proc/<pid>/stat line too short: " + stat);
        }
        return (Long.parseLong(fields[utime]) + Long.parseLong(fields[stime])) / TICKS_PER_SECOND;
    }
}
