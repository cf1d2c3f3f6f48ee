package dev.sedge.sandbox.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection and layout on fake cgroup file systems made of plain directories. */
class CgroupsTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private String mount(int id, String root, Path point, String fsType, String superOptions) {
        return id + " 1 0:" + id + " " + root + " " + point + " rw,relatime shared:1 - " + fsType + " " + fsType + " "
                + superOptions + "\n";
    }

    @Test
    void v2PutsTheParentNextToTheNodesOwnCgroupAndEnablesTheControllers() throws IOException {
        Path root = dir.resolve("unified");
        write("unified/cgroup.controllers", "cpuset cpu io memory pids\n");
        write("unified/system.slice/cgroup.subtree_control", "memory pids\n");
        write("unified/system.slice/node.service/cgroup.subtree_control", "");
        write("unified/system.slice/sedge/cgroup.subtree_control", "cpu memory\n");
        Path mountinfo = write("mountinfo", mount(30, "/", root, "cgroup2", "rw"));
        Path self = write("self", "0::/system.slice/node.service\n");

        Cgroups cgroups = Cgroups.detect(mountinfo, self);

        assertThat(cgroups.enforced()).as(cgroups.reason()).isTrue();
        assertThat(cgroups.version()).isEqualTo(Cgroups.Version.V2);
        // The node's own cgroup holds processes, so its parent hands out the controllers.
        assertThat(Files.readString(root.resolve("system.slice/cgroup.subtree_control")))
                .isEqualTo("+memory +cpu");
        Cgroups.Cgroup cgroup = cgroups.create("fn/x", 64L << 20, 500);
        Path instance = cgroup.dirs().getFirst();
        assertThat(instance.getParent()).isEqualTo(root.resolve("system.slice/sedge"));
        assertThat(instance.getFileName().toString()).startsWith("fn_x-");
        assertThat(Files.readString(instance.resolve("cpu.max"))).isEqualTo("50000 100000");
        assertThat(Files.readString(instance.resolve("memory.max"))).isEqualTo(Long.toString(64L << 20));
        assertThat(cgroup.procsFiles()).containsExactly(instance.resolve("cgroup.procs"));
    }

    @Test
    void cgroupsLeftByANodeThatIsGoneAreRemovedAndLiveOnesKept() throws IOException {
        Files.createDirectories(dir.resolve("memory/node"));
        Files.createDirectories(dir.resolve("cpu"));
        Path mountinfo = write(
                "mountinfo",
                mount(32, "/", dir.resolve("cpu"), "cgroup", "rw,cpu,cpuacct")
                        + mount(35, "/", dir.resolve("memory"), "cgroup", "rw,memory"));
        Path self = write("self", "4:memory:/node\n2:cpu,cpuacct:/\n");
        Cgroups cgroups = Cgroups.detect(mountinfo, self);
        Cgroups.Cgroup mine = cgroups.create("fn", 0, 0);
        long gone = deadPid();
        Path leftover = Files.createDirectories(dir.resolve("memory/node/sedge/fn-" + gone + "-7"));
        Path foreign = Files.createDirectories(dir.resolve("memory/node/sedge/not-an-instance"));

        assertThat(cgroups.sweepLeftovers()).isEqualTo(1);

        assertThat(leftover).doesNotExist();
        assertThat(foreign).exists();
        assertThat(mine.dirs()).allSatisfy(d -> assertThat(d).exists());
    }

    /** A pid no process has now: a child that has exited. */
    private static long deadPid() throws IOException {
        try {
            Process p = new ProcessBuilder("true").start();
            p.waitFor();
            return p.pid();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Test
    void hybridWithoutV2ControllersUsesV1InsideTheNodesOwnCgroups() throws IOException {
        Files.createDirectories(dir.resolve("memory/node"));
        Files.createDirectories(dir.resolve("cpu"));
        write("unified/cgroup.controllers", "\n");
        Path mountinfo = write(
                "mountinfo",
                mount(32, "/", dir.resolve("cpu"), "cgroup", "rw,cpu,cpuacct")
                        + mount(35, "/", dir.resolve("memory"), "cgroup", "rw,memory")
                        + mount(41, "/", dir.resolve("unified"), "cgroup2", "rw"));
        Path self = write("self", "4:memory:/node\n2:cpu,cpuacct:/\n0::/\n");

        Cgroups cgroups = Cgroups.detect(mountinfo, self);

        assertThat(cgroups.version()).isEqualTo(Cgroups.Version.V1);
        Cgroups.Cgroup cgroup = cgroups.create("fn", 1L << 20, 250);
        assertThat(cgroup.dirs().get(0).getParent()).isEqualTo(dir.resolve("memory/node/sedge"));
        assertThat(cgroup.dirs().get(1).getParent()).isEqualTo(dir.resolve("cpu/sedge"));
        assertThat(Files.readString(cgroup.dirs().get(1).resolve("cpu.cfs_quota_us")))
                .isEqualTo("25000");
        assertThat(Files.readString(cgroup.dirs().get(0).resolve("memory.limit_in_bytes")))
                .isEqualTo(Long.toString(1L << 20));
    }

    @Test
    void aMountRootIsStrippedFromTheNodesCgroupPath() {
        Cgroups.Mount m =
                Cgroups.Mount.parse("35 31 0:32 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory");
        assertThat(m.dirOf("/docker/abc/x")).isEqualTo(Path.of("/sys/fs/cgroup/memory/x"));
        assertThat(m.dirOf("/docker/abc")).isEqualTo(Path.of("/sys/fs/cgroup/memory"));
        assertThat(m.superOptions()).contains("memory");
    }

    @Test
    void withoutControllersLimitsAreOffWithAReason() throws IOException {
        Path mountinfo = write("mountinfo", mount(22, "/", dir.resolve("proc"), "proc", "rw"));
        Path self = write("self", "0::/\n");
        Cgroups cgroups = Cgroups.detect(mountinfo, self);
        assertThat(cgroups.enforced()).isFalse();
        assertThat(cgroups.reason()).contains("no cgroup hierarchy with the memory and cpu controllers");
    }

    @Test
    void aReadOnlyHierarchyTurnsLimitsOffWithAReason() throws IOException {
        Path root = dir.resolve("unified");
        write("unified/cgroup.controllers", "cpu memory\n");
        Files.createDirectories(root.resolve("node"));
        // Enabling controllers in the parent needs its cgroup.subtree_control, which is missing here.
        Path mountinfo = write("mountinfo", mount(30, "/", root, "cgroup2", "rw"));
        Path self = write("self", "0::/node\n");
        Cgroups cgroups = Cgroups.detect(mountinfo, self);
        assertThat(cgroups.enforced()).isFalse();
        assertThat(cgroups.reason())
                .startsWith("cannot prepare the sedge cgroup")
                .contains("cgroup.subtree_control");
    }

    @Test
    void theCpuQuotaHasTheKernelsMinimum() {
        assertThat(Cgroups.cpuQuota(1)).isEqualTo(1000);
        assertThat(Cgroups.cpuQuota(2000)).isEqualTo(200_000);
    }
}
