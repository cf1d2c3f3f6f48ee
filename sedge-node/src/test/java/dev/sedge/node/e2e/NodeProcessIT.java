package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** `sedge up` as a real process: one log line per listener, and a clean stop on SIGTERM and SIGINT. */
@Timeout(120)
class NodeProcessIT {

    private static final Path JAR = Path.of("target", "sedge.jar").toAbsolutePath();
    private static final Pattern LISTENING = Pattern.compile("(MQTT|HTTP API) listening on 127\\.0\\.0\\.1:(\\d+)");

    private static final String EOF = "<end of output>";

    @TempDir
    Path dataDir;

    private record Started(Process process, BlockingQueue<String> lines, int mqttPort, int httpPort) {}

    private Started start() throws IOException, InterruptedException {
        assertThat(JAR).as("the packaged CLI").exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-jar",
                        JAR.toString(),
                        "up",
                        "--data-dir",
                        dataDir.toString(),
                        "--mqtt-port",
                        "0",
                        "--http-port",
                        "0")
                .redirectErrorStream(true)
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("<read failed: " + e + ">");
            }
            lines.add(EOF);
        });
        int mqtt = 0;
        int http = 0;
        while (true) {
            String line = lines.poll(60, TimeUnit.SECONDS);
            assertThat(line).as("node start-up output").isNotNull();
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                if (m.group(1).equals("MQTT")) {
                    mqtt = Integer.parseInt(m.group(2));
                } else {
                    http = Integer.parseInt(m.group(2));
                }
            }
            if (line.contains("node up")) {
                break;
            }
        }
        assertThat(mqtt).isPositive();
        assertThat(http).isPositive();
        return new Started(p, lines, mqtt, http);
    }

    private static void signal(Process p, String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(p.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private static void awaitStopped(Started s) throws InterruptedException {
        assertThat(s.process().waitFor(30, TimeUnit.SECONDS))
                .as("stopped within 30 s")
                .isTrue();
        List<String> rest = new java.util.ArrayList<>();
        for (String line = s.lines().poll(30, TimeUnit.SECONDS);
                line != null && !line.equals(EOF);
                line = s.lines().poll(30, TimeUnit.SECONDS)) {
            rest.add(line);
        }
        assertThat(rest).anyMatch(l -> l.contains("shutting down"));
        assertThat(rest).anyMatch(l -> l.contains("stopped"));
    }

    @Test
    void stopsCleanlyOnSigterm() throws Exception {
        Started s = start();
        signal(s.process(), "TERM"); // Process.destroy() would also close the output read here
        awaitStopped(s);
        assertThat(s.process().exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
        assertThat(dataDir.resolve("registry.mv.db")).exists();
    }

    @Test
    void stopsCleanlyOnSigint() throws Exception {
        String status = Files.readString(Path.of("/proc/self/status"));
        Matcher ignored = Pattern.compile("SigIgn:\\s*([0-9a-f]+)").matcher(status);
        assumeTrue(ignored.find(), "no /proc/self/status: cannot tell whether SIGINT reaches a child");
        assumeTrue(
                (Long.parseLong(ignored.group(1), 16) & (1L << 1)) == 0,
                "SIGINT is ignored in this test's environment (a background job), so a child cannot receive it");
        Started s = start();
        signal(s.process(), "INT");
        awaitStopped(s);
        assertThat(s.process().exitValue()).isEqualTo(130); // 128 + SIGINT
    }

    @Test
    void aPortInUseIsOneClearLine() throws Exception {
        Started s = start();
        try {
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process second = new ProcessBuilder(
                            java,
                            "-jar",
                            JAR.toString(),
                            "up",
                            "--data-dir",
                            dataDir.resolve("other").toString(),
                            "--mqtt-port",
                            String.valueOf(s.mqttPort()),
                            "--http-port",
                            "0")
                    .redirectErrorStream(true)
                    .start();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(second.exitValue()).isEqualTo(1);
            assertThat(out.lines().filter(l -> l.startsWith("error:")))
                    .containsExactly("error: cannot start: an address is already in use (MQTT port " + s.mqttPort()
                            + ", HTTP port 0); stop the other server or choose --mqtt-port / --http-port");
        } finally {
            s.process().destroy();
            s.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
