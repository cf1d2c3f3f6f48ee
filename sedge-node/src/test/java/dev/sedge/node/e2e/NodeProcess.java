package dev.sedge.node.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** `sedge up` as a real process on fixed loopback ports, so that it can be killed and started again. */
final class NodeProcess {

    static final Path JAR = Path.of("target", "sedge.jar").toAbsolutePath();

    final Path dataDir;
    final int mqttPort;
    final int httpPort;
    final List<String> output = new CopyOnWriteArrayList<>();
    private final List<String> extraArgs;
    private Process process;

    NodeProcess(Path dataDir, String... extraArgs) throws IOException {
        this.dataDir = dataDir;
        this.mqttPort = freePort();
        this.httpPort = freePort();
        this.extraArgs = List.of(extraArgs);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts the node and returns once it logged "node up". */
    NodeProcess start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-jar",
                JAR.toString(),
                "up",
                "--data-dir",
                dataDir.toString(),
                "--mqtt-port",
                String.valueOf(mqttPort),
                "--http-port",
                String.valueOf(httpPort)));
        cmd.addAll(extraArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Void> up = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    if (line.contains("node up")) {
                        up.complete(null);
                    }
                }
            } catch (IOException e) {
                up.completeExceptionally(e);
            }
            up.completeExceptionally(new IllegalStateException("node exited before it was up"));
        });
        try {
            up.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new AssertionError("node did not start: " + output, e);
        }
        process = p;
        return this;
    }

    /** SIGKILL: no shutdown hook runs and nothing more is written. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    String mqttUrl() {
        return "tcp://127.0.0.1:" + mqttPort;
    }

    String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }
}
