package dev.sedge.bench.targets;

import dev.sedge.bench.proc.ChildProcess;
import dev.sedge.bench.proc.JavaCommand;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Sedge node in a process of its own, so that its CPU time and memory are its own: {@code sedge up}
 * from this class path on free loopback ports, with its data in a folder of the caller's, and the
 * {@link NodeApi} to set it up. Functions are deployed by the caller.
 *
 * <p>Thread-safe: its fields are fixed at start and the API is thread-safe. Lifecycle: {@link #start},
 * use, {@link #close()}, which stops the process.
 */
public final class SedgeNode implements AutoCloseable {

    /** The node's largest allowed per-session queue of QoS 1 messages, for a run with a reply subscriber. */
    public static final int MAX_QUEUED_MESSAGES = 10_000_000;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern STARTUP_LINE =
            Pattern.compile("(MQTT|HTTP API) listening on ([0-9.]+):(\\d+)|node up");

    private final ChildProcess process;
    private final NodeApi api;
    private final String host;
    private final int mqttPort;

    private SedgeNode(ChildProcess process, NodeApi api, String host, int mqttPort) {
        this.process = process;
        this.api = api;
        this.host = host;
        this.mqttPort = mqttPort;
    }

    /**
     * Starts a node and returns once both its listeners are bound.
     *
     * @param workDir the node's working folder; its data goes to {@code node-data} in it
     * @param jvmArgs extra options for the node's JVM (heap, a flight recording)
     * @param upArgs extra options of {@code sedge up}, such as {@code --config FILE}
     */
    public static SedgeNode start(Path workDir, List<String> jvmArgs, List<String> upArgs)
            throws IOException, InterruptedException {
        ChildProcess node =
                ChildProcess.start("sedge node", command(workDir.resolve("node-data"), jvmArgs, upArgs), workDir);
        try {
            String host = null;
            int mqtt = 0;
            int http = 0;
            while (true) {
                Matcher m = node.awaitLine(STARTUP_LINE, START_TIMEOUT);
                if (m.group(1) == null) {
                    break; // "node up": both listeners are bound
                }
                host = m.group(2);
                if (m.group(1).equals("MQTT")) {
                    mqtt = Integer.parseInt(m.group(3));
                } else {
                    http = Integer.parseInt(m.group(3));
                }
            }
            if (mqtt == 0 || http == 0) {
                throw new IOException("the node did not say where it listens; last output:\n" + node.tailText());
            }
            return new SedgeNode(node, new NodeApi(URI.create("http://" + host + ":" + http)), host, mqtt);
        } catch (IOException | InterruptedException | RuntimeException e) {
            node.close();
            throw e;
        }
    }

    private static List<String> command(Path dataDir, List<String> jvmArgs, List<String> upArgs) {
        List<String> args = new ArrayList<>(List.of(
                "up", "--data-dir", dataDir.toString(), "--mqtt-port", "0", "--http-port", "0", "--bind", "127.0.0.1"));
        args.addAll(upArgs);
        // Netty's native transport and its direct buffers, as the node's own launcher allows them.
        return JavaCommand.of(jvmArgs, JavaCommand.thisClassPath(), "dev.sedge.node.cli.SedgeCli", args);
    }

    public NodeApi api() {
        return api;
    }

    /** The node's process, whose CPU time and memory are the node's cost. */
    public long pid() {
        return process.pid();
    }

    /** Where its MQTT listener is. */
    public String host() {
        return host;
    }

    public int mqttPort() {
        return mqttPort;
    }

    /** Fails with the node's last output if it has exited. */
    public void checkAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IOException("the node has exited; last output:\n" + process.tailText());
        }
    }

    /** Stops the node. Idempotent; never throws. */
    @Override
    public void close() {
        api.close();
        process.close();
    }
}
