package dev.sedge.sandbox.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Result;
import dev.sedge.sandbox.ColdStart;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Instance;
import dev.sedge.sandbox.Phase;
import dev.sedge.sandbox.SandboxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real processes: Python functions (skipped without python3 on PATH) and shell scripts. */
class ProcessSandboxTest {

    private static final Duration GRACE = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    static boolean python;
    static ProcessSandbox sandbox;

    private final List<Instance> started = new ArrayList<>();

    @BeforeAll
    static void copyFunctions() throws IOException {
        for (String name :
                List.of("fx.py", "echo.py", "concurrent.py", "graceful.sh", "stubborn.sh", "silent.sh", "chatty.sh")) {
            try (InputStream in = ProcessSandboxTest.class.getResourceAsStream("/process/" + name)) {
                Files.copy(in, dir.resolve(name)); // without execute permission, as an artifact store may keep it
            }
        }
        python = onPath("python3");
        sandbox = new ProcessSandbox(GRACE);
    }

    @AfterEach
    void closeInstances() {
        started.forEach(Instance::close);
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }

    private static void assumePython() {
        assumeTrue(python, "python3 is not on PATH: the Python process functions cannot run");
    }

    private static void assumeLimits() {
        assumeTrue(
                sandbox.limitsEnforced(),
                () -> "cgroup limits are not enforceable here: "
                        + sandbox.cgroups().reason());
    }

    static FunctionSpec spec(String name, Path artifact, long memory, long cpu, int concurrency) {
        return new FunctionSpec(
                name,
                ProcessSandbox.RUNTIME,
                artifact,
                null,
                Duration.ofSeconds(10),
                memory,
                cpu,
                concurrency,
                Map.of("LEVEL", "debug"));
    }

    static FunctionSpec spec(String name, String file) {
        return spec(name, dir.resolve(file), 0, 0, 1);
    }

    private ProcessInstance start(ProcessSandbox s, FunctionSpec spec) throws SandboxException {
        ProcessInstance instance = (ProcessInstance) s.start(spec);
        started.add(instance);
        return instance;
    }

    private ProcessInstance start(FunctionSpec spec) throws SandboxException {
        return start(sandbox, spec);
    }

    static Event event(String subject, String data) {
        return Event.builder()
                .id("e-" + data)
                .source("/test")
                .type("dev.sedge.mqtt.message")
                .subject(subject)
                .dataContentType("text/plain")
                .data(data)
                .build();
    }

    /** A context that records what the function publishes and logs. */
    static final class TestContext implements Context {
        final String id;
        final List<String> published = Collections.synchronizedList(new ArrayList<>());

        TestContext(String id) {
            this.id = id;
        }

        @Override
        public String functionName() {
            return "f";
        }

        @Override
        public String invocationId() {
            return id;
        }

        @Override
        public boolean coldStart() {
            return false;
        }

        @Override
        public Instant deadline() {
            return Instant.now().plusSeconds(30);
        }

        @Override
        public System.Logger logger() {
            return System.getLogger("test");
        }

        @Override
        public void publish(String topic, byte[] payload) {
            published.add(topic + "=" + new String(payload, StandardCharsets.UTF_8));
        }
    }

