package dev.sedge.sandbox.process;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Result;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Instance;
import dev.sedge.sandbox.SandboxException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * One function process. Events go to its stdin as frames, each with an id; a reader thread takes the
 * frames from its stdout and completes the invocation with the same id, so several events may be in
 * the process at once. Another thread copies its stderr, line by line, to the function's log.
 * Thread-safe.
 */
final class ProcessInstance implements Instance {

    /** How the process ended when the instance was closed. */
    enum Stop {
        /** Still running, or not closed yet. */
        NONE,
        /** It exited by itself: at the end of its stdin, or earlier. */
        EXITED,
        /** It exited on SIGTERM. */
        TERMINATED,
        /** It had to be killed with SIGKILL. */
        KILLED
    }

    private record Call(CompletableFuture<Result> result, Context context) {}

    private final FunctionSpec spec;
    private final Process process;
    private final Cgroups.Cgroup cgroup;
    private final Path workDir;
    private final Duration grace;
    private final System.Logger log;

    private final OutputStream stdin;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Thread stderrReader;

    /** Why the process can take no more events (it exited, or broke the protocol); null while it can. */
    private volatile String dead;

    private volatile String lastStderrLine;
    private volatile Stop stop = Stop.NONE;

    ProcessInstance(FunctionSpec spec, Process process, Cgroups.Cgroup cgroup, Path workDir, Duration grace) {
        this.spec = spec;
        this.process = process;
        this.cgroup = cgroup;
        this.workDir = workDir;
        this.grace = grace;
        this.log = System.getLogger("function." + spec.name());
        this.stdin = process.getOutputStream();
    }

    /** Starts the threads that read the process's stdout and stderr; called once, right after construction. */
    void begin() {
        String name = "sedge-process-" + spec.name() + "-" + process.pid();
        stderrReader = Thread.ofPlatform().daemon().name(name + "-stderr").start(this::readStderr);
        Thread.ofPlatform().daemon().name(name + "-stdout").start(this::readFrames);
    }

    long pid() {
        return process.pid();
    }

    Cgroups.Cgroup cgroup() {
        return cgroup;
    }

    Path workDir() {
        return workDir;
    }

    Stop stop() {
        return stop;
    }

    /** How many invocations are in progress. */
    int inFlight() {
        return calls.size();
    }

    /** True while the process can take events. */
    boolean alive() {
        return dead == null && !closed.get();
    }

