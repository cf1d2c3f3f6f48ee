package dev.sedge.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine a benchmark ran on, as reports name it.
 *
 * @param cores processors available to the JVM
 * @param jdk the JDK's version, such as {@code 25.0.1}
 * @param kernel the operating system kernel's release
 * @param memory total memory, such as {@code 23.5 GiB}, or {@code unknown}
 */
public record Machine(int cores, String jdk, String kernel, String memory) {

    private static final Pattern MEM_TOTAL = Pattern.compile("MemTotal:\\s+(\\d+) kB");

    /** This machine. */
    public static Machine current() {
        Runtime.Version v = Runtime.version();
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                v.feature() + "." + v.interim() + "." + v.update(),
                System.getProperty("os.version"),
                totalMemory());
    }

    private static String totalMemory() {
        try {
            Matcher m = MEM_TOTAL.matcher(Files.readString(Path.of("/proc/meminfo")));
            if (m.find()) {
                double gib = Long.parseLong(m.group(1)) / (1024.0 * 1024.0);
                return String.format(Locale.ROOT, "%.1f GiB", gib);
            }
        } catch (IOException e) {
            // Not Linux, or /proc is not mounted: say so rather than guess.
        }
        return "unknown";
    }
}
