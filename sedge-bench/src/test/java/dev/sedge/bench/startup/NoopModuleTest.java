package dev.sedge.bench.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmarks' checked-in wasm guests (here and in sedge-jmh) are the assembled text beside them. */
class NoopModuleTest {

    @TempDir
    Path dir;

    @Test
    void theCheckedInModulesMatchTheirText() throws Exception {
        assumeTrue(runs(List.of("wat2wasm", "--version")), "wat2wasm (Debian package wabt) is not installed");
        for (Path wat : List.of(
                Path.of("src/main/resources/dev/sedge/bench/wasm/noop.wat"),
                Path.of("src/main/resources/dev/sedge/bench/wasm/echo.wat"),
                Path.of("../sedge-jmh/src/main/resources/dev/sedge/jmh/noop.wat"))) {
            String name = wat.getFileName().toString().replace(".wat", ".wasm");
            Path out = dir.resolve(name);
            assertThat(runs(List.of("wat2wasm", wat.toAbsolutePath().toString(), "-o", out.toString())))
                    .as("wat2wasm " + wat)
                    .isTrue();
            Path checkedIn = wat.resolveSibling(name);
            assertThat(Files.readAllBytes(out))
                    .as(checkedIn + " is stale: rebuild it with wat2wasm")
                    .isEqualTo(Files.readAllBytes(checkedIn));
        }
    }

    private static boolean runs(List<String> command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
