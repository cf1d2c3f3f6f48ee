package dev.sedge.sandbox.process;

import dev.sedge.sandbox.ColdStart;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Instance;
import dev.sedge.sandbox.Phase;
import dev.sedge.sandbox.Sandbox;
import dev.sedge.sandbox.SandboxException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code process} runtime: a function is any executable (an ELF binary, or a script starting with
 * {@code #!}) that speaks the frame protocol of {@code docs/functions.md} over its stdin and stdout.
 *
 * <p>One instance is one process, started in a fresh working directory with a minimal environment
 * (the spec's {@code env}, plus {@code PATH}, {@code HOME} and {@code SEDGE_FUNCTION}), in a cgroup of its
 * own holding the spec's memory and CPU limits when the node can create cgroups. Cold-start phases:
 * fetch is checking the artifact, instantiate is creating the cgroup and starting the process,
 * initialise lasts until the process says it is ready. Thread-safe.
 */
public final class ProcessSandbox implements Sandbox {

    public static final String RUNTIME = "process";

    static final System.Logger LOG = System.getLogger("dev.sedge.sandbox.process");

    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(2);

    private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    /**
     * Joins the cgroups named by the arguments before the {@code --}, then becomes the command after it,
     * so that the limits hold from the function's first instruction on.
     */
    private static final String JOIN_AND_EXEC =
            "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 125; shift; done; shift; exec \"$@\"";

    private static final Path SHELL = Path.of("/bin/sh");

    private final Duration grace;
    private final Cgroups cgroups;

    /** A sandbox that gives a process 2 seconds to exit after its stdin is closed, then terminates it. */
    public ProcessSandbox() {
        this(DEFAULT_GRACE);
    }

    /**
     * @param grace how long a closed instance's process may take to exit after its stdin is closed, and
     *     again after SIGTERM, before it is killed
     */
    public ProcessSandbox(Duration grace) {
        this(grace, Cgroups.detect());
    }

    ProcessSandbox(Duration grace, Cgroups cgroups) {
        this.grace = Objects.requireNonNull(grace, "grace");
        Cgroups usable = cgroups;
        if (usable.enforced() && !Files.isExecutable(SHELL)) {
            usable = Cgroups.disabled("no " + SHELL + " to start processes inside their cgroup");
        }
        this.cgroups = usable;
        if (usable.enforced()) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "process functions run in cgroup {0} with their limits",
                    usable.version());
            int swept = usable.sweepLeftovers();
            if (swept > 0) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "removed {0} cgroup(s) of process instances left by a node that stopped without closing them",
                        swept);
            }
        } else {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "process functions run without memory and CPU limits: {0}",
                    usable.reason());
        }
    }

    @Override
    public String runtime() {
        return RUNTIME;
    }

    /** True when each instance runs in a cgroup holding the spec's memory and CPU limits. */
    public boolean limitsEnforced() {
        return cgroups.enforced();
    }

    Cgroups cgroups() {
        return cgroups;
    }

    @Override
    public void check(FunctionSpec spec) throws SandboxException {
        Path artifact = spec.artifact();
        if (!Files.exists(artifact)) {
            throw new SandboxException("spec.artifact: no such file: " + artifact);
        }
        if (!Files.isRegularFile(artifact)) {
            throw new SandboxException("spec.artifact: not a regular file: " + artifact);
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(artifact)) {
            head = in.readNBytes(512);
        } catch (IOException e) {
            throw new SandboxException("spec.artifact: cannot read " + artifact + ": " + e.getMessage(), e);
        }
        if (head.length == 0) {
            throw new SandboxException("spec.artifact: the file is empty");
        }
        if (head.length >= 2 && head[0] == '#' && head[1] == '!') {
            checkInterpreter(spec, head);
        } else if (!(head.length >= 4 && head[0] == 0x7F && head[1] == 'E' && head[2] == 'L' && head[3] == 'F')) {
            throw new SandboxException(
                    "spec.artifact: the file is neither a script starting with #! nor an ELF executable");
        }
    }

    private static void checkInterpreter(FunctionSpec spec, byte[] head) throws SandboxException {
        String line = new String(head, 2, head.length - 2, StandardCharsets.UTF_8);
        int end = line.indexOf('\n');
        if (end < 0) {
            throw new SandboxException("spec.artifact: the #! line is longer than 510 bytes");
        }
        List<String> words = Arrays.stream(line.substring(0, end).trim().split("\\s+"))
                .filter(w -> !w.isEmpty())
                .toList();
        if (words.isEmpty()) {
            throw new SandboxException("spec.artifact: the #! line names no interpreter");
        }
        Path interpreter = Path.of(words.getFirst());
        if (!interpreter.isAbsolute() || !Files.isExecutable(interpreter) || Files.isDirectory(interpreter)) {
            throw new SandboxException("spec.artifact: interpreter " + interpreter + " (from the #! line) not found");
        }
        if (String.valueOf(interpreter.getFileName()).equals("env")) {
            // #!/usr/bin/env [-S] [NAME=value...] command: the command is looked up on the function's PATH.
            String command = words.stream()
                    .skip(1)
                    .filter(w -> !w.startsWith("-") && !w.contains("="))
                    .findFirst()
                    .orElse(null);
            if (command == null) {
                throw new SandboxException("spec.artifact: the #! line names no command after env");
            }
            if (onPath(command, pathOf(spec)) == null) {
                throw new SandboxException(
                        "spec.artifact: interpreter " + command + " (from the #! line) not found on PATH");
            }
        }
    }

    private static Path onPath(String command, String path) {
        if (command.contains("/")) {
            Path p = Path.of(command);
            return Files.isExecutable(p) ? p : null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static String pathOf(FunctionSpec spec) {
        String path = spec.env().get("PATH");
        if (path == null) {
            path = System.getenv("PATH");
        }
        return path == null || path.isBlank() ? DEFAULT_PATH : path;
    }

    /**
     * The environment of a function's process: its spec's {@code env}, and unless the spec sets them,
     * {@code PATH} (the node's) and {@code HOME} (the instance's working directory); {@code
     * SEDGE_FUNCTION} is always the function's name. Nothing else of the node's environment leaks in.
     */
    static Map<String, String> environment(FunctionSpec spec, Path workDir) {
        Map<String, String> env = new HashMap<>(spec.env());
        env.putIfAbsent("PATH", pathOf(spec));
        env.putIfAbsent("HOME", workDir.toString());
        env.put("SEDGE_FUNCTION", spec.name());
        return env;
    }

    @Override
    public Instance start(FunctionSpec spec, ColdStart timing) throws SandboxException {
        check(spec);
        makeExecutable(spec.artifact());
        timing.mark(Phase.FETCH);

        Path workDir;
        try {
            workDir = Files.createTempDirectory("sedge-" + spec.name() + "-");
        } catch (IOException e) {
            throw new SandboxException("cannot create a working directory: " + e.getMessage(), e);
        }
        Cgroups.Cgroup cgroup = null;
        Process process;
        try {
            cgroup = cgroups.create(spec.name(), spec.memoryBytes(), spec.cpuMillis());
            List<String> command = new ArrayList<>();
            if (cgroup != null) {
                command.addAll(List.of(SHELL.toString(), "-c", JOIN_AND_EXEC, "sedge-join"));
                cgroup.procsFiles().forEach(f -> command.add(f.toString()));
                command.add("--");
            }
            command.add(spec.artifact().toAbsolutePath().toString());
            if (spec.handler() != null && !spec.handler().isBlank()) {
                command.addAll(Arrays.asList(spec.handler().trim().split("\\s+")));
            }
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment(spec, workDir));
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            if (cgroup != null) {
                cgroup.remove();
            }
            ProcessInstance.deleteTree(workDir);
            throw new SandboxException("cannot start the process: " + e.getMessage(), e);
        }
        timing.mark(Phase.INSTANTIATE);

        ProcessInstance instance = new ProcessInstance(spec, process, cgroup, workDir, grace);
        instance.begin();
        instance.awaitReady(readyBudget(spec.timeout()));
        timing.mark(Phase.INITIALISE);
        return instance;
    }

    /**
     * How long a process may take to say it is ready: 90 % of the timeout, so that a start that waits for
     * an event fails here, with the reason, before the dispatcher's deadline for that event fires.
     */
    static Duration readyBudget(Duration timeout) {
        Duration budget = timeout.multipliedBy(9).dividedBy(10);
        return budget.isZero() || budget.compareTo(timeout) >= 0 ? timeout : budget;
    }

    /** Adds the owner's execute permission: the artifact store owns the file and may have stored it without. */
    private static void makeExecutable(Path artifact) throws SandboxException {
        if (Files.isExecutable(artifact)) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(artifact);
            permissions.add(PosixFilePermission.OWNER_EXECUTE);
            Files.setPosixFilePermissions(artifact, permissions);
        } catch (IOException | UnsupportedOperationException e) {
            throw new SandboxException("spec.artifact: cannot make " + artifact + " executable: " + e.getMessage(), e);
        }
    }
}
