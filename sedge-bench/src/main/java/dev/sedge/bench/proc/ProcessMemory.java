package dev.sedge.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resident memory of a process, read from {@code /proc/<pid>/status} ({@code VmRSS}): the pages of
 * it that are in RAM now, heap, code, thread stacks and native buffers alike, as the kernel counts them.
 * Stateless.
 */
public final class ProcessMemory {

    private static final Pattern VM_RSS = Pattern.compile("^VmRSS:\\s+(\\d+) kB$", Pattern.MULTILINE);

    private ProcessMemory() {}

    /**
     * Resident bytes of a process now.
     *
     * @throws IOException if the process does not exist (any more) or /proc is not mounted
     */
    public static long rssBytes(long pid) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            return parseRssKib(Files.readString(status)) * 1024;
        } catch (NoSuchFileException e) {
            throw new IOException("no " + status + ": the process has ended, or /proc is not mounted", e);
        }
    }

    /** The {@code VmRSS} line of a {@code /proc/<pid>/status} text, in KiB (the kernel's "kB"). */
    static long parseRssKib(String status) {
        Matcher m = VM_RSS.matcher(status);
        if (!m.find()) {
            // A zombie, or a kernel thread: it has no resident set of its own.
            throw new IllegalArgumentException("no VmRSS line in /proc/<pid>/status");
        }
        return Long.parseLong(m.group(1));
    }
}
