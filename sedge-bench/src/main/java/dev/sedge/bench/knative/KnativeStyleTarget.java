package dev.sedge.bench.knative;

import dev.sedge.bench.proc.ChildProcess;
import dev.sedge.bench.proc.CompletionCounter;
import dev.sedge.bench.proc.JavaCommand;
import dev.sedge.bench.targets.MosquittoTarget;
import dev.sedge.bench.targets.ProcessPath;
import dev.sedge.bench.targets.Target;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Knative-style path, one process per hop as in Knative, each on a free loopback port:
 *
 * <pre>
 *   generator --MQTT--> mosquitto --MQTT QoS 1--> adaptor --HTTP POST (CloudEvent)--> nginx --HTTP--> function server
 *                          (broker)    (MqttCloudEventAdaptor, a JVM)   (queue-proxy hop)   (FunctionServer, a JVM)
 * </pre>
 *
 * Mosquitto acknowledges a publisher on receipt, so completions are counted at the far end (the function
 * server's {@link CompletionCounter}), and the generator's loop is closed on them ({@link
 * Running#completionGate()}). Started in reverse path order, stopped in path order.
 *
 * <p>Immutable; each {@link #start} launches a new path.
 *
 * @param mosquitto the mosquitto executable
 * @param nginx the nginx executable
 * @param adaptorInFlight messages mosquitto may have unacknowledged at the adaptor, so HTTP requests the
 *     adaptor may have outstanding at once
 */
public record KnativeStyleTarget(Path mosquitto, Path nginx, int adaptorInFlight) implements Target {

    public static final String NAME = "knative-style";
    public static final Path DEBIAN_NGINX = Path.of("/usr/sbin/nginx");
    /** As many as the generator's default publishers, each with a request outstanding. */
    public static final int ADAPTOR_IN_FLIGHT_DEFAULT = 8;

    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern FUNCTION_LISTENING =
            Pattern.compile(Pattern.quote(FunctionServer.LISTENING) + "[0-9.]+:(\\d+)");

    public KnativeStyleTarget {
        if (adaptorInFlight < 1 || adaptorInFlight > 10_000) {
            throw new IllegalArgumentException(
                    "--adaptor-in-flight: " + adaptorInFlight + " is out of range (1..10000)");
        }
    }

    /** The Debian packages' executables. */
    public static KnativeStyleTarget installed(int adaptorInFlight) {
        return new KnativeStyleTarget(MosquittoTarget.installed().binary(), DEBIAN_NGINX, adaptorInFlight);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Running start(Path workDir, String filter) throws Unavailable, IOException, InterruptedException {
        if (!Files.isExecutable(nginx)) {
            throw new Unavailable(
                    "nginx is not installed (no executable " + nginx + "; install the Debian package nginx)");
        }
        if (!Files.isExecutable(mosquitto)) {
            throw new Unavailable("mosquitto is not installed (no executable " + mosquitto
                    + "; install the Debian package mosquitto)");
        }
        List<ChildProcess> started = new ArrayList<>();
        try {
            Path counterFile = workDir.resolve("completions");
            CompletionCounter counter = CompletionCounter.open(counterFile);
            ChildProcess function = ChildProcess.start(
                    "function server",
                    JavaCommand.ofThisClassPath(FunctionServer.class, counterFile.toString()),
                    workDir);
            started.add(function);
            Matcher m = function.awaitLine(FUNCTION_LISTENING, START_TIMEOUT);
            int functionPort = Integer.parseInt(m.group(1));

            int nginxPort = MosquittoTarget.freePort();
            Path conf = workDir.resolve("nginx.conf");
            Files.createDirectories(workDir.resolve("nginx-tmp"));
            Files.writeString(conf, NginxConfig.config(workDir, nginxPort, functionPort));
            ChildProcess proxy = ChildProcess.start(
                    "nginx",
                    List.of(nginx.toString(), "-p", workDir.toString(), "-c", conf.toString(), "-e", "stderr"),
                    workDir);
            started.add(proxy);
            awaitListening(proxy, nginxPort);

            MosquittoTarget.Broker broker = MosquittoTarget.startBroker(mosquitto, workDir, adaptorInFlight);
            started.add(broker.process());

            ChildProcess adaptor = ChildProcess.start(
                    "adaptor",
                    JavaCommand.ofThisClassPath(
                            MqttCloudEventAdaptor.class,
                            HOST,
                            Integer.toString(broker.port()),
                            filter,
                            "http://" + HOST + ":" + nginxPort + "/"),
                    workDir);
            started.add(adaptor);
            adaptor.awaitLine(Pattern.compile(Pattern.quote(MqttCloudEventAdaptor.SUBSCRIBED)), START_TIMEOUT);
            Map<String, ChildProcess> hops = new LinkedHashMap<>();
            hops.put("mosquitto", broker.process());
            hops.put("adaptor", adaptor);
            hops.put("nginx", proxy);
            hops.put("function", function);
            return new ProcessPath("the path", hops, broker.port(), counter);
        } catch (IOException | InterruptedException | RuntimeException e) {
            for (ChildProcess p : started.reversed()) {
                p.close();
            }
            throw e;
        }
    }

    /** nginx prints nothing when it is up: wait until its port takes a connection. */
    private static void awaitListening(ChildProcess process, int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 1_000);
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IOException("nginx exited at start; last output:\n" + process.tailText(), e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("nginx did not listen on " + HOST + ":" + port + " within "
                            + START_TIMEOUT.toSeconds() + " s; last output:\n" + process.tailText());
                }
                Thread.sleep(20);
            }
        }
    }
}
