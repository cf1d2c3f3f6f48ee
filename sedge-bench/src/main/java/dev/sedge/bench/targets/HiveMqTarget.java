package dev.sedge.bench.targets;

import dev.sedge.bench.proc.ChildProcess;
import dev.sedge.bench.proc.JavaCommand;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The multi-threaded Java broker: HiveMQ Community Edition 2025.5, embedded in a JVM of its own by the
 * project's {@code sedge-peer-hivemq} runner (which generates its configuration: one listener on a free
 * loopback port, in-memory persistence, no usage statistics, and no practical limit on queued messages,
 * as the Mosquitto baseline has none), with the same counting subscriber as {@link MosquittoTarget}.
 * No function runs: the broker-only route, on the JVM.
 *
 * <p>The runner's JVM gets the launcher's flags ({@link JavaCommand#LAUNCHER_FLAGS}) and no heap option:
 * the JVM's defaults, as the Sedge node's JVM has them.
 *
 * <p>Immutable; each {@link #start} launches a new broker.
 *
 * @param runnerJar the runner's jar, with its libraries in {@code lib/} beside it; if it is missing,
 *     {@link #start} says so with {@link Unavailable}
 */
public record HiveMqTarget(Path runnerJar) implements Target {

    public static final String NAME = "hivemq-ce";
    /** Where the build puts the runner, from the project's root. */
    public static final Path RUNNER_JAR = Path.of("sedge-peer-hivemq", "target", "sedge-peer-hivemq.jar");

    static final String RUNNER_MAIN = "dev.sedge.peer.hivemq.HiveMqRunner";

    private static final String HOST = "127.0.0.1";
    /**
     * HiveMQ acknowledges a publisher on receipt and delivers on other threads, at most 50 messages in
     * flight towards the subscriber: under saturation its PUBACKs ran at twice its delivery rate and the
     * difference piled up in its queue, to be delivered after the window (or counted lost if the drain
     * took longer than its bound). So the generator's loop is also closed on the subscriber's count, as
     * for a path whose PUBACK does not mean completion. Single-threaded Mosquitto reads and delivers in
     * turn and does not run ahead, so the baseline is left as it was measured.
     */
    private static final boolean GATE_ON_DELIVERY = true;

    private static final Pattern READY = Pattern.compile("hivemq-ce listening on ");
    private static final Pattern PORT_IN_USE = Pattern.compile("Could not bind|Address already in use");
    /** HiveMQ starts in about 2 s on an idle machine; a loaded one may take much longer. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Another process may take the port between probing it and HiveMQ binding it; then try another. */
    private static final int PORT_ATTEMPTS = 3;
    /** From the bench's classes (a folder or a jar) up to the project's root. */
    private static final int LEVELS_TO_SEARCH = 5;

    /**
     * The runner as the project's build leaves it: {@link #RUNNER_JAR} under the first folder above this
     * class's own location that has one (the project's root, from {@code sedge-bench/target/classes} as
     * from {@code sedge-dist/target/lib/}), else under the working folder, where {@link #start} reports
     * it missing.
     */
    public static HiveMqTarget built() {
        Path here;
        try {
            here = Path.of(HiveMqTarget.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            return new HiveMqTarget(RUNNER_JAR.toAbsolutePath());
        }
        Path dir = here;
        for (int level = 0; level < LEVELS_TO_SEARCH && dir != null; level++, dir = dir.getParent()) {
            Path candidate = dir.resolve(RUNNER_JAR);
            if (Files.isRegularFile(candidate)) {
                return new HiveMqTarget(candidate);
            }
        }
        return new HiveMqTarget(RUNNER_JAR.toAbsolutePath());
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
        String classPath = classPath();
        IOException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int port = MosquittoTarget.freePort();
            List<String> args = List.of("--port", Integer.toString(port), "--work-dir", workDir.toString());
            ChildProcess broker =
                    ChildProcess.start(NAME, JavaCommand.of(List.of(), classPath, RUNNER_MAIN, args), workDir);
            try {
                broker.awaitLine(READY, START_TIMEOUT);
            } catch (IOException e) {
                broker.close();
                if (!PORT_IN_USE.matcher(e.getMessage()).find()) {
                    throw e;
                }
                last = e;
                continue;
            }
            return BrokerWithSubscriber.attach(NAME, broker, HOST, port, filter, GATE_ON_DELIVERY);
        }
        throw last;
    }

    /** The runner's jar and every jar of its {@code lib/}. */
    private String classPath() throws Unavailable, IOException {
        if (!Files.isRegularFile(runnerJar)) {
            throw new Unavailable("the HiveMQ CE runner is not built (no " + runnerJar
                    + "; build it with ./mvnw package, which fetches HiveMQ's libraries once)");
        }
        Path lib = runnerJar.resolveSibling("lib");
        List<String> entries = new ArrayList<>();
        entries.add(runnerJar.toString());
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                jars.filter(p -> p.getFileName().toString().endsWith(".jar"))
                        .sorted()
                        .forEach(p -> entries.add(p.toString()));
            }
        }
        if (entries.size() == 1) {
            throw new Unavailable("the HiveMQ CE runner's libraries are missing (no jars in " + lib
                    + "; build it with ./mvnw package)");
        }
        return String.join(File.pathSeparator, entries);
    }
}
