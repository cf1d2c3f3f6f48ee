package dev.sedge.bench.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.node.cli.SedgeCli;
import dev.sedge.scaling.sim.Trace;
import dev.sedge.scaling.sim.TraceReader;
import dev.sedge.scaling.sim.workload.Profile;
import dev.sedge.scaling.sim.workload.SyntheticTrace;
import dev.sedge.scaling.sim.workload.TraceSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code sedge trace generate}: the trace the options ask for, byte for byte, and one line per bad option. */
@Timeout(30)
class TraceGenerateCommandTest {

    record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SedgeCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private static Run generate(String... options) {
        String[] args = new String[options.length + 2];
        args[0] = "trace";
        args[1] = "generate";
        System.arraycopy(options, 0, args, 2, options.length);
        return run(args);
    }

    @Test
    void theTraceGoesToStdoutAsTheGeneratorWritesIt() throws IOException {
        Run r = generate("--devices", "20", "--hours", "6", "--profile", "mixed", "--seed", "4", "--start", "0");

        StringBuilder expected = new StringBuilder();
        long events = SyntheticTrace.write(TraceSpec.ofHours(20, 6, Profile.MIXED, 4, 0), expected);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(expected.toString());
        assertThat(r.err()).isEqualTo("generated " + events + " events of 20 mixed devices over 6 h, seed 4\n");
        Trace trace = TraceReader.read("generated", new StringReader(r.out()), TraceReader.KEY_DEFAULT);
        assertThat(trace.events()).isEqualTo(events);
        assertThat(trace.times()[0]).isGreaterThanOrEqualTo(0).isLessThan(6 * 3_600_000);
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() {
        for (String profile : new String[] {"periodic", "bursty", "mixed"}) {
            String[] options = {"--devices", "30", "--hours", "72", "--profile", profile, "--seed", "9"};
            Run first = generate(options);
            Run again = generate(options);
            options[7] = "10";
            Run other = generate(options);

            assertThat(first.out()).as(profile).isEqualTo(again.out()).isNotEqualTo(other.out());
            assertThat(first.out().lines().count()).as(profile).isGreaterThan(10);
        }
    }

    @Test
    void theDefaultsAreAMixedDayOfNinetyThreeDevices() throws IOException {
        Run r = generate();

        StringBuilder expected = new StringBuilder();
        SyntheticTrace.write(TraceSpec.ofHours(93, 24, Profile.MIXED, 1, TraceSpec.START_DEFAULT), expected);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(expected.toString());
    }

    @Test
    void oWritesTheTraceToAFileInstead(@TempDir Path dir) {
        Path file = dir.resolve("trace.csv");

        Run toFile = generate("--devices", "12", "--hours", "2", "--seed", "3", "-o", file.toString());
        Run toStdout = generate("--devices", "12", "--hours", "2", "--seed", "3");

        assertThat(toFile.exit()).isZero();
        assertThat(toFile.out()).isEmpty();
        assertThat(toFile.err()).endsWith(", in " + file + "\n");
        assertThat(file).content(StandardCharsets.UTF_8).isEqualTo(toStdout.out());
    }

    @Test
    void aFileThatCannotBeWrittenIsOneError(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("no-such-folder").resolve("trace.csv");

        Run r = generate("-o", missing.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .startsWith("error: -o " + missing + ": cannot write it: ")
                .hasLineCount(1);
        assertThat(Files.exists(missing)).isFalse();
    }

    @Test
    void eachBadValueIsOneLineNamingItsOption() {
        String[][] cases = {
            {"--devices", "0", "error: --devices 0: must be a whole number, at least 1"},
            {"--devices", "-3", "error: --devices -3: must be a whole number, at least 1"},
            {"--devices", "many", "error: --devices many: must be a whole number, at least 1"},
            {"--hours", "0", "error: --hours 0: must be a number more than 0 and at most 878400"},
            {"--hours", "-1", "error: --hours -1: must be a number more than 0 and at most 878400"},
            {"--hours", "NaN", "error: --hours NaN: must be a number more than 0 and at most 878400"},
            {"--hours", "a day", "error: --hours a day: must be a number more than 0 and at most 878400"},
            {"--profile", "spiky", "error: --profile spiky: unknown profile (use periodic, bursty or mixed)"},
            {"--profile", "Mixed", "error: --profile Mixed: unknown profile (use periodic, bursty or mixed)"},
            {"--seed", "1.5", "error: --seed 1.5: must be a whole number"},
            {"--start", "-1", "error: --start -1: must be an epoch time in ms, 0 or more"},
        };
        for (String[] c : cases) {
            Run r = generate(c[0], c[1]);

            assertThat(r.exit()).as(c[0] + " " + c[1]).isEqualTo(1);
            assertThat(r.err()).as(c[0] + " " + c[1]).isEqualTo(c[2] + "\n");
            assertThat(r.out()).as(c[0] + " " + c[1]).isEmpty();
        }
    }

    @Test
    void traceAloneListsItsVerbs() {
        Run r = run("trace");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("generate");
    }
}
