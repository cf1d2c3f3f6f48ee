package dev.sedge.node.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The real mosquitto_pub and mosquitto_sub clients, from the Debian package mosquitto-clients. */
final class Mosquitto {

    private Mosquitto() {}

    static Path tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Skips the calling test, visibly, when the clients are not installed. */
    static void assumeInstalled() {
        assumeTrue(
                tool("mosquitto_pub") != null && tool("mosquitto_sub") != null,
                "mosquitto_pub/mosquitto_sub not found on PATH: install the Debian package mosquitto-clients");
    }

    /** Publishes one message and waits for mosquitto_pub to finish (it waits for the PUBACK at QoS 1). */
    static void publish(int port, String topic, String payload, int qos, String... extra)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                tool("mosquitto_pub").toString(),
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(port),
                "-t",
                topic,
                "-q",
                String.valueOf(qos),
                "-m",
                payload));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mosquitto_pub did not finish in 20 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError("mosquitto_pub exited " + p.exitValue() + ": " + out);
        }
    }

    /** A running mosquitto_sub, printing "topic payload" lines. */
    static final class Sub implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        /** Starts mosquitto_sub and returns once its SUBACK has arrived, so nothing published after is missed. */
        Sub(int port, String filter, String... extra) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            if (tool("stdbuf") != null) {
                // mosquitto_sub buffers a pipe's output; line buffering lets the test see SUBACK at once.
                cmd.addAll(List.of(tool("stdbuf").toString(), "-oL"));
            }
            cmd.addAll(List.of(
                    tool("mosquitto_sub").toString(),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    String.valueOf(port),
                    "-t",
                    filter,
                    "-q",
                    "1",
                    "-v",
                    "-d"));
            cmd.addAll(List.of(extra));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("<read failed: " + e + ">");
                }
            });
            // -d prints the protocol exchange; wait for the subscription to be acknowledged.
            while (true) {
                String line = lines.poll(20, TimeUnit.SECONDS);
                if (line == null) {
                    close();
                    throw new AssertionError("mosquitto_sub got no SUBACK within 20 s");
                }
                if (line.contains("received SUBACK")) {
                    return;
                }
            }
        }

        /** The next message line ("topic payload"), skipping -d protocol lines, or null after the timeout. */
        String next(long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    return null;
                }
                if (!line.startsWith("Client ") && !line.startsWith("Subscribed")) {
                    return line;
                }
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
