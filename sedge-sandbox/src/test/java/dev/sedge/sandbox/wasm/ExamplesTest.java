package dev.sedge.sandbox.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sedge.api.Event;
import dev.sedge.api.Result;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Instance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the wasm examples under examples/ through the sandbox, building them where the tools exist. */
class ExamplesTest {

    private static final Path EXAMPLES = Path.of("..", "examples");

    @TempDir
    Path dir;

    private static FunctionSpec spec(Path artifact) {
        return new FunctionSpec("example", "wasm", artifact, "handle", Duration.ofSeconds(5), 16 << 20, 0, 2, Map.of());
    }

    private static Event reading(String topic, String data) {
        return Event.builder()
                .id("1")
                .source("/t")
                .type("t")
                .subject(topic)
                .data(data)
                .build();
    }

    /** Runs a command; false when it cannot be started (the tool is not installed) or fails. */
    private static ProcessResult run(Path cwd, List<String> command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command)
                    .directory(cwd.toFile())
                    .redirectErrorStream(true)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new ProcessResult(false, "timed out");
            }
            return new ProcessResult(p.exitValue() == 0, new String(out, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new ProcessResult(false, e.getMessage());
        }
    }

    private record ProcessResult(boolean ok, String output) {}

    @Test
    void theWatExampleEchoesTheTopicAndThePayload() throws Exception {
        Path wasm = EXAMPLES.resolve("wasm-wat/echo_topic.wasm");
        WasmSandbox sandbox = new WasmSandbox(null);
        sandbox.check(spec(wasm));
        try (Instance i = sandbox.start(spec(wasm))) {
            Result r = i.invoke(reading("echo/kitchen", "hello"), new TestContext());
            assertThat(r.dataAsString()).isEqualTo("echo/kitchen: HELLO");
            assertThat(r.contentType()).isEqualTo("text/plain; charset=utf-8");
            assertThat(i.invoke(reading("echo/x", "a"), new TestContext()).dataAsString())
                    .isEqualTo("echo/x: A");
        }
    }

    @Test
    void theCheckedInModulesMatchTheirText() throws Exception {
        ProcessResult version = run(dir, List.of("wat2wasm", "--version"));
        assumeTrue(version.ok(), "wat2wasm (Debian package wabt) is not installed: cannot rebuild the .wasm files");
        for (Path wat : List.of(
                EXAMPLES.resolve("wasm-wat/echo_topic.wat"),
                Path.of("src/test/resources/wasm/guest.wat"),
                Path.of("src/test/resources/wasm/bad_import.wat"),
                Path.of("src/test/resources/wasm/no_alloc.wat"),
                Path.of("src/test/resources/wasm/big_memory.wat"),
                Path.of("src/test/resources/wasm/wasi_state.wat"))) {
            Path out = dir.resolve(wat.getFileName() + ".wasm");
            ProcessResult built =
                    run(dir, List.of("wat2wasm", wat.toAbsolutePath().toString(), "-o", out.toString()));
            assertThat(built.ok()).as(built.output()).isTrue();
            Path checkedIn = wat.resolveSibling(wat.getFileName().toString().replace(".wat", ".wasm"));
            assertThat(Files.readAllBytes(out))
                    .as(checkedIn + " is stale: rebuild it with wat2wasm")
                    .isEqualTo(Files.readAllBytes(checkedIn));
        }
    }

    @Test
    void theCExampleBuildsWithClangAndAlertsAboveThirtyDegrees() throws Exception {
        ProcessResult clang = run(dir, List.of("clang", "--version"));
        assumeTrue(clang.ok(), "clang is not installed: cannot build examples/wasm-c");
        Path wasm = dir.resolve("temp_alert.wasm");
        ProcessResult built = run(
                EXAMPLES.resolve("wasm-c"),
                List.of("sh", "build.sh", wasm.toAbsolutePath().toString()));
        assumeTrue(
                built.ok(),
                "clang cannot build for wasm32-wasi here (packages wasi-libc, lld and libclang-rt for wasm32 "
                        + "missing?): " + built.output().lines().findFirst().orElse(""));

        WasmSandbox sandbox = new WasmSandbox(null);
        sandbox.check(spec(wasm));
        try (Instance i = sandbox.start(spec(wasm))) {
            TestContext ctx = new TestContext();
            Result alert = i.invoke(reading("sensors/kitchen/temperature", "{\"celsius\": 31.5}"), ctx);
            String json = "{\"sensor\":\"kitchen\",\"celsius\":31.5,\"alert\":true}";
            assertThat(alert.dataAsString()).isEqualTo(json);
            assertThat(alert.contentType()).isEqualTo("application/json");
            assertThat(ctx.published).singleElement().satisfies(p -> {
                assertThat(p.topic()).isEqualTo("alerts/all");
                assertThat(new String(p.payload(), java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo(json);
            });
            assertThat(ctx.log).containsExactly("INFO stdout: alert for kitchen");

            TestContext calm = new TestContext();
            assertThat(i.invoke(reading("sensors/hall/temperature", "20"), calm).dataAsString())
                    .isEqualTo("{\"sensor\":\"hall\",\"celsius\":20.0,\"alert\":false}");
            assertThat(calm.published).isEmpty();
            assertThatThrownBy(() -> i.invoke(reading("sensors/hall/temperature", "warm"), new TestContext()))
                    .hasMessageContaining("handle returned 2");
            for (int n = 0; n < 5; n++) {
                assertThat(i.invoke(reading("sensors/attic/temperature", "40"), new TestContext())
                                .dataAsString())
                        .contains("attic");
            }
            assertThat(((WasmInstance) i).created())
                    .as("the C guest is rewound in place, never replaced")
                    .isEqualTo(1);
        }
    }
}
