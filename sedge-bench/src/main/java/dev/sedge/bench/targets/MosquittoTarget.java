package dev.sedge.bench.targets;

import dev.sedge.bench.proc.ChildProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The broker-only baseline: Mosquitto (the Debian package) on a free loopback port with a generated
 * configuration (see {@link #config}), and one subscriber connection at QoS 1 on the benchmark's topics,
 * counting what it receives. No function runs: this is the limit of routing the same load through a
 * broker.
 *
 * <p>Immutable; each {@link #start} launches a new broker.
 *
 * @param binary the mosquitto executable; if it is missing, {@link #start} says so with {@link Unavailable}
 */
public record MosquittoTarget(Path binary) implements Target {

    public static final String NAME = "mosquitto";
    /** Where the Debian package installs the broker. */
    public static final Path DEBIAN_BINARY = Path.of("/usr/sbin/mosquitto");

    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern RUNNING = Pattern.compile("mosquitto version \\S+ running");
    private static final Pattern PORT_IN_USE = Pattern.compile("Address already in use");
    /** Another process may take a port between probing it and mosquitto binding it; then try another. */
    private static final int PORT_ATTEMPTS = 3;

    /** The Debian package's broker, or the first {@code mosquitto} on the PATH. */
    public static MosquittoTarget installed() {
        if (Files.isExecutable(DEBIAN_BINARY)) {
            return new MosquittoTarget(DEBIAN_BINARY);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "mosquitto");
            if (Files.isExecutable(p)) {
                return new MosquittoTarget(p);
            }
        }
        return new MosquittoTarget(DEBIAN_BINARY);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@inheritDoc}
     *
     * <p>With a null {@code filter}, no counting subscriber is attached (the caller brings its own), and
     * {@link Running#completed()} stays 0.
     */
    @Override
    public Running start(Path workDir, String filter) throws Unavailable, IOException, InterruptedException {
        Broker broker = startBroker(workDir, false);
        return BrokerWithSubscriber.attach(NAME, broker.process(), HOST, broker.port(), filter, false);
    }

    /**
     * Starts this broker as the baseline runs it ({@link #config} with no in-flight limit), with no
     * subscriber; the caller closes the process. What a target that puts Mosquitto in front of
     * something else shares with the baseline.
     *
     * @param tcpNoDelay whether to turn Nagle's algorithm off on client connections ({@code
     *     set_tcp_nodelay true}); the baseline leaves Mosquitto's default, on
     * @throws Unavailable if the executable is missing
     */
    public Broker startBroker(Path workDir, boolean tcpNoDelay) throws Unavailable, IOException, InterruptedException {
        if (!Files.isExecutable(binary)) {
            throw new Unavailable(
                    "mosquitto is not installed (no executable " + binary + "; install the Debian package mosquitto)");
        }
        return startBroker(binary, workDir, 0, tcpNoDelay);
    }

    /** A broker process and the loopback port it listens on. */
    public record Broker(ChildProcess process, int port) {}

    /**
     * Starts the broker on a free loopback port with {@link #config}; the caller closes the process.
     *
     * @param maxInflight QoS 1 messages in flight towards each subscriber, 0 for no limit
     */
    public static Broker startBroker(Path binary, Path workDir, int maxInflight)
            throws IOException, InterruptedException {
        return startBroker(binary, workDir, maxInflight, false);
    }

    private static Broker startBroker(Path binary, Path workDir, int maxInflight, boolean tcpNoDelay)
            throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int port = freePort();
            Path config = workDir.resolve("mosquitto.conf");
            Files.writeString(config, config(port, maxInflight, tcpNoDelay));
            ChildProcess broker =
                    ChildProcess.start("mosquitto", List.of(binary.toString(), "-c", config.toString()), workDir);
            try {
                broker.awaitLine(RUNNING, START_TIMEOUT);
                return new Broker(broker, port);
            } catch (IOException e) {
                broker.close();
                if (!PORT_IN_USE.matcher(e.getMessage()).find()) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /**
     * The configuration: one loopback listener, anonymous clients, nothing persisted, and no per-client
     * limit on QoS 1 messages in flight or queued towards the subscriber. With the defaults (20 in
     * flight, 1,000 queued) Mosquitto acknowledges every publisher at once but silently drops what
     * exceeds the subscriber's queue: under this load more than half of the messages. That would
     * measure those defaults, not the broker's routing limit that this baseline stands for.
     */
    static String config(int port) {
        return config(port, 0);
    }

    static String config(int port, int maxInflight) {
        return config(port, maxInflight, false);
    }

    /** With {@code tcpNoDelay}, also {@code set_tcp_nodelay true}; without, Mosquitto's default (off). */
    static String config(int port, int maxInflight, boolean tcpNoDelay) {
        return String.join(
                "\n",
                "# Generated by sedge bench for one run.",
                "listener " + port + " " + HOST,
                "allow_anonymous true",
                tcpNoDelay ? "set_tcp_nodelay true" : "# set_tcp_nodelay: the default, false",
                "persistence false",
                "max_inflight_messages " + maxInflight,
                "max_queued_messages 0",
                "log_dest stderr",
                "log_type error",
                "log_type warning",
                "log_type notice",
                "log_type information", // has the "running" line that says the listener is bound
                "");
    }

    /** A port of 127.0.0.1 that was free a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }
}
