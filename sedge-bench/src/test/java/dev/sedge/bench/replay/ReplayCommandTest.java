package dev.sedge.bench.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.node.cli.SedgeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sedge replay}'s refusals: each one line on stderr naming the option, before anything is deployed. */
class ReplayCommandTest {

    @TempDir
    Path dir;

    private Path trace;

    @BeforeEach
    void writeTrace() throws Exception {
        trace = Files.writeString(dir.resolve("t.csv"), """
                epoch_ms,device_id,event,extra
                1000,a,x,-
                2000,b,y,-
                """);
    }

    /** Runs the CLI; returns stderr, after checking that the run failed with one line and wrote nothing else. */
    private static String fails(String... args) {
        String err = stderrOfFailed(args);
        assertThat(err).as("one line").doesNotContain("\n");
        return err;
    }

    /** The first line of a value picocli itself refused (it prints the usage after it, as for every verb). */
    private static String refusedByPicocli(String... args) {
        return stderrOfFailed(args).lines().findFirst().orElseThrow();
    }

    private static String stderrOfFailed(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SedgeCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(exit).as("exit code; stderr: %s", err).isNotZero();
        assertThat(out.toString()).isEmpty();
        return err.toString().strip();
    }

    private String[] replay(String... more) {
        List<String> args = new ArrayList<>(List.of("replay", "--trace", trace.toString(), "--mode", "serverless"));
        args.addAll(List.of(more));
        if (!args.contains("--speedup")) {
            args.addAll(List.of("--speedup", "100"));
        }
        return args.toArray(String[]::new);
    }

    @Test
    void aSpeedupThatIsNotMoreThanZeroOrTooLargeIsRefused() {
        assertThat(fails(replay("--speedup", "0")))
                .isEqualTo("error: --speedup: 0 is out of range (more than 0, at most 1000000)");
        assertThat(fails(replay("--speedup", "-2.5"))).startsWith("error: --speedup: -2.5 is out of range");
        assertThat(fails(replay("--speedup", "1e9"))).startsWith("error: --speedup: 1000000000 is out of range");
        assertThat(refusedByPicocli(replay("--speedup", "fast")))
                .isEqualTo("Invalid value for option '--speedup': 'fast' is not a double");
    }

    @Test
    void badAddressesRuntimeAndMemoryAreRefusedNamingTheirOption() {
        assertThat(fails(replay("--mqtt", "localhost")))
                .isEqualTo("error: --mqtt: \"localhost\" is not HOST:PORT (such as 127.0.0.1:1883)");
        assertThat(fails(replay("--mqtt", "127.0.0.1:70000")))
                .isEqualTo("error: --mqtt: port 70000 is out of range (1..65535)");
        assertThat(fails(replay("--api", "ftp://node")))
                .startsWith("error: --api: \"ftp://node\" is not an http(s) URL");
        assertThat(fails(replay("--runtime", "python")))
                .isEqualTo("error: --runtime: unknown \"python\" (use wasm or jvm)");
        assertThat(fails(replay("--memory-mib", "0"))).isEqualTo("error: --memory-mib: 0 is out of range (1..65536)");
        assertThat(refusedByPicocli(replay("--mode", "sometimes")))
                .startsWith("Invalid value for option '--mode': expected one of [serverless, serverful, both]");
    }

    @Test
    void aTraceThatCannotBeReadIsRefusedWithItsLine() throws Exception {
        Files.writeString(trace, "epoch_ms,device_id,event,extra\n1000,a,x,-\nsoon,b,y,-\n");
        assertThat(fails(replay()))
                .isEqualTo("error: --trace " + trace + ": line 3: epoch_ms \"soon\" is not a number");
        assertThat(fails(replay("--key", "room"))).startsWith("error: --key room: not a key column");
        Path missing = dir.resolve("missing.csv");
        assertThat(fails("replay", "--trace", missing.toString(), "--speedup", "10", "--mode", "serverful"))
                .isEqualTo("error: --trace " + missing + ": no such file");
    }

    @Test
    void aNodeThatDoesNotAnswerIsRefusedNamingTheApi() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThat(fails(replay("--api", "http://127.0.0.1:" + closed)))
                .isEqualTo("error: --api: cannot reach the node at http://127.0.0.1:" + closed
                        + ": connection refused (is `sedge up` running there?)");
    }
}
