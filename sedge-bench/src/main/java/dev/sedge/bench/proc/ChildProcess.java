package dev.sedge.bench.proc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server started as a child process for a benchmark: its output (stdout and stderr together) is read
 * all the time, so that it never blocks on a full pipe, and can be waited on for a start-up line; the
 * last lines are kept for error messages.
 *
 * <p>Lifecycle: {@link #start}, then {@link #close()}, which stops it with SIGTERM and, after a grace
 * period, SIGKILL. {@link #awaitLine} is for one thread at a time.
 */
public final class ChildProcess implements AutoCloseable {

    private static final int TAIL_LINES = 40;
    /** Lines kept for {@link #awaitLine}; a process that logs more than this before being read loses lines. */
    private static final int QUEUED_LINES = 10_000;

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final String EOF = "\u0000eof";

    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(QUEUED_LINES);
    private final ArrayDeque<String> tail = new ArrayDeque<>();

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread.ofVirtual().name(name + "-output").start(this::readOutput);
    }

    /** Starts a command in a directory, with its output captured. */
    public static ChildProcess start(String name, List<String> command, Path directory) throws IOException {
        Process p = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        return new ChildProcess(name, p);
    }

    private void readOutput() {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (tail) {
                    if (tail.size() == TAIL_LINES) {
                        tail.removeFirst();
                    }
                    tail.addLast(line);
                }
                lines.offer(line); // dropped once nobody waits for lines any more and the queue is full
            }
        } catch (IOException e) {
            // The process was stopped while its output was read; what it said so far is in the tail.
        } finally {
            while (!lines.offer(EOF)) {
                lines.poll(); // full: the oldest line goes, the end of output must be seen
            }
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits for an output line that matches, skipping the others.
     *
     * @return the match
     * @throws IOException if the process ends first or the line does not come in time, with its last
     *     lines of output in the message
     */
    public Matcher awaitLine(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new IOException(name + " did not print /" + pattern + "/ within " + timeout.toSeconds()
                        + " s; last output:\n" + tailText());
            }
            if (line.equals(EOF)) {
                lines.offer(EOF);
                throw new IOException(name + " exited before printing /" + pattern + "/; last output:\n" + tailText());
            }
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
    }

    /** The last lines of output, for an error message. */
    public String tailText() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    /** Stops the process: SIGTERM, then SIGKILL after a grace period. Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
