package dev.sedge.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The jar that ./sedge runs, as a real process: the node's verbs and sedge bench, from target/lib. */
@Timeout(120)
class DistJarIT {

    private static final Path JAR = Path.of("target", "sedge.jar").toAbsolutePath();

    private record Run(int exit, String out, String err) {}

    private static Run sedge(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-jar");
        cmd.add(JAR.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertThat(p.waitFor(100, TimeUnit.SECONDS))
                .as("sedge %s finished", List.of(args))
                .isTrue();
        return new Run(p.exitValue(), out, err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<read failed: " + e + ">";
        }
    }

    @Test
    void listsTheNodeVerbsAndBench() throws Exception {
        assertThat(JAR).exists();
        Run r = sedge("--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("  up ", "  deploy ", "  bench ");
    }

    @Test
    void runsABenchmarkWhoseNodeStartsFromTheJarsLibraries() throws Exception {
        Run r = sedge(
                "bench", "mqtt-throughput", "--target", "sedge", "--duration", "500ms", "--warmup", "0s", "-o", "json");

        assertThat(r.exit()).as("stderr:%n%s", r.err()).isZero();
        assertThat(r.out()).contains("\"scenario\" : \"mqtt-throughput\"", "\"target\" : \"sedge\"", "\"lost\" : 0");
    }
}
