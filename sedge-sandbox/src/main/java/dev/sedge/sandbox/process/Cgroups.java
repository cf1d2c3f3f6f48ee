package dev.sedge.sandbox.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates one cgroup per process instance under a parent named {@code sedge}, with the instance's
 * memory and CPU limits, on cgroup v2 or v1, whichever holds the memory and cpu controllers.
 *
 * <p>Where the parent goes: on v2, a cgroup holding processes cannot hand controllers to children (the
 * "no internal processes" rule), so {@code sedge} is made a sibling of the node's own cgroup, or a child
 * of the root when the node runs in the root (which is exempt); on v1 it is a child of the node's own
 * cgroup in each hierarchy. When none of this is possible, {@link #detect()} returns a disabled instance
 * with the reason, and functions run without limits. Thread-safe.
 */
final class Cgroups {

    static final String PARENT = "sedge";

    /** The CFS period used for the CPU limit: 100 ms, the kernel's default. */
    static final long CPU_PERIOD_MICROS = 100_000;

    private static final List<String> CONTROLLERS = List.of("memory", "cpu");

    enum Version {
        V1,
        V2
    }

    private final Version version;
    /** v2: the one parent; v1: the memory parent, then the cpu parent. Empty when disabled. */
    private final List<Path> parents;

    private final String reason;
    private final AtomicLong sequence = new AtomicLong();

    private Cgroups(Version version, List<Path> parents, String reason) {
        this.version = version;
        this.parents = List.copyOf(parents);
        this.reason = reason;
    }

    /** Limits are not enforced, for the given reason. */
    static Cgroups disabled(String reason) {
        return new Cgroups(null, List.of(), reason);
    }

    /** Finds the cgroup hierarchy of this process and prepares the {@code sedge} parent in it. */
    static Cgroups detect() {
        return detect(Path.of("/proc/self/mountinfo"), Path.of("/proc/self/cgroup"));
    }

    static Cgroups detect(Path mountinfo, Path selfCgroup) {
        List<String> mounts;
        List<String> memberships;
        try {
            mounts = Files.readAllLines(mountinfo);
            memberships = Files.readAllLines(selfCgroup);
        } catch (IOException e) {
            return disabled("cannot read " + e.getMessage() + " (not Linux, or /proc not mounted)");
        }
        try {
            Path[] v2 = v2Root(mounts, memberships);
            if (v2 != null) {
                return prepareV2(v2[0], v2[1]);
            }
            List<Path> v1 = v1Roots(mounts, memberships);
            if (v1 != null) {
                List<Path> parents = new ArrayList<>();
                for (Path own : v1) {
                    Path parent = own.resolve(PARENT);
                    Files.createDirectories(parent);
                    parents.add(parent);
                }
                return new Cgroups(Version.V1, parents, null);
            }
            return disabled("no cgroup hierarchy with the memory and cpu controllers is mounted");
        } catch (IOException | RuntimeException e) {
            return disabled("cannot prepare the sedge cgroup: " + describe(e));
        }
    }

    /**
     * The mount point of the v2 hierarchy and the node's own cgroup directory in it, when that hierarchy
     * has the memory and cpu controllers; otherwise null.
     */
    private static Path[] v2Root(List<String> mounts, List<String> memberships) throws IOException {
        String own = null;
        for (String line : memberships) {
            if (line.startsWith("0::")) {
                own = line.substring(3);
            }
        }
        if (own == null) {
            return null;
        }
        for (String line : mounts) {
            Mount m = Mount.parse(line);
            if (m == null || !m.fsType().equals("cgroup2")) {
                continue;
            }
            Path controllers = m.point().resolve("cgroup.controllers");
            if (!Files.isReadable(controllers)) {
                continue;
            }
            Set<String> available = words(Files.readString(controllers));
            if (available.containsAll(CONTROLLERS)) {
                return new Path[] {m.point(), m.dirOf(own)};
            }
        }
        return null;
    }

    private static Cgroups prepareV2(Path mountPoint, Path own) throws IOException {
        // The root (of the hierarchy, or of this cgroup namespace) is used directly; any other cgroup
        // holds the node, so the parent goes next to it.
        Path base = own.equals(mountPoint) ? own : own.getParent();
        enableControllers(base);
        Path parent = base.resolve(PARENT);
        Files.createDirectories(parent);
        enableControllers(parent);
        return new Cgroups(Version.V2, List.of(parent), null);
    }

    private static void enableControllers(Path dir) throws IOException {
        Path control = dir.resolve("cgroup.subtree_control");
        Set<String> enabled = words(Files.readString(control));
        if (enabled.containsAll(CONTROLLERS)) {
            return;
        }
        try {
            Files.writeString(control, "+memory +cpu");
        } catch (IOException e) {
            throw new IOException(
                    "cannot enable the memory and cpu controllers in " + control + ": " + describe(e)
                            + " (a cgroup holding processes cannot give controllers to its children)",
                    e);
        }
    }

    /** The node's own v1 cgroup directories for memory and cpu, or null when either is not mounted. */
    private static List<Path> v1Roots(List<String> mounts, List<String> memberships) {
        List<Path> dirs = new ArrayList<>();
        for (String controller : CONTROLLERS) {
            String own = null;
            for (String line : memberships) {
                String[] parts = line.split(":", 3);
                if (parts.length == 3 && Arrays.asList(parts[1].split(",")).contains(controller)) {
                    own = parts[2];
                }
            }
            Path dir = null;
            for (String line : mounts) {
                Mount m = Mount.parse(line);
                if (m != null && m.fsType().equals("cgroup") && m.superOptions().contains(controller) && own != null) {
                    dir = m.dirOf(own);
                    break;
                }
            }
            if (dir == null) {
                return null;
            }
            dirs.add(dir);
        }
        return dirs;
    }

    /** True when instances get cgroups with limits. */
    boolean enforced() {
        return version != null;
    }

    /** Why limits are not enforced, or null when they are. */
    String reason() {
        return reason;
    }

    Version version() {
        return version;
    }

    /**
     * Creates a cgroup for one instance with the given limits (0: none).
     *
     * @return the cgroup, or null when limits are not enforced
     */
    Cgroup create(String function, long memoryBytes, long cpuMillis) throws IOException {
        if (version == null) {
            return null;
        }
        String name = function.replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                + ProcessHandle.current().pid() + "-" + sequence.incrementAndGet();
        List<Path> dirs = new ArrayList<>();
        Cgroup cgroup = new Cgroup(version, dirs);
        try {
            for (Path parent : parents) {
                Path dir = parent.resolve(name);
                Files.createDirectory(dir);
                dirs.add(dir);
            }
            if (version == Version.V2) {
                Path dir = dirs.getFirst();
                if (memoryBytes > 0) {
                    Files.writeString(dir.resolve("memory.max"), Long.toString(memoryBytes));
                    writeIfPresent(dir.resolve("memory.swap.max"), "0");
                }
                if (cpuMillis > 0) {
                    Files.writeString(dir.resolve("cpu.max"), cpuQuota(cpuMillis) + " " + CPU_PERIOD_MICROS);
                }
            } else {
                Path memory = dirs.get(0);
                Path cpu = dirs.get(1);
                if (memoryBytes > 0) {
                    Files.writeString(memory.resolve("memory.limit_in_bytes"), Long.toString(memoryBytes));
                    writeIfPresent(memory.resolve("memory.memsw.limit_in_bytes"), Long.toString(memoryBytes));
                }
                if (cpuMillis > 0) {
                    Files.writeString(cpu.resolve("cpu.cfs_period_us"), Long.toString(CPU_PERIOD_MICROS));
                    Files.writeString(cpu.resolve("cpu.cfs_quota_us"), Long.toString(cpuQuota(cpuMillis)));
                }
            }
            return cgroup;
        } catch (IOException e) {
            cgroup.remove();
            throw new IOException("cannot create cgroup " + name + ": " + describe(e), e);
        }
    }

    /**
     * Removes the instance cgroups a node that is gone left behind (it was killed before closing them):
     * their names carry the node's pid. Processes still in them are killed first. Returns how many went.
     */
    int sweepLeftovers() {
        long self = ProcessHandle.current().pid();
        int removed = 0;
        for (Path parent : parents) {
            List<Path> children;
            try (var list = Files.list(parent)) {
                children = list.filter(Files::isDirectory).toList();
            } catch (IOException e) {
                continue;
            }
            for (Path child : children) {
                Matcher m = INSTANCE_NAME.matcher(String.valueOf(child.getFileName()));
                if (!m.matches()) {
                    continue;
                }
                long pid = Long.parseLong(m.group(1));
                if (pid == self
                        || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                Cgroup.killMembers(child);
                Cgroup.removeDir(child);
                if (!Files.exists(child)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    /** An instance cgroup's name: the function, the node's pid, a sequence number. */
    private static final Pattern INSTANCE_NAME = Pattern.compile(".+-(\\d+)-\\d+");

    /** The CFS quota in microseconds per period for a CPU limit in millicores (at least the kernel's 1 ms). */
    static long cpuQuota(long cpuMillis) {
        return Math.max(1000, cpuMillis * CPU_PERIOD_MICROS / 1000);
    }

    private static void writeIfPresent(Path file, String value) {
        if (Files.exists(file)) {
            try {
                Files.writeString(file, value);
            } catch (IOException ignored) {
                // Swap accounting may be off; the memory limit alone still holds.
            }
        }
    }

    static Set<String> words(String text) {
        Set<String> out = new HashSet<>();
        for (String w : text.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    static String describe(Exception e) {
        if (e instanceof FileSystemException fse) {
            String why = fse.getReason();
            return fse.getFile() + (why == null ? " (" + e.getClass().getSimpleName() + ")" : ": " + why);
        }
        return String.valueOf(e.getMessage());
    }

    /** One line of /proc/self/mountinfo. */
    record Mount(String root, Path point, String fsType, Set<String> superOptions) {

        static Mount parse(String line) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                return null;
            }
            String[] pre = line.substring(0, dash).split(" ");
            String[] post = line.substring(dash + 3).split(" ");
            if (pre.length < 5 || post.length < 3) {
                return null;
            }
            return new Mount(
                    unescape(pre[3]), Path.of(unescape(pre[4])), post[0], new HashSet<>(List.of(post[2].split(","))));
        }

        /** The directory of a cgroup path (as in /proc/self/cgroup) under this mount. */
        Path dirOf(String cgroupPath) {
            String relative = cgroupPath;
            if (!root.equals("/") && (relative.equals(root) || relative.startsWith(root + "/"))) {
                relative = relative.substring(root.length());
            }
            relative = relative.replaceFirst("^/+", "");
            return relative.isEmpty() ? point : point.resolve(relative);
        }

        private static String unescape(String s) {
            if (s.indexOf('\\') < 0) {
                return s;
            }
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 3 < s.length()) {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }
    }

    /** One instance's cgroup: one directory on v2, one per controller on v1. */
    static final class Cgroup {

        private final Version version;
        private final List<Path> dirs;

        Cgroup(Version version, List<Path> dirs) {
            this.version = version;
            this.dirs = dirs;
        }

        List<Path> dirs() {
            return List.copyOf(dirs);
        }

        /** The files a process writes its pid to, to join this cgroup. */
        List<Path> procsFiles() {
            return dirs.stream().map(d -> d.resolve("cgroup.procs")).toList();
        }

        /** How many times the kernel's OOM killer killed a process of this cgroup, or 0 when unknown. */
        long oomKills() {
            Path file = version == Version.V2
                    ? dirs.getFirst().resolve("memory.events")
                    : dirs.getFirst().resolve("memory.oom_control");
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                    if (line.startsWith("oom_kill ")) {
                        return Long.parseLong(
                                line.substring("oom_kill ".length()).trim());
                    }
                }
            } catch (IOException | RuntimeException ignored) {
                // Older kernels do not count OOM kills; the exit signal still tells.
            }
            return 0;
        }

        /** Kills what is left in the cgroup and removes it. Never throws; logs what it cannot do. */
        void remove() {
            for (Path dir : dirs.reversed()) {
                killMembers(dir);
                removeDir(dir);
            }
        }

        private static void killMembers(Path dir) {
            Path procs = dir.resolve("cgroup.procs");
            try {
                for (String line : Files.readAllLines(procs)) {
                    if (!line.isBlank()) {
                        ProcessHandle.of(Long.parseLong(line.trim())).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            } catch (IOException | RuntimeException ignored) {
                // Gone already, or never created.
            }
        }

        private static void removeDir(Path dir) {
            // A killed process leaves its cgroup a moment after it is reaped; try for up to a second.
            for (int attempt = 0; ; attempt++) {
                try {
                    Files.deleteIfExists(dir);
                    return;
                } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                    return;
                } catch (IOException e) {
                    if (attempt >= 100) {
                        ProcessSandbox.LOG.log(
                                System.Logger.Level.WARNING, "cannot remove cgroup {0}: {1}", dir, describe(e));
                        return;
                    }
                    killMembers(dir);
                    try {
                        TimeUnit.MILLISECONDS.sleep(10);
                    } catch (InterruptedException ie) {
                        // Keep the interrupt for the caller, but say what is left behind.
                        Thread.currentThread().interrupt();
                        ProcessSandbox.LOG.log(
                                System.Logger.Level.WARNING,
                                "cannot remove cgroup {0} (interrupted while retrying): {1}",
                                dir,
                                describe(e));
                        return;
                    }
                }
            }
        }
    }
}
