package dev.sedge.bench.targets;

import dev.sedge.api.Function;
import dev.sedge.bench.function.EchoFunction;
import dev.sedge.bench.function.NoopFunction;
import dev.sedge.bench.proc.ChildProcess;
import dev.sedge.bench.proc.CompletionCounter;
import dev.sedge.bench.proc.JavaCommand;
import dev.sedge.bench.targets.serverful.FunctionService;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The serverful design (as in the CloudNet paper): Mosquitto, started as the {@code mosquitto}
 * baseline but with Nagle's algorithm off (see {@link #TCP_NO_DELAY}), plus an always-on function service, a JVM of its own with an ordinary MQTT client subscribed
 * at QoS 1 on the benchmark's topics, running the same function as the Sedge target and publishing its
 * result at QoS 1 to the same reply topic ({@link FunctionService}):
 *
 * <pre>
 *   publisher --QoS 1--> mosquitto --QoS 1--> function service (Paho, the function) --reply, QoS 1--> mosquitto --> subscriber
 * </pre>
 *
 * Mosquitto acknowledges a publisher on receipt, so completions are counted by the service (a call that
 * returned, and its reply's PUBACK when it has one) and the generator's loop is closed on them ({@link
 * Running#completionGate()}). The CPU of both processes is the target's.
 *
 * <p>Immutable; each {@link #start} launches a new broker and service.
 *
 * @param mosquitto the broker, as the baseline runs it
 * @param function the function class on this class path
 * @param functionName its name in the function's context
 * @param responseTopic a reply topic template as a trigger's {@code response.topic}, or null to publish
 *     no reply
 */
public record ServerfulTarget(
        MosquittoTarget mosquitto, Class<? extends Function> function, String functionName, String responseTopic)
        implements Target {

    public static final String NAME = "serverful";

    private static final String HOST = "127.0.0.1";
    /**
     * The one change from the baseline's broker: Nagle's algorithm off, as the function service's own
     * socket, Sedge's and HiveMQ's (Netty's default) have it. With Mosquitto's default the broker holds
     * a PUBACK or the next message to the service until the service's delayed ACK: in a quick run at
     * 1,000 msg/s the replies' median was 9.4 ms with it and 0.53 ms without. The broker-only baseline
     * keeps the default, which costs it no latency on its route and helps its throughput.
     */
    private static final boolean TCP_NO_DELAY = true;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern SUBSCRIBED = Pattern.compile(Pattern.quote(FunctionService.SUBSCRIBED));

    /** The no-op function of {@link SedgeTarget#noop}, which publishes nothing: for mqtt-throughput. */
    public static ServerfulTarget noop(MosquittoTarget mosquitto) {
        return new ServerfulTarget(mosquitto, NoopFunction.class, SedgeTarget.FUNCTION_NAME_DEFAULT, null);
    }

    /** The echo function of {@link SedgeTarget#echo}, replying on {@code responseTopic}: for mqtt-latency. */
    public static ServerfulTarget echo(MosquittoTarget mosquitto, String responseTopic) {
        return new ServerfulTarget(mosquitto, EchoFunction.class, "bench-echo", responseTopic);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Running start(Path workDir, String filter) throws Unavailable, IOException, InterruptedException {
        if (filter == null) {
            throw new IllegalArgumentException("filter: the serverful target's service needs the benchmark's topics");
        }
        MosquittoTarget.Broker broker = mosquitto.startBroker(workDir, TCP_NO_DELAY);
        ChildProcess service = null;
        try {
            Path counterFile = workDir.resolve("completions");
            CompletionCounter counter = CompletionCounter.open(counterFile);
            List<String> args = new ArrayList<>(List.of(
                    HOST,
                    Integer.toString(broker.port()),
                    filter,
                    function.getName(),
                    functionName,
                    counterFile.toString()));
            if (responseTopic != null) {
                args.add(responseTopic);
            }
            service = ChildProcess.start(
                    "function service",
                    JavaCommand.ofThisClassPath(FunctionService.class, args.toArray(String[]::new)),
                    workDir);
            service.awaitLine(SUBSCRIBED, START_TIMEOUT);
            Map<String, ChildProcess> hops = new LinkedHashMap<>();
            hops.put("mosquitto", broker.process());
            hops.put("function service", service);
            return new ProcessPath("the serverful target", hops, broker.port(), counter);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (service != null) {
                service.close();
            }
            broker.process().close();
            throw e;
        }
    }
}
