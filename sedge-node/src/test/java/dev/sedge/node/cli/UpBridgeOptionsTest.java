package dev.sedge.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad bridge options stop {@code sedge up} before anything starts, with one line naming option and value. */
@Timeout(30)
class UpBridgeOptionsTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private Run up(String args) {
        List<String> all = new ArrayList<>(
                List.of("up", "--data-dir", dir.resolve("data").toString(), "--mqtt-port", "0", "--http-port", "0"));
        all.addAll(List.of(args.split(" ")));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SedgeCli.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "--bridge ftp://broker | --bridge: \"ftp://broker\": the scheme must be mqtt or mqtts"
                        + " (use mqtt://HOST[:PORT] or mqtts://HOST[:PORT])",
                "--bridge broker:1883 | --bridge: \"broker:1883\": the scheme must be mqtt or mqtts"
                        + " (use mqtt://HOST[:PORT] or mqtts://HOST[:PORT])",
                "--bridge mqtt://broker:70000 | --bridge: \"mqtt://broker:70000\": port 70000 is not 1..65535"
                        + " (use mqtt://HOST[:PORT] or mqtts://HOST[:PORT])",
                "--bridge mqtt://broker/sensors | --bridge: \"mqtt://broker/sensors\": a path is not allowed"
                        + " (use mqtt://HOST[:PORT] or mqtts://HOST[:PORT])",
                "--bridge mqtt://b --bridge-topic sensors/#/x | --bridge-topic: \"sensors/#/x\": '#' must be the whole"
                        + " last level",
                "--bridge mqtt://b --bridge-topic sensors/+x | --bridge-topic: \"sensors/+x\": '+' must be a whole level",
                "--bridge mqtt://b --bridge-topic $share/g/x | --bridge-topic: \"$share/g/x\": give the plain filter;"
                        + " the bridge shares it in the group of --bridge-group",
                "--bridge-topic sensors/# | --bridge-topic: needs --bridge URL",
                "--bridge-ca ca.pem | --bridge-ca: needs --bridge URL",
                "--bridge mqtt://b --bridge-group a/b | --bridge-group: \"a/b\": must not contain '/', '+' or '#'",
                "--bridge mqtt://b --bridge-ca ca.pem | --bridge-ca: only used with an mqtts:// bridge, not with"
                        + " mqtt://b:1883",
                "--bridge mqtts://b --bridge-ca /no/such/ca.pem | --bridge-ca: \"/no/such/ca.pem\": no such file",
                "--bridge mqtt://b --bridge-session-expiry 5sec | --bridge-session-expiry: invalid duration \"5sec\""
                        + " (use a number and a unit ms, s, m or h: 500ms, 5s, 1m30s)",
                "--bridge mqtt://b --bridge-session-expiry 0s | --bridge-session-expiry: 0s is out of range"
                        + " (1s..4294967295s)",
            })
    void aBadBridgeOptionIsOneLineAndANonZeroExit(String args, String message) {
        Run run = up(args);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().lines()).containsExactly("error: " + message);
        assertThat(run.out()).isEmpty();
        assertThat(dir.resolve("data")).as("nothing started").doesNotExist();
    }

    @Test
    void aCaFileWithoutCertificatesIsRefused() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        Run run = up("--bridge mqtts://b --bridge-ca " + ca);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString().startsWith("error: --bridge-ca: \"" + ca + "\": ");
    }
}