    /** Waits for the process's {@code ready} frame; on failure the instance is closed. */
    void awaitReady(Duration timeout) throws SandboxException {
        try {
            ready.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            close();
            throw new SandboxException("the process did not say it was ready within " + timeout.toMillis()
                    + " ms (its first frame must be {\"type\":\"ready\"})");
        } catch (ExecutionException e) {
            close();
            throw new SandboxException(
                    "the process failed to start: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            // close() clears the interrupt for its graceful stop and restores it; re-interrupt after it.
            close();
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while the process started");
        }
    }

    @Override
    public Result invoke(Event event, Context context) throws Exception {
        failIfUnusable();
        String id = context.invocationId();
        Call call = new Call(new CompletableFuture<>(), context);
        if (id == null || calls.putIfAbsent(id, call) != null) {
            id = id + "#" + sequence.incrementAndGet();
            calls.put(id, call);
        }
        try {
            // The reader fails every call after marking the process dead; a call added after that
            // sweep is caught here.
            failIfUnusable();
            send(id, event, context);
            return await(call, context);
        } finally {
            calls.remove(id, call);
        }
    }

    private void failIfUnusable() throws IOException {
        if (closed.get()) {
            throw new IOException("the function's process instance is closed");
        }
        String why = dead;
        if (why != null) {
            throw new IOException(why);
        }
    }

    private void send(String id, Event event, Context context) throws IOException {
        ObjectNode header = Frames.JSON.createObjectNode();
        header.put("type", "event");
        header.put("id", id);
        if (context.deadline() != null && !context.deadline().equals(Instant.MAX)) {
            header.put("deadline", context.deadline().toString());
        }
        ObjectNode ce = header.putObject("event");
        ce.put("specversion", Event.SPEC_VERSION);
        ce.put("id", event.id());
        ce.put("source", event.source());
        ce.put("type", event.type());
        if (event.subject() != null) {
            ce.put("subject", event.subject());
        }
        if (event.time() != null) {
            ce.put("time", event.time().toString());
        }
        if (event.dataContentType() != null) {
            ce.put("datacontenttype", event.dataContentType());
        }
        ObjectNode extensions = ce.putObject("extensions");
        event.extensions().forEach(extensions::put);
        writeLock.lock();
        try {
            Frames.write(stdin, header, event.data());
            stdin.flush();
        } catch (IOException e) {
            String why = dead;
            throw new IOException("cannot send the event to the process: " + (why != null ? why : e.getMessage()), e);
        } finally {
            writeLock.unlock();
        }
    }

    private static Result await(Call call, Context context) throws Exception {
        try {
            Instant deadline = context.deadline();
            if (deadline == null || deadline.equals(Instant.MAX)) {
                return call.result().get();
            }
            // The dispatcher enforces the deadline; this bound only keeps a forgotten thread from hanging.
            long nanos =
                    Duration.between(Instant.now(), deadline).plusSeconds(1).toNanos();
            return call.result().get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new TimeoutException("the process sent no result by the deadline");
        }
    }

    private void readFrames() {
        String broken = null;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(process.getInputStream()))) {
            Frames.Frame frame;
            while ((frame = Frames.read(in)) != null) {
                handle(frame);
            }
        } catch (IOException e) {
            broken = "protocol error: " + e.getMessage();
        }
        if (broken != null && !closed.get()) {
            // Whatever follows on stdout cannot be read as frames any more.
            process.destroyForcibly();
        }
        String why = broken != null ? broken : exitDescription();
        dead = why;
        ready.completeExceptionally(new IOException(why));
        failCalls(why);
    }

    /** Waits a moment for the exit code (stdout may close before the process is reaped) and describes it. */
    private String exitDescription() {
        try {
            if (!process.waitFor(grace.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                return "process closed its stdout";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "process closed its stdout";
        }
        int code = process.exitValue();
        StringBuilder b = new StringBuilder("process exited with code ").append(code);
        if (code > 128) {
            b.append(" (signal ").append(code - 128).append(')');
        }
        if (cgroup != null && cgroup.oomKills() > 0) {
            b.append(": killed by the kernel's OOM killer at its memory limit of ")
                    .append(spec.memoryBytes())
                    .append(" bytes");
        }
        try {
            // The last stderr line usually says why; it is read by now, or a moment after the exit.
            stderrReader.join(Duration.ofMillis(200));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String last = lastStderrLine;
        if (last != null && !last.isBlank()) {
            b.append(" (last stderr line: ").append(last.strip()).append(')');
        }
        return b.toString();
    }

    private void failCalls(String why) {
        for (Call call : calls.values()) {
            call.result().completeExceptionally(new IOException(why));
        }
    }

    private void handle(Frames.Frame frame) {
        String id = frame.text("id");
        Call call = id == null ? null : calls.get(id);
        switch (frame.type()) {
            case "ready" -> ready.complete(null);
            case "result" -> {
                if (call == null) {
                    log.log(System.Logger.Level.DEBUG, "result for unknown or finished invocation {0}", id);
                    return;
                }
                String contentType = frame.text("contentType");
                byte[] body = frame.body();
                call.result()
                        .complete(
                                body.length == 0 && contentType == null
                                        ? Result.empty()
                                        : Result.of(body, contentType));
            }
            case "error" -> {
                if (call == null) {
                    log.log(System.Logger.Level.DEBUG, "error for unknown or finished invocation {0}", id);
                    return;
                }
                String message = frame.text("message");
                call.result().completeExceptionally(new FunctionError(message == null ? "error" : message));
            }
            case "publish" -> publish(frame, id, call);
            case "log" -> {
                String message = frame.text("message");
                logger(call).log(level(frame.text("level")), message == null ? "" : message);
            }
            default -> log.log(System.Logger.Level.DEBUG, "ignoring frame of type {0}", frame.type());
        }
    }

    private void publish(Frames.Frame frame, String id, Call call) {
        Call target = call;
        if (target == null && id == null) {
            target = calls.values().stream().findFirst().orElse(null);
        }
        String topic = frame.text("topic");
        if (target == null || topic == null) {
            log.log(
                    System.Logger.Level.WARNING,
                    "dropping a publication to {0}: no invocation {1} in progress",
                    topic,
                    id == null ? "" : id);
            return;
        }
        try {
            target.context().publish(topic, frame.body());
        } catch (RuntimeException e) {
            target.result()
                    .completeExceptionally(new FunctionError("cannot publish to " + topic + ": " + e.getMessage()));
        }
    }

    private System.Logger logger(Call call) {
        if (call != null && call.context().logger() != null) {
            return call.context().logger();
        }
        if (calls.size() == 1) {
            Call only = calls.values().stream().findFirst().orElse(null);
            if (only != null && only.context().logger() != null) {
                return only.context().logger();
            }
        }
        return log;
    }

    private static System.Logger.Level level(String level) {
        if (level == null) {
            return System.Logger.Level.INFO;
        }
        return switch (level.toLowerCase(java.util.Locale.ROOT)) {
            case "trace" -> System.Logger.Level.TRACE;
            case "debug" -> System.Logger.Level.DEBUG;
            case "warn", "warning" -> System.Logger.Level.WARNING;
            case "error" -> System.Logger.Level.ERROR;
            default -> System.Logger.Level.INFO;
        };
    }

    private void readStderr() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lastStderrLine = line;
                logger(null).log(System.Logger.Level.INFO, line);
            }
        } catch (IOException ignored) {
            // The process is gone.
        }
    }

    /**
     * Fails the invocations in progress, then stops the process: its stdin is closed and it has the grace
     * period to exit; then SIGTERM and the grace period again; then SIGKILL. Its descendants get the same
     * signals, and its cgroup and working directory are removed.
     */
    @Override
    public void close() {
        // The dispatcher interrupts a timed-out worker, which may then close: with the flag set, every
        // wait below would throw at once and the process would get SIGKILL without its grace period.
        boolean interrupted = Thread.interrupted();
        try {
            shutDown();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void shutDown() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        String why = "the function's process instance was closed while the invocation was in progress";
        ready.completeExceptionally(new IOException(why));
        failCalls(why);
        List<ProcessHandle> family = family();
        try {
            stop = stopProcess(family);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            stop = Stop.KILLED;
        }
        for (ProcessHandle p : family) {
            p.destroyForcibly();
        }
        if (cgroup != null) {
            cgroup.remove();
        }
        deleteTree(workDir);
        log.log(System.Logger.Level.DEBUG, "process {0} stopped: {1}", process.pid(), stop);
    }

    private Stop stopProcess(List<ProcessHandle> family) throws InterruptedException {
        // A writer blocked on a full pipe holds the lock; then the process is not reading, and closing
        // its stdin would wait for that writer, so go straight to the signals.
        if (writeLock.tryLock()) {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // Already gone.
            } finally {
                writeLock.unlock();
            }
            if (process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                return Stop.EXITED;
            }
        } else if (!process.isAlive()) {
            return Stop.EXITED;
        }
        family.addAll(family());
        process.destroy();
        family.forEach(ProcessHandle::destroy);
        if (process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
            return Stop.TERMINATED;
        }
        family.addAll(family());
        process.destroyForcibly();
        family.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
        return Stop.KILLED;
    }

    /** The process's descendants now (they are no longer its descendants once it is gone). */
    private List<ProcessHandle> family() {
        return new java.util.ArrayList<>(process.descendants().toList());
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort; the rest is removed.
                }
            });
        } catch (IOException ignored) {
            // Gone already.
        }
    }

    /** The function reported a failure with an {@code error} frame. */
    static final class FunctionError extends Exception {

        @java.io.Serial
        private static final long serialVersionUID = 1L;

        FunctionError(String message) {
            super(message);
        }
    }
}
