package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bad descriptor is refused with one line naming the field and the value: a non-zero exit from the
 * CLI, a 400 from the API, and nothing deployed.
 */
@Timeout(60)
class BadDescriptorIT {

    @TempDir
    static Path dir;

    static RunningNode node;
    static String example;

    @BeforeAll
    static void start() throws Exception {
        node = new RunningNode(dir.resolve("data"));
        example = Files.readString(RunningNode.EXAMPLE);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @AfterEach
    void nothingWasDeployed() throws Exception {
        assertThat(node.get("/v1/functions").body().trim()).isEqualTo("[]");
    }

    /** Writes a changed copy of the example beside the real one, so its artifact path still resolves. */
    private static Path variant(String from, String to) throws Exception {
        assertThat(example).contains(from);
        Path file = Files.createTempFile(RunningNode.EXAMPLE.getParent(), "bad-", ".yaml");
        file.toFile().deleteOnExit();
        Files.writeString(file, example.replace(from, to));
        return file;
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            commentCharacter = ';',
            value = {
                "timeout: 5s | timeout: soon | spec.timeout: invalid duration \"soon\" (use a number and a unit ms, s, m or h: 500ms, 5s, 1m30s)",
                "concurrency: 4 | concurrency: 4\\n  replicas: 3 | spec.replicas: unknown field (known: runtime, artifact, handler, timeout, resources, concurrency, scale, retry, queue, env, triggers)",
                "filter: sensors/+/temperature | filter: sensors/#/temperature | spec.triggers[0].mqtt.filter: invalid topic filter \"sensors/#/temperature\": '#' must be the whole last level",
                "artifact: ./target/temperature-alert.jar | artifact: ./target/missing.jar | spec.artifact: file not found: ./target/missing.jar",
            })
    void theCliRefusesWithOneLineAndExitsNonZero(String from, String to, String message) throws Exception {
        Path file = variant(from, to.replace("\\n", "\n"));
        RunningNode.Cli cli = node.cli("deploy", file.toString());
        assertThat(cli.exit()).isEqualTo(1);
        assertThat(cli.err().lines()).hasSize(1);
        assertThat(cli.err()).startsWith("error: " + file + ": " + message);
        assertThat(cli.out()).isEmpty();
    }

    @Test
    void theCliNamesAMissingDescriptorFile() {
        RunningNode.Cli cli = node.cli("deploy", dir.resolve("nope.yaml").toString());
        assertThat(cli.exit()).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("error: " + dir.resolve("nope.yaml") + ": cannot read (no such file)\n");
    }

    private static String withAbsoluteArtifact(String text) {
        Path jar = RunningNode.EXAMPLE.getParent().resolve("target/temperature-alert.jar");
        return text.replace("./target/temperature-alert.jar", jar.toString());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            commentCharacter = ';',
            value = {
                "timeout: 5s | timeout: 5 sec | spec.timeout: invalid duration \"5 sec\" (use a number and a unit ms, s, m or h: 500ms, 5s, 1m30s)",
                "kind: Function | kind: Service | kind: unsupported \"Service\" (use Function)",
                "filter: sensors/+/temperature | filter: sensors/+x | spec.triggers[0].mqtt.filter: invalid topic filter \"sensors/+x\": '+' must be a whole level",
                "handler: dev.sedge.examples.temperature.TemperatureAlert | handler: com.example.Missing | spec.handler: class com.example.Missing not found in ",
                "runtime: jvm | runtime: wasm | spec.artifact: not a WebAssembly module: ",
            })
    void theApiRefusesWith400(String from, String to, String message) throws Exception {
        String body = withAbsoluteArtifact(example).replace(from, to);
        HttpResponse<String> r = node.post("/v1/functions", "application/yaml", body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("{\"error\":\"" + message.replace("\"", "\\\""));
    }

    @Test
    void theApiRefusesAnArtifactPathThatIsNotOnTheNode() throws Exception {
        String body = example.replace("./target/temperature-alert.jar", "/no/such/dir/fn.jar");
        HttpResponse<String> r = node.post("/v1/functions", "application/yaml", body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body())
                .isEqualTo("{\"error\":\"spec.artifact: file not found on the node: /no/such/dir/fn.jar\"}\n");
    }

    @Test
    void theApiRefusesAnArtifactThatIsNotAJar() throws Exception {
        Path notJar = Files.writeString(dir.resolve("fake.jar"), "this is not a zip");
        String body = example.replace("./target/temperature-alert.jar", notJar.toString());
        HttpResponse<String> r = node.post("/v1/functions", "application/yaml", body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("{\"error\":\"spec.artifact: not a jar file");
    }

    @Test
    void theApiAcceptsTheSameDescriptorByPath() throws Exception {
        HttpResponse<String> r = node.post("/v1/functions", "application/yaml", withAbsoluteArtifact(example));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(node.cli("delete", "temperature-alert").exit()).isZero();
    }
}
