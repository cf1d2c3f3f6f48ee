package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.node.config.NodeConfig;
import dev.sedge.scaling.ScaleSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wasm and process runtimes through a real node: the examples deployed with the CLI, triggered with
 * mosquitto_pub, invoked with {@code sedge invoke -o json} (whose first call reports the cold start's
 * phases), a function that breaks failing only its own event, and bad artifacts refused at deploy.
 */
@Timeout(180)
class RuntimesEndToEndIT {

    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    @TempDir
    static Path work;

    static RunningNode node;

    @BeforeAll
    static void start() throws Exception {
        // Functions here start at zero (no initial instance), so that each first event is a cold start whose
        // phases the tests read; and they go to zero as Knative takes them there, so that a failed guest's
        // replacement is still warm when read.
        node = new RunningNode(RunningNode.knative(new NodeConfig(dataDir, "127.0.0.1", 0, 0, null)
                .withScale(ScaleSettings.DEFAULTS.withBounds(0, ScaleSettings.MAX_DEFAULT, 0))));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static JsonNode invokeJson(String function, String data) throws Exception {
        RunningNode.Cli cli =
                node.cli("invoke", function, "--subject", "sensors/t1/temperature", "--data", data, "-o", "json");
        return JSON.readTree(cli.out());
    }

    static List<String> names(JsonNode phases) {
        List<String> out = new ArrayList<>();
        phases.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void thePythonProcessExampleAnswersOverMqttAndReportsItsColdStart() throws Exception {
        assumeTrue(onPath("python3"), "python3 is not installed: the Python process example cannot run");
        RunningNode.Cli deploy = node.cli(
                "deploy", EXAMPLES.resolve("python-process/function.yaml").toString());
        assertThat(deploy.exit()).as(deploy.err()).isZero();

        JsonNode cold = invokeJson("python-temperature-alert", "{\"celsius\": 45}");
        assertThat(cold.path("status").asText()).as(cold.toString()).isEqualTo("succeeded");
        assertThat(cold.path("coldStart").asBoolean()).isTrue();
        assertThat(names(cold.path("coldStartPhasesMs")))
                .containsSubsequence("fetch", "instantiate", "initialise", "first-call");
        assertThat(cold.path("coldStartPhasesMs").path("initialise").asDouble()).isPositive();
        assertThat(cold.path("result").toString()).isEqualTo("{\"sensor\":\"t1\",\"celsius\":45.0,\"alert\":true}");

        JsonNode warm = invokeJson("python-temperature-alert", "{\"celsius\": 12}");
        assertThat(warm.path("coldStart").asBoolean()).isFalse();
        assertThat(warm.has("coldStartPhasesMs")).isFalse();

        assertThat(node.get("/metrics").body())
                .contains(
                        "sedge_cold_start_phase_seconds_count{function=\"python-temperature-alert\",phase=\"initialise\"} 1");

        Mosquitto.assumeInstalled();
        try (Mosquitto.Sub sub = new Mosquitto.Sub(node.mqttPort(), "alerts/#")) {
            Mosquitto.publish(node.mqttPort(), "sensors/porch/temperature", "{\"celsius\": 41.5}", 1);
            assertThat(sub.next(20))
                    .isEqualTo("alerts/porch {\"sensor\": \"porch\", \"celsius\": 41.5, \"alert\": true}");
        } finally {
            node.cli("delete", "python-temperature-alert");
        }
    }

    @Test
    void aProcessThatKillsItselfFailsOnlyThatEventAndIsReplaced() throws Exception {
        assumeTrue(onPath("python3"), "python3 is not installed: the process function of this test cannot run");
        Path dir = Files.createDirectories(work.resolve("fragile"));
        Files.writeString(dir.resolve("fragile.py"), """
                #!/usr/bin/env python3
                import os, sys
                sys.path.insert(0, %s)
                import handler

                def handle(event, data):
                    if data == b"die":
                        os._exit(7)
                    return data, "text/plain"

                handler.serve(handle)
                """.formatted(JSON.writeValueAsString(
                EXAMPLES.resolve("python-process").toString())));
        Files.writeString(dir.resolve("function.yaml"), """
                apiVersion: sedge.dev/v1alpha1
                kind: Function
                metadata: {name: fragile}
                spec: {runtime: process, artifact: ./fragile.py, timeout: 10s}
                """);
        RunningNode.Cli deploy = node.cli("deploy", dir.resolve("function.yaml").toString());
        assertThat(deploy.exit()).as(deploy.err()).isZero();
        try {
            assertThat(node.cli("invoke", "fragile", "--data", "hello", "--content-type", "text/plain")
                            .out())
                    .isEqualTo("hello\n");
            RunningNode.Cli dies = node.cli("invoke", "fragile", "--data", "die", "--content-type", "text/plain");
            assertThat(dies.exit()).isNotZero();
            assertThat(dies.err()).contains("process exited with code 7");
            JsonNode again = JSON.readTree(
                    node.cli("invoke", "fragile", "--data", "again", "--content-type", "text/plain", "-o", "json")
                            .out());
            assertThat(again.path("status").asText()).isEqualTo("succeeded");
            assertThat(node.get("/healthz").body()).contains("\"status\":\"ok\"");
        } finally {
            node.cli("delete", "fragile");
        }
    }

    @Test
    void theWatExampleAnswersOverMqttAndReportsEveryPhaseOfItsColdStart() throws Exception {
        RunningNode.Cli deploy =
                node.cli("deploy", EXAMPLES.resolve("wasm-wat/function.yaml").toString());
        assertThat(deploy.exit()).as(deploy.err()).isZero();
        try {
            JsonNode cold = JSON.readTree(node.cli(
                            "invoke",
                            "wasm-echo-topic",
                            "--subject",
                            "echo/a",
                            "--data",
                            "hello",
                            "--content-type",
                            "text/plain",
                            "-o",
                            "json")
                    .out());
            assertThat(cold.path("status").asText()).as(cold.toString()).isEqualTo("succeeded");
            assertThat(cold.path("result").asText()).isEqualTo("echo/a: HELLO");
            assertThat(cold.path("coldStart").asBoolean()).isTrue();
            assertThat(names(cold.path("coldStartPhasesMs")))
                    .containsExactly("fetch", "compile", "instantiate", "initialise", "first-call");

            Mosquitto.assumeInstalled();
            try (Mosquitto.Sub sub = new Mosquitto.Sub(node.mqttPort(), "echoed/#")) {
                Mosquitto.publish(node.mqttPort(), "echo/porch", "quiet", 1);
                assertThat(sub.next(20)).isEqualTo("echoed/porch echo/porch: QUIET");
            }
        } finally {
            node.cli("delete", "wasm-echo-topic");
        }
    }

    /** The test guest of the wasm runtime's own tests: one module with a handler per misbehaviour. */
    static final Path GUEST = Path.of("..", "sedge-sandbox", "src", "test", "resources", "wasm", "guest.wasm")
            .toAbsolutePath()
            .normalize();

    static Path guestFunction(String name, String handler, String timeout) throws Exception {
        Path dir = Files.createDirectories(work.resolve(name));
        Files.copy(GUEST, dir.resolve("guest.wasm"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path descriptor = dir.resolve("function.yaml");
        Files.writeString(descriptor, """
                apiVersion: sedge.dev/v1alpha1
                kind: Function
                metadata: {name: %s}
                spec: {runtime: wasm, artifact: ./guest.wasm, handler: %s, timeout: %s, resources: {memory: 256Ki}}
                """.formatted(name, handler, timeout));
        return descriptor;
    }

    @Test
    void aWasmGuestThatTrapsLoopsOrOutgrowsItsMemoryFailsOnlyThatEvent() throws Exception {
        record Case(String name, String handler, String timeout, String error) {}
        List<Case> cases = List.of(
                new Case("wasm-trap", "trap", "5s", "wasm trap: unreachable"),
                new Case("wasm-spin", "spin", "300ms", "timed out after PT0.3S"),
                new Case("wasm-grow", "grow", "5s", "wasm trap"),
                new Case("wasm-counter", "counter", "5s", null));
        for (Case c : cases) {
            RunningNode.Cli deploy = node.cli(
                    "deploy", guestFunction(c.name(), c.handler(), c.timeout()).toString());
            assertThat(deploy.exit()).as(deploy.err()).isZero();
        }
        try {
            for (Case c : cases.subList(0, 3)) {
                for (int round = 0; round < 2; round++) {
                    RunningNode.Cli failed =
                            node.cli("invoke", c.name(), "--data", "x", "--content-type", "text/plain");
                    assertThat(failed.exit()).as(c.name()).isNotZero();
                    assertThat(failed.err()).as(c.name()).contains(c.error());
                }
            }
            // The healthy function beside them still answers.
            for (int i = 0; i < 3; i++) {
                JsonNode ok = JSON.readTree(node.cli("invoke", "wasm-counter", "--data", "x", "-o", "json")
                        .out());
                assertThat(ok.path("status").asText()).as(ok.toString()).isEqualTo("succeeded");
            }
            assertThat(node.get("/healthz").body()).contains("\"status\":\"ok\"");
            assertThat(node.get("/metrics").body())
                    .contains("sedge_invocation_errors_total{function=\"wasm-spin\",kind=\"timeout\"} 2.0")
                    .contains("sedge_invocation_errors_total{function=\"wasm-trap\",kind=\"error\"} 2.0");
            // Each failed guest's instance was retired and a new one started in its place.
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(node.get("/metrics").body())
                            .contains("sedge_function_instances{function=\"wasm-trap\",state=\"ready\"} 1.0")
                            .contains("sedge_function_instances{function=\"wasm-trap\",state=\"draining\"} 0.0"));
        } finally {
            for (Case c : cases) {
                node.cli("delete", c.name());
            }
        }
    }

    @Test
    void anInvalidModuleIsRefusedAtDeploy() throws Exception {
        Path dir = Files.createDirectories(work.resolve("badwasm"));
        Files.writeString(dir.resolve("bad.wasm"), "this is not WebAssembly");
        Files.writeString(dir.resolve("function.yaml"), """
                apiVersion: sedge.dev/v1alpha1
                kind: Function
                metadata: {name: badwasm}
                spec: {runtime: wasm, artifact: ./bad.wasm}
                """);
        RunningNode.Cli deploy = node.cli("deploy", dir.resolve("function.yaml").toString());
        assertThat(deploy.exit()).isEqualTo(1);
        assertThat(deploy.err().lines().filter(l -> l.startsWith("error: ")))
                .containsExactly(
                        "error: spec.artifact: not a WebAssembly module: ./bad.wasm does not start with the module header \\0asm");
        assertThat(node.cli("list", "-o", "json").out()).doesNotContain("badwasm");
    }

    @Test
    void aProcessWhoseInterpreterIsMissingIsRefusedAtDeploy() throws Exception {
        Path dir = Files.createDirectories(work.resolve("nointerp"));
        Files.writeString(dir.resolve("fn.py"), "#!/usr/bin/python9\nprint('never')\n");
        Files.writeString(dir.resolve("function.yaml"), """
                apiVersion: sedge.dev/v1alpha1
                kind: Function
                metadata: {name: nointerp}
                spec: {runtime: process, artifact: ./fn.py}
                """);
        RunningNode.Cli deploy = node.cli("deploy", dir.resolve("function.yaml").toString());
        assertThat(deploy.exit()).isEqualTo(1);
        assertThat(deploy.err().lines().filter(l -> l.startsWith("error: ")))
                .containsExactly("error: spec.artifact: interpreter /usr/bin/python9 (from the #! line) not found");
        assertThat(node.cli("list", "-o", "json").out()).doesNotContain("nointerp");
    }
}
