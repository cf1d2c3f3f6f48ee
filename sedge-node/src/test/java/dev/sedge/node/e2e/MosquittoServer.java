package dev.sedge.node.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto 2 broker (Debian package mosquitto), started by the test on a free loopback port
 * with a generated configuration file: the external broker that Sedge nodes bridge to.
 */
final class MosquittoServer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    /** The first listener's port. */
    final int port;
    /** A plain listener's port: {@link #port} unless the first listener was given more lines. */
    final int plainPort;

    private final Path conf;
    private final Path log;
    private Process process;

    /** Skips the calling test, visibly, when the broker is not installed. */
    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(BINARY), BINARY + " not found: install the Debian package mosquitto");
    }

    /** Starts a plain listener: {@code listener PORT 127.0.0.1}, anonymous clients allowed. */
    static MosquittoServer start(Path dir) throws IOException {
        return start(dir, List.of());
    }

    /**
     * Starts with more configuration lines for the listener on {@link #port}, such as {@code certfile} and
     * {@code keyfile}, and a second, plain listener on {@link #plainPort} for the test's own clients.
     */
    static MosquittoServer start(Path dir, List<String> listenerLines) throws IOException {
        Files.createDirectories(dir);
        int port = freePort();
        int plainPort = listenerLines.isEmpty() ? port : freePort();
        List<String> conf = new ArrayList<>();
        // Run as root, mosquitto drops to the user "mosquitto", who cannot read the test's private files.
        conf.add("user " + System.getProperty("user.name"));
        conf.add("allow_anonymous true");
        conf.add("persistence false");
        conf.add("listener " + port + " 127.0.0.1");
        conf.addAll(listenerLines);
        if (plainPort != port) {
            conf.add("listener " + plainPort + " 127.0.0.1");
        }
        Path file = dir.resolve("mosquitto.conf");
        Files.write(file, conf, StandardCharsets.UTF_8);
        return new MosquittoServer(port, plainPort, file, dir.resolve("mosquitto.log"));
    }

    private MosquittoServer(int port, int plainPort, Path conf, Path log) throws IOException {
        this.port = port;
        this.plainPort = plainPort;
        this.conf = conf;
        this.log = log;
        run();
    }

    /** Starts mosquitto (again) with the same configuration, on the same ports. */
    void run() throws IOException {
        process = new ProcessBuilder(BINARY.toString(), "-c", conf.toString(), "-v")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !process.isAlive() || (accepts(port) && accepts(plainPort)));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("mosquitto exited at start: " + log());
        }
    }

    /** What mosquitto logged, to explain a failure. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<no log: " + e + ">";
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops mosquitto; with {@code persistence false} it forgets every session. */
    void stop() {
        close();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !accepts(port));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
