package dev.sedge.bench.proc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks another JVM for a full garbage collection with the JDK's {@code jcmd PID GC.run}, the same request
 * {@code System.gc()} makes inside it, and for its heap's occupancy with {@code GC.heap_info}: after a
 * full collection the heap holds only what is reachable, which is what a process keeps rather than how
 * much garbage it has not collected yet. Stateless.
 */
public final class JvmGc {

    // "garbage-first heap   total reserved 6172672K, committed 28672K, used 2914K [0x..., 0x...)"
    private static final Pattern USED = Pattern.compile("heap\\s+total\\b.*?\\bused (\\d+)K");

    private JvmGc() {}

    /** The {@code jcmd} of the JDK this harness runs on, which is the node's JDK too. */
    public static Path jcmd() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }

    /**
     * Runs a full collection in process {@code pid} and returns when it is done.
     *
     * @throws IOException with the reason when it could not: no jcmd in this JDK, the JVM refused the
     *     attach, or no answer within {@code timeout}
     */
    public static void run(long pid, Duration timeout) throws IOException, InterruptedException {
        jcmd(pid, "GC.run", timeout);
    }

    /** Bytes the heap of process {@code pid} holds now, live or not yet collected. */
    public static long heapUsedBytes(long pid, Duration timeout) throws IOException, InterruptedException {
        return parseUsedKib(jcmd(pid, "GC.heap_info", timeout)) * 1024;
    }

    static long parseUsedKib(String heapInfo) throws IOException {
        Matcher m = USED.matcher(heapInfo);
        if (!m.find()) {
            throw new IOException("GC.heap_info said nothing of the heap's use: " + heapInfo.strip());
        }
        return Long.parseLong(m.group(1));
    }

    private static String jcmd(long pid, String command, Duration timeout) throws IOException, InterruptedException {
        Path jcmd = jcmd();
        if (!Files.isExecutable(jcmd)) {
            throw new IOException(jcmd + " is not in this JDK");
        }
        Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close(); // jcmd reads nothing
        // jcmd prints a few lines; reading them on a virtual thread keeps its pipe from filling up.
        StringBuilder output = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = p.getInputStream()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                synchronized (output) {
                    output.append(text);
                }
            } catch (IOException e) {
                // The process was killed after the timeout; its exit status says so.
            }
        });
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(
                    "jcmd " + pid + " " + command + " did not finish within " + timeout.toSeconds() + " s");
        }
        reader.join(timeout.toMillis());
        synchronized (output) {
            if (p.exitValue() != 0) {
                throw new IOException("jcmd " + pid + " " + command + " failed (exit " + p.exitValue() + "): "
                        + output.toString().strip());
            }
            return output.toString();
        }
    }
}
