package dev.sedge.broker.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code mosquitto_pub} and {@code mosquitto_sub} from the Debian package mosquitto-clients,
 * run against a broker on 127.0.0.1 with {@code -d}, so that tests can wait for protocol events
 * ("received SUBACK") instead of sleeping, and check the packets a flow used (PUBREC, PUBREL, PUBCOMP).
 */
final class MosquittoClients {

    /** Prefix of the lines mosquitto_sub prints per message; everything else is its -d protocol log. */
    private static final String MESSAGE = "MSG|";

    /** Topic, QoS, retain, response topic, user properties, content type, payload (-F format). */
    private static final String FORMAT = MESSAGE + "%t|%q|%r|%R|%P|%C|%p";

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private MosquittoClients() {}

    /** Skips the calling test, visibly, when the clients are not installed. */
    static void assumeInstalled() {
        assumeTrue(
                tool("mosquitto_pub") != null && tool("mosquitto_sub") != null,
                "mosquitto_pub/mosquitto_sub not found on PATH: install the Debian package mosquitto-clients");
    }

    static Path tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** What mosquitto_pub printed (with -d, its protocol log) and how it exited. */
    record Published(int exitCode, List<String> lines) {
        boolean logged(String text) {
            return lines.stream().anyMatch(l -> l.contains(text));
        }
    }

    /** Runs mosquitto_pub to completion (it waits for the acknowledgement of QoS 1 and 2). */
    static Published pub(int port, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(
                List.of(tool("mosquitto_pub").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-d"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mosquitto_pub did not finish in " + TIMEOUT.toSeconds() + " s: " + cmd);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Published(p.exitValue(), out.lines().toList());
    }

    /** Like {@link #pub} but fails unless mosquitto_pub exits 0. */
    static Published pubOk(int port, String... args) throws IOException, InterruptedException {
        Published p = pub(port, args);
        if (p.exitCode() != 0) {
            throw new AssertionError("mosquitto_pub exited " + p.exitCode() + ":\n" + String.join("\n", p.lines()));
        }
        return p;
    }

    /** One message as mosquitto_sub printed it. */
    record Received(
            String topic,
            int qos,
            boolean retained,
            String responseTopic,
            String userProperties,
            String contentType,
            String payload) {}

    /** A running mosquitto_sub. Its output is read by a thread of its own; the methods are for one caller. */
    static final class Sub implements AutoCloseable {
        private final Process process;
        private final Thread reader;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> transcript = Collections.synchronizedList(new ArrayList<>());
        private final Deque<String> messagesSeenEarly = new ArrayDeque<>();

        private Sub(List<String> cmd) throws IOException {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            reader = Thread.ofVirtual().name("mosquitto_sub-reader").start(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        transcript.add(line);
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("<read failed: " + e + ">");
                }
            });
        }

        /**
         * Starts mosquitto_sub and returns once the broker acknowledged its subscriptions, so that
         * nothing published afterwards is missed. Messages that arrive before (queued for a persistent
         * session, retained ones) are kept for {@link #next}.
         */
        static Sub start(int port, String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            if (tool("stdbuf") != null) {
                // mosquitto_sub buffers its output on a pipe; line buffering shows SUBACK when it happens.
                cmd.addAll(List.of(tool("stdbuf").toString(), "-oL"));
            }
            cmd.addAll(List.of(
                    tool("mosquitto_sub").toString(),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    String.valueOf(port),
                    "-d",
                    "-F",
                    FORMAT));
            cmd.addAll(List.of(args));
            Sub sub = new Sub(cmd);
            sub.awaitLog("received SUBACK");
            return sub;
        }

        /** Waits until the -d log has a line containing {@code text}; messages read meanwhile are kept. */
        void awaitLog(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("mosquitto_sub logged no \"" + text + "\" in " + TIMEOUT.toSeconds()
                            + " s; it printed:\n" + String.join("\n", transcript));
                }
                if (line.startsWith(MESSAGE)) {
                    messagesSeenEarly.add(line);
                } else if (line.contains(text)) {
                    return;
                }
            }
        }

        /** The next message, waiting up to 20 s. */
        Received next() throws InterruptedException {
            String line = messagesSeenEarly.poll();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (line == null) {
                String l = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (l == null) {
                    throw new AssertionError("mosquitto_sub printed no message in " + TIMEOUT.toSeconds()
                            + " s; it printed:\n" + String.join("\n", transcript));
                }
                if (l.startsWith(MESSAGE)) {
                    line = l;
                }
            }
            String[] f = line.substring(MESSAGE.length()).split("\\|", 7);
            return new Received(f[0], Integer.parseInt(f[1]), f[2].equals("1"), f[3], f[4], f[5], f[6]);
        }

        /** Everything it printed so far, for assertions about its protocol log. */
        List<String> transcript() {
            synchronized (transcript) {
                return List.copyOf(transcript);
            }
        }

        /** SIGKILL: the client dies without a DISCONNECT, as a device losing power would. */
        void kill() throws InterruptedException {
            process.toHandle().destroyForcibly();
            process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            reader.join(TIMEOUT);
        }

        /**
         * Waits for mosquitto_sub to exit by itself, as it does with {@code -C N} after N messages, sending
         * DISCONNECT first; then its whole output is in the transcript. (SIGTERM makes it disconnect too,
         * but it calls the library from its signal handler and now and then hangs there.)
         */
        void awaitExit() throws InterruptedException {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("mosquitto_sub did not exit in " + TIMEOUT.toSeconds() + " s; it printed:\n"
                        + String.join("\n", transcript));
            }
            reader.join(TIMEOUT);
        }

        @Override
        public void close() {
            process.toHandle().destroyForcibly();
        }
    }
}
