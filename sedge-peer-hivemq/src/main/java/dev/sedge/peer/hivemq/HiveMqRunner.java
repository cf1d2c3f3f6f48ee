package dev.sedge.peer.hivemq;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * HiveMQ Community Edition, embedded, as a loopback MQTT broker in a JVM of its own: what {@code sedge
 * bench} starts as its {@code hivemq-ce} target.
 *
 * <pre>
 *   java -cp sedge-peer-hivemq.jar:lib/* dev.sedge.peer.hivemq.HiveMqRunner --port N [--work-dir DIR]
 * </pre>
 *
 * It writes a configuration (see {@link #config}) and a quiet logging configuration into a folder of its
 * own ({@code DIR/hivemq}, else a temporary folder), starts the broker on {@code 127.0.0.1:N}, prints
 * {@link #READY} and the address on stdout, and runs until its stdin ends or it gets SIGTERM; then it
 * stops the broker (about 4 s) and deletes its folder. If the broker does not start (the port is taken)
 * it prints the reason on stderr and exits with status 2, since HiveMQ's own threads would keep the JVM
 * alive. HiveMQ logs warnings and errors to stderr; stdout carries only this runner's lines.
 */
public final class HiveMqRunner {

    /** The start of the line on stdout once the broker listens, followed by {@code 127.0.0.1:PORT}. */
    public static final String READY = "hivemq-ce listening on ";

    static final String HOST = "127.0.0.1";
    /**
     * QoS 1 messages queued per client: as good as no limit, as the Mosquitto baseline has none ({@code
     * max_queued_messages 0}). HiveMQ's default, 1,000 with the strategy {@code discard}, drops what
     * overflows a slow subscriber's queue without telling the publisher, which would measure that default
     * and not the broker.
     */
    static final long MAX_QUEUED_MESSAGES = 10_000_000;
    /**
     * QoS 1 messages an MQTT 5 client may have unacknowledged towards the broker: the protocol's largest,
     * where HiveMQ's default is 10. MQTT 3.1.1 clients (the benchmark's) have no such limit.
     */
    static final int SERVER_RECEIVE_MAXIMUM = 65_535;
    /*
     * Left at HiveMQ's default on purpose: at most 50 QoS 1 messages in flight towards a subscriber (an
     * internal setting, not in config.xml). It drops nothing; beyond it messages wait in the queue above.
     * Raising it (InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES) also makes HiveMQ take that
     * many messages from a queue at once: with 10,000, mqtt-throughput (its loop not yet closed on
     * delivery, so a queue built up) delivered 97k msg/s instead of 28k, but mqtt-latency at 10,000 msg/s had a p99 of 769 ms instead of 43 ms, and with 65,535 it
     * delivered only 16 to 886 of 4,000 messages in mqtt-latency. A user runs the default.
     */

    private static final long START_TIMEOUT_SECONDS = 60;
    /** Below the harness's 10 s grace between SIGTERM and SIGKILL. */
    private static final long STOP_TIMEOUT_SECONDS = 8;

    private static final int EXIT_USAGE = 64;
    private static final int EXIT_START_FAILED = 2;

    private HiveMqRunner() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        int port = 0;
        Path workDir = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = port(value);
                case "--work-dir" -> workDir = value == null ? null : Path.of(value);
                default -> usage("unknown option \"" + args[i] + "\"");
            }
            if (value == null) {
                usage(args[i] + ": a value is missing");
            }
            i++;
        }
        if (port == 0) {
            usage("--port: is required");
        }
        Path root = workDir == null
                ? Files.createTempDirectory("sedge-hivemq-")
                : Files.createDirectories(workDir.resolve("hivemq"));
        Path conf = Files.createDirectories(root.resolve("conf"));
        Path data = Files.createDirectories(root.resolve("data")); // HiveMQ fails to start without it
        Path extensions = Files.createDirectories(root.resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), config(port));
        Path logback = conf.resolve("logback.xml");
        Files.writeString(logback, LOGBACK);
        // Before any logging: otherwise logback reads the HiveMQ jar's logback.xml, INFO to stdout.
        System.setProperty("logback.configurationFile", logback.toString());

        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(hivemq, root), "hivemq-ce-stop"));
        try {
            hivemq.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            System.err.println("hivemq-ce: failed to start on " + HOST + ":" + port + ": " + cause);
            System.exit(EXIT_START_FAILED); // the shutdown hook still stops the broker and deletes the folder
        }
        System.out.println(READY + HOST + ":" + port);
        System.out.flush();
        while (System.in.read() != -1) {
            // The parent holds stdin open while it wants the broker; EOF (or its death) stops it.
        }
        System.exit(0);
    }

    private static int port(String value) {
        if (value == null) {
            return 0;
        }
        try {
            int p = Integer.parseInt(value);
            if (p >= 1 && p <= 65_535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage("--port: \"" + value + "\" is not a port (1..65535)");
        return 0;
    }

    private static void usage(String problem) {
        System.err.println("hivemq-ce: " + problem + " (usage: HiveMqRunner --port N [--work-dir DIR])");
        System.exit(EXIT_USAGE);
    }

    private static void stop(EmbeddedHiveMQ hivemq, Path root) {
        long t0 = System.nanoTime();
        try {
            hivemq.stop().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            hivemq.close();
        } catch (Exception e) {
            System.err.println("hivemq-ce: stopping failed: " + e);
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("hivemq-ce: cannot delete " + root + ": " + e.getMessage());
        }
        System.out.println("hivemq-ce stopped in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        System.out.flush();
    }

    /**
     * The broker's configuration: one TCP listener on {@code 127.0.0.1:port}, in-memory persistence (as
     * Mosquitto's {@code persistence false}), no anonymous usage statistics sent, and the queue and
     * receive limits above. Anonymous clients are allowed: the embedded broker allows them by itself.
     * Element names as in the {@code config.xsd} of HiveMQ CE 2025.5, which ignores unknown ones silently.
     */
    static String config(int port) {
        return """
                <?xml version="1.0"?>
                <!-- Generated by sedge bench for one run. -->
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                    </tcp-listener>
                  </listeners>
                  <mqtt>
                    <queued-messages>
                      <max-queue-size>%d</max-queue-size>
                      <strategy>discard</strategy>
                    </queued-messages>
                    <receive-maximum>
                      <server-receive-maximum>%d</server-receive-maximum>
                    </receive-maximum>
                  </mqtt>
                  <persistence>
                    <mode>in-memory</mode>
                  </persistence>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, HOST, MAX_QUEUED_MESSAGES, SERVER_RECEIVE_MAXIMUM);
    }

    /** Warnings and errors to stderr; {@code -Dhivemq.log.level=DEBUG} for more. */
    private static final String LOGBACK = """
            <configuration>
              <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
                <target>System.err</target>
                <encoder>
                  <pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n%ex</pattern>
                </encoder>
              </appender>
              <root level="${hivemq.log.level:-WARN}">
                <appender-ref ref="STDERR"/>
              </root>
            </configuration>
            """;
}
