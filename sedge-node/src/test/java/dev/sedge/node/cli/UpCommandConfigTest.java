package dev.sedge.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sedge.node.config.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Command-line options override the configuration file, which overrides the defaults. */
class UpCommandConfigTest {

    @TempDir
    Path dir;

    private static UpCommand parse(String... args) {
        UpCommand up = new UpCommand();
        new CommandLine(up).parseArgs(args);
        return up;
    }

    @Test
    void withoutAFileTheDefaultsApply() throws Exception {
        assertThat(parse().config(null)).isEqualTo(NodeConfig.defaults());
    }

    @Test
    void optionsOverrideTheFileAndTheFileOverridesTheDefaults() throws Exception {
        Path file = Files.writeString(dir.resolve("sedge.yaml"), """
                dataDir: state
                mqtt: {bind: 10.0.0.1, port: 1884}
                http: {bind: 10.0.0.2, port: 8081, apiToken: from-file}
                auth: {usersFile: users}
                """);

        NodeConfig fileOnly = parse("--config", file.toString()).config(null);
        assertThat(fileOnly.dataDir()).isEqualTo(dir.resolve("state"));
        assertThat(fileOnly.mqttPort()).isEqualTo(1884);
        assertThat(fileOnly.httpPort()).isEqualTo(8081);
        assertThat(fileOnly.bindHost()).isEqualTo("10.0.0.1");
        assertThat(fileOnly.httpBindHost()).isEqualTo("10.0.0.2");
        assertThat(fileOnly.apiToken()).isEqualTo("from-file");
        assertThat(fileOnly.auth().usersFile()).isEqualTo(dir.resolve("users"));

        NodeConfig overridden = parse(
                        "--config",
                        file.toString(),
                        "--mqtt-port",
                        "0",
                        "--bind",
                        "127.0.0.1",
                        "--data-dir",
                        "elsewhere")
                .config("from-env");
        assertThat(overridden.mqttPort()).isZero();
        assertThat(overridden.httpPort()).as("not overridden").isEqualTo(8081);
        assertThat(overridden.bindHost()).isEqualTo("127.0.0.1");
        assertThat(overridden.httpBindHost()).as("--bind sets every listener").isEqualTo("127.0.0.1");
        assertThat(overridden.dataDir()).isEqualTo(Path.of("elsewhere"));
        assertThat(overridden.apiToken()).as("$SEDGE_API_TOKEN over the file").isEqualTo("from-env");
        assertThat(overridden.auth()).isEqualTo(fileOnly.auth());

        assertThat(parse("--config", file.toString(), "--api-token", "from-option")
                        .config("from-env")
                        .apiToken())
                .isEqualTo("from-option");
    }

    @Test
    void aBadOptionValueIsNamedLikeABadFileValue() {
        assertThatThrownBy(() -> parse("--mqtt-port", "70000").config(null))
                .isInstanceOf(CliException.class)
                .hasMessage("--mqtt-port: 70000 is not a port (0..65535)");
        assertThatThrownBy(() -> parse("--config", dir.resolve("missing.yaml").toString())
                        .config(null))
                .hasMessageStartingWith(dir.resolve("missing.yaml") + ": cannot read: ");
    }
}