    /** Invokes on another thread, so that a test never hangs on a broken instance. */
    static CompletableFuture<Result> invokeAsync(Instance instance, String data, TestContext context) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return instance.invoke(event("sensors/s1/temperature", data), context);
            } catch (Exception e) {
                throw new RuntimeException(e.getMessage(), e);
            }
        });
    }

    static Result invoke(Instance instance, String data) throws Exception {
        return invokeAsync(instance, data, new TestContext("i-" + data)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    static Throwable failure(Instance instance, String data) throws Exception {
        try {
            invoke(instance, data);
        } catch (ExecutionException e) {
            return e.getCause().getCause() == null ? e.getCause() : e.getCause().getCause();
        }
        throw new AssertionError("invocation with " + data + " did not fail");
    }

    @Test
    void runsThePythonExampleEndToEnd() throws Exception {
        assumePython();
        Path example = Path.of("..", "examples", "python-process", "handler.py");
        assumeTrue(Files.isRegularFile(example), "the example is not beside this module: " + example.toAbsolutePath());
        Path artifact = Files.copy(example, dir.resolve("handler.py"));
        FunctionSpec spec = spec("python-temperature-alert", artifact, 64L << 20, 500, 1);
        sandbox.check(spec);
        ColdStart timing = ColdStart.begin();
        Instance instance = sandbox.start(spec, timing);
        started.add(instance);
        System.out.println(
                "process cold start (limits enforced: " + sandbox.limitsEnforced() + "): " + timing.byLabel());
        assertThat(timing.nanos(Phase.INSTANTIATE)).isPositive();
        assertThat(timing.nanos(Phase.INITIALISE)).isPositive();
        assertThat(timing.nanos(Phase.COMPILE)).isZero();

        Event hot = Event.builder()
                .id("1")
                .source("/sedge/mqtt/s1")
                .type("dev.sedge.mqtt.message")
                .subject("sensors/s1/temperature")
                .data("{\"celsius\": 42.5}")
                .build();
        Result r = instance.invoke(hot, new TestContext("inv-1"));
        assertThat(r.contentType()).isEqualTo("application/json");
        JsonNode reply = Frames.JSON.readTree(r.dataAsString());
        assertThat(reply.get("sensor").asText()).isEqualTo("s1");
        assertThat(reply.get("celsius").asDouble()).isEqualTo(42.5);
        assertThat(reply.get("alert").asBoolean()).isTrue();

        Event cold = Event.builder()
                .id("2")
                .source("/sedge/mqtt/s2")
                .type("dev.sedge.mqtt.message")
                .subject("sensors/s2/temperature")
                .data("{\"celsius\": 12}")
                .build();
        JsonNode calm = Frames.JSON.readTree(
                instance.invoke(cold, new TestContext("inv-2")).dataAsString());
        assertThat(calm.get("sensor").asText()).isEqualTo("s2");
        assertThat(calm.get("alert").asBoolean()).isFalse();

        Event bad = Event.builder()
                .id("3")
                .source("/s")
                .type("t")
                .subject("sensors/s3/temperature")
                .data("not json")
                .build();
        assertThatThrownBy(() -> instance.invoke(bad, new TestContext("inv-3")))
                .hasMessageContaining("JSONDecodeError");
    }

    @Test
    void echoesPublishesAndRepliesNothingWhenAsked() throws Exception {
        assumePython();
        Instance instance = start(spec("echo", "echo.py"));
        Result r = invoke(instance, "hello");
        assertThat(r.dataAsString()).isEqualTo("hello");
        assertThat(r.contentType()).isEqualTo("text/plain");

        TestContext context = new TestContext("p-1");
        Result done = invokeAsync(instance, "publish", context).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(done.dataAsString()).isEqualTo("done");
        assertThat(context.published).containsExactly("out/sensors/s1/temperature=side");

        assertThat(invoke(instance, "empty").isEmpty()).isTrue();
    }

    @Test
    void givesTheProcessOnlyItsEnvironmentArgumentsAndAFreshDirectory() throws Exception {
        assumePython();
        FunctionSpec base = spec("env", "echo.py");
        FunctionSpec spec = new FunctionSpec(
                base.name(), base.runtime(), base.artifact(), "--verbose  two", base.timeout(), 0, 0, 1, base.env());
        ProcessInstance instance = start(spec);
        JsonNode reply = Frames.JSON.readTree(invoke(instance, "env").dataAsString());
        assertThat(ProcessSandbox.environment(spec, instance.workDir()))
                .containsOnlyKeys("PATH", "HOME", "SEDGE_FUNCTION", "LEVEL")
                .containsEntry("HOME", instance.workDir().toString());
        // Of the node's own environment, only PATH may reach the process. Shells, interpreters and
        // version managers' shims may add their own variables on the way.
        List<String> leaked = System.getenv().keySet().stream()
                .filter(name -> !List.of("PATH", "HOME", "PWD", "OLDPWD", "SHLVL", "_", "LC_CTYPE")
                        .contains(name))
                .filter(name -> !name.startsWith("PYENV") && !name.startsWith("_PYENV"))
                .filter(name -> reply.get("env").has(name))
                .toList();
        assertThat(leaked).isEmpty();
        assertThat(reply.at("/env/SEDGE_FUNCTION").asText()).isEqualTo("env");
        assertThat(reply.at("/env/LEVEL").asText()).isEqualTo("debug");
        assertThat(reply.get("args")).hasSize(2);
        assertThat(reply.at("/args/0").asText()).isEqualTo("--verbose");
        assertThat(Path.of(reply.get("cwd").asText()).toRealPath())
                .isEqualTo(instance.workDir().toRealPath());
        assertThat(reply.at("/header/event/subject").asText()).isEqualTo("sensors/s1/temperature");
        assertThat(reply.at("/header/event/datacontenttype").asText()).isEqualTo("text/plain");
        assertThat(reply.at("/header/id").asText()).isEqualTo("i-env");
        assertThat(reply.at("/header/deadline").isTextual()).isTrue();

        instance.close();
        assertThat(instance.workDir()).doesNotExist();
    }

    @Test
    void anErrorFrameFailsOnlyThatInvocation() throws Exception {
        assumePython();
        Instance instance = start(spec("errors", "echo.py"));
        assertThat(failure(instance, "fail")).hasMessage("bad reading");
        assertThat(invoke(instance, "still here").dataAsString()).isEqualTo("still here");
    }

    @Test
    void aProcessThatKillsItselfFailsItsInvocationAndNoOtherFunction() throws Exception {
        assumePython();
        ProcessInstance doomed = start(spec("doomed", "echo.py"));
        Instance other = start(spec("other", "echo.py"));

        assertThat(failure(doomed, "die")).hasMessageContaining("process exited with code 137 (signal 9)");
        assertThat(doomed.alive()).isFalse();
        assertThat(failure(doomed, "hello")).hasMessageContaining("process exited with code 137");
        assertThat(invoke(other, "hello").dataAsString()).isEqualTo("hello");
    }

    @Test
    void aCrashReportsItsExitCodeAndLastStderrLine() throws Exception {
        assumePython();
        Instance instance = start(spec("crash", "echo.py"));
        assertThat(failure(instance, "crash"))
                .hasMessageContaining("process exited with code 3")
                .hasMessageContaining("giving up");
    }

    @Test
    void closingDuringAnEndlessLoopFailsTheInvocationAndKillsTheProcess() throws Exception {
        assumePython();
        ProcessInstance instance = start(spec("loop", "echo.py"));
        long pid = instance.pid();
        CompletableFuture<Result> looping = invokeAsync(instance, "loop", new TestContext("l-1"));
        await().atMost(WAIT).until(() -> instance.inFlight() == 1);
        assertThat(looping).isNotDone();

        long before = System.nanoTime();
        instance.close();
        Duration took = Duration.ofNanos(System.nanoTime() - before);

        assertThatThrownBy(() -> looping.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .hasMessageContaining("closed while the invocation was in progress");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("pid %d after close", pid)
                .isFalse();
        assertThat(instance.stop()).isIn(ProcessInstance.Stop.TERMINATED, ProcessInstance.Stop.KILLED);
        assertThat(took).isLessThan(GRACE.multipliedBy(2).plusSeconds(2));
    }

    @Test
    void closingOnAnInterruptedThreadStillStopsGracefullyAndKeepsTheInterrupt() throws Exception {
        ProcessInstance instance = start(spec("graceful-interrupted", "graceful.sh"));
        Thread.currentThread().interrupt();
        try {
            instance.close();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(instance.stop()).isEqualTo(ProcessInstance.Stop.EXITED);
    }

    @Test
    void theReadyWaitEndsBeforeTheEventTimeout() {
        assertThat(ProcessSandbox.readyBudget(Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(4500));
        assertThat(ProcessSandbox.readyBudget(Duration.ofNanos(1))).isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void aProcessThatExitsAtTheEndOfItsStdinIsNotKilled() throws Exception {
        ProcessInstance instance = start(spec("graceful", "graceful.sh"));
        long before = System.nanoTime();
        instance.close();
        assertThat(instance.stop()).isEqualTo(ProcessInstance.Stop.EXITED);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(GRACE);
    }

    @Test
    void aProcessThatIgnoresTheEndOfItsStdinAndSigtermIsKilledAfterTheGracePeriod() throws Exception {
        ProcessInstance instance = start(spec("stubborn", "stubborn.sh"));
        long pid = instance.pid();
        long before = System.nanoTime();
        instance.close();
        assertThat(instance.stop()).isEqualTo(ProcessInstance.Stop.KILLED);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(GRACE.multipliedBy(2));
        await().atMost(WAIT).until(() -> ProcessHandle.of(pid).isEmpty());
    }

    @Test
    void twoEventsAreInFlightAtOnceAndRepliesAreMatchedById() throws Exception {
        assumePython();
        Instance instance = start(spec("concurrent", dir.resolve("concurrent.py"), 0, 0, 2));
        CompletableFuture<Result> a = invokeAsync(instance, "A", new TestContext("a"));
        CompletableFuture<Result> b = invokeAsync(instance, "B", new TestContext("b"));
        // B is answered first, while A waits for it inside the process.
        assertThat(a.get(WAIT.toSeconds(), TimeUnit.SECONDS).dataAsString()).isEqualTo("reply to A");
        assertThat(b.get(WAIT.toSeconds(), TimeUnit.SECONDS).dataAsString()).isEqualTo("reply to B");
    }

    @Test
    void theSameInvocationIdTwiceInFlightStillGetsTwoReplies() throws Exception {
        assumePython();
        Instance instance = start(spec("same-id", dir.resolve("concurrent.py"), 0, 0, 2));
        CompletableFuture<Result> a = invokeAsync(instance, "A", new TestContext("same"));
        CompletableFuture<Result> b = invokeAsync(instance, "B", new TestContext("same"));
        assertThat(a.get(WAIT.toSeconds(), TimeUnit.SECONDS).dataAsString()).isEqualTo("reply to A");
        assertThat(b.get(WAIT.toSeconds(), TimeUnit.SECONDS).dataAsString()).isEqualTo("reply to B");
    }

    @Test
    void aProcessThatNeverSaysReadyFailsToStartWithinTheTimeout() {
        FunctionSpec base = spec("silent", "silent.sh");
        FunctionSpec spec = new FunctionSpec(
                base.name(), base.runtime(), base.artifact(), null, Duration.ofMillis(300), 0, 0, 1, Map.of());
        assertThatThrownBy(() -> start(spec))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("the process did not say it was ready within 270 ms")
                .hasMessageNotContaining("silent.sh");
    }

    @Test
    void textOnStdoutIsAClearProtocolError() {
        assertThatThrownBy(() -> start(spec("chatty", "chatty.sh")))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("protocol error: stdout holds no frame")
                .hasMessageContaining("log to stderr");
    }

    @Test
    void runsWithoutLimitsWhenNoCgroupCanBeCreated() throws Exception {
        ProcessSandbox unlimited = new ProcessSandbox(GRACE, Cgroups.disabled("test: no cgroups"));
        assertThat(unlimited.limitsEnforced()).isFalse();
        ProcessInstance instance = start(unlimited, spec("unlimited", dir.resolve("graceful.sh"), 32L << 20, 100, 1));
        assertThat(instance.cgroup()).isNull();
        instance.close();
        assertThat(instance.stop()).isEqualTo(ProcessInstance.Stop.EXITED);
    }

    @Test
    void theCgroupHoldsTheLimitsAndTheProcessAndIsRemovedOnClose() throws Exception {
        assumeLimits();
        ProcessInstance instance = start(spec("limited", dir.resolve("graceful.sh"), 48L << 20, 250, 1));
        Cgroups.Cgroup cgroup = instance.cgroup();
        assertThat(cgroup).isNotNull();
        List<Path> dirs = cgroup.dirs();
        String pid = Long.toString(instance.pid());
        if (sandbox.cgroups().version() == Cgroups.Version.V2) {
            Path d = dirs.getFirst();
            assertThat(Files.readString(d.resolve("cpu.max")).trim()).isEqualTo("25000 100000");
            assertThat(Files.readString(d.resolve("memory.max")).trim()).isEqualTo(Long.toString(48L << 20));
        } else {
            assertThat(Files.readString(dirs.get(1).resolve("cpu.cfs_quota_us")).trim())
                    .isEqualTo("25000");
            assertThat(Files.readString(dirs.get(1).resolve("cpu.cfs_period_us"))
                            .trim())
                    .isEqualTo("100000");
            assertThat(Files.readString(dirs.get(0).resolve("memory.limit_in_bytes"))
                            .trim())
                    .isEqualTo(Long.toString(48L << 20));
        }
        for (Path procs : cgroup.procsFiles()) {
            assertThat(Files.readAllLines(procs)).contains(pid);
        }
        instance.close();
        assertThat(dirs).allSatisfy(d -> assertThat(d).doesNotExist());
    }

    @Test
    void theKernelKillsAProcessOverItsMemoryLimit() throws Exception {
        assumePython();
        assumeLimits();
        ProcessInstance instance = start(spec("hog", dir.resolve("echo.py"), 32L << 20, 0, 1));
        assertThat(failure(instance, "oom"))
                .hasMessageContaining("process exited with code 137")
                .hasMessageContaining("OOM killer");
    }

    @Test
    void checkRefusesWhatCannotRun() throws IOException {
        assertThatThrownBy(() -> sandbox.check(spec("f", "nope.py")))
                .isInstanceOf(SandboxException.class)
                .hasMessageStartingWith("spec.artifact: no such file");
        assertThatThrownBy(() -> sandbox.check(spec("f", dir, 0, 0, 1)))
                .hasMessageStartingWith("spec.artifact: not a regular file");
        Files.writeString(dir.resolve("empty"), "");
        assertThatThrownBy(() -> sandbox.check(spec("f", "empty"))).hasMessage("spec.artifact: the file is empty");
        Files.writeString(dir.resolve("fn.py"), "#!/usr/bin/python9\nprint(1)\n");
        assertThatThrownBy(() -> sandbox.check(spec("f", "fn.py")))
                .hasMessage("spec.artifact: interpreter /usr/bin/python9 (from the #! line) not found");
        Files.writeString(dir.resolve("env.py"), "#!/usr/bin/env python9-nowhere\nprint(1)\n");
        assertThatThrownBy(() -> sandbox.check(spec("f", "env.py")))
                .hasMessage("spec.artifact: interpreter python9-nowhere (from the #! line) not found on PATH");
        Files.writeString(dir.resolve("garbage"), "just some text");
        assertThatThrownBy(() -> sandbox.check(spec("f", "garbage")))
                .hasMessage("spec.artifact: the file is neither a script starting with #! nor an ELF executable");
    }

    @Test
    void checkAcceptsScriptsAndElfExecutables() throws Exception {
        sandbox.check(spec("f", "graceful.sh"));
        Path elf = dir.resolve("tiny.elf");
        Files.write(elf, new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1, 0});
        sandbox.check(spec("f", elf, 0, 0, 1));
    }
}
