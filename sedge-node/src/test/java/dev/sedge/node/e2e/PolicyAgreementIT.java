package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sedge.dataplane.time.ManualTimers;
import dev.sedge.node.config.KeepAliveConfig;
import dev.sedge.node.config.NodeConfig;
import dev.sedge.node.descriptor.Prewarm;
import dev.sedge.node.e2e.fixtures.Echo;
import dev.sedge.scaling.policy.KnativeKeepAlive;
import dev.sedge.scaling.policy.PolicyContext;
import dev.sedge.scaling.policy.catalog.KeepAlivePolicies;
import dev.sedge.scaling.sim.SimulationListener;
import dev.sedge.scaling.sim.Simulator;
import dev.sedge.scaling.sim.Trace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The live node and the simulator agree on the cold starts (and the pre-warms) of a small trace, function
 * by function, for each keep-alive policy: a real node on a fake clock, one function per device, each event published over
 * MQTT (QoS 1, acknowledged once the function has answered) after the clock was stepped to its time, against
 * {@link Simulator} with the same policy on the same trace. The fake clock does not move while an instance
 * starts, so the simulator's cold start is 0 ms, and so is the one the node's policies are told of.
 *
 * <p>The trace has four devices and 51 events, with gaps from half a second to three hours: a sensor
 * reporting about every 45 s, one whose gaps straddle a minute to the millisecond (the ends of a one-minute
 * keep-alive and of Knative's window, on and off the second's boundary), a burst-and-silence motion sensor,
 * and one that starts on a whole second.
 */
@Timeout(300)
class PolicyAgreementIT {

    /** Each device's first event and the gaps after it, in milliseconds of the fake clock. */
    private static final Map<String, long[]> DEVICES = new LinkedHashMap<>();

    static {
        DEVICES.put("dev-a", new long[] {
            100_250, 45_000, 44_800, 59_999, 60_000, 46_100, 70_000, 30_000, 45_500, 3_600_000, 44_000, 45_000, 59_000,
            61_000
        });
        DEVICES.put("dev-b", new long[] {
            130_700, 2_000, 1_500, 4_000, 1_200_000, 3_000, 2_500, 10_800_000, 1_000, 5_000, 2_000, 600_000, 7_000
        });
        DEVICES.put("dev-c", new long[] {
            161_999, 60_001, 59_500, 60_999, 61_000, 58_000, 62_500, 120_000, 60_000, 59_001, 600_500, 30_000, 60_200,
            1_800_000, 59_900
        });
        DEVICES.put("dev-d", new long[] {200_000, 60_000, 61_000, 1_000, 59_000, 7_200_000, 60_500, 500, 60_000});
    }

    /** The policies the simulator's context is told: starting takes no time on a fake clock. */
    private static final PolicyContext CONTEXT = new PolicyContext(0, 128, 2048);

    @TempDir
    Path dir;

    private record Event(long at, String function) {}

    private static List<Event> events() {
        List<Event> all = new ArrayList<>();
        DEVICES.forEach((device, gaps) -> {
            long t = 0;
            for (long gap : gaps) {
                t += gap;
                all.add(new Event(t, device));
            }
        });
        all.sort(Comparator.comparingLong(Event::at).thenComparing(Event::function));
        return all;
    }

    private static Trace trace(List<Event> events) {
        List<String> functions = List.copyOf(DEVICES.keySet());
        int[] function = new int[events.size()];
        long[] times = new long[events.size()];
        for (int i = 0; i < events.size(); i++) {
            function[i] = functions.indexOf(events.get(i).function());
            times[i] = events.get(i).at();
        }
        return new Trace("agreement", functions, function, times);
    }

    /** The policy the simulator runs for a value of {@code scale.prewarm}: the autoscaler alone is Knative's. */
    private static String simulated(String prewarm) {
        String policy = Prewarm.policy(prewarm);
        return policy == null ? KnativeKeepAlive.NAME : policy;
    }

    /** What happened to one function: its cold starts, and the instances its plan started with no event. */
    private record Counts(int coldStarts, int prewarms) {}

    @ParameterizedTest
    @ValueSource(strings = {"fixed-1m", "knative", "auto"})
    void theNodeAndTheSimulatorAgreeOnEveryFunctionsColdStartsAndPrewarms(String prewarm) throws Exception {
        List<Event> events = events();
        assertThat(events).hasSize(51);

        Map<String, int[]> seen = new TreeMap<>();
        DEVICES.keySet().forEach(f -> seen.put(f, new int[2]));
        new Simulator(
                        trace(events),
                        KeepAlivePolicies.create(simulated(prewarm), CONTEXT, null),
                        CONTEXT,
                        new SimulationListener() {
                            @Override
                            public void started(String function, long atMillis, boolean prewarm) {
                                seen.get(function)[1] += prewarm ? 1 : 0;
                            }

                            @Override
                            public void invoked(String function, long atMillis, boolean cold, long waitedMillis) {
                                seen.get(function)[0] += cold ? 1 : 0;
                            }
                        })
                .run();
        Map<String, Counts> simulated = new TreeMap<>();
        seen.forEach((f, n) -> simulated.put(f, new Counts(n[0], n[1])));

        Map<String, Counts> live = replay(prewarm, events);
        System.out.printf("prewarm %s:%n  node      %s%n  simulator %s%n", prewarm, live, simulated);
        assertThat(live).isEqualTo(simulated);
        // The trace tells keeping from not keeping: some events after the first of a function found it warm,
        // and some found it cold.
        int cold = simulated.values().stream().mapToInt(Counts::coldStarts).sum();
        assertThat(cold).isBetween(DEVICES.size() + 1, events.size() - 1);
    }

    /** Publishes the trace to a node on a fake clock; each function's counts, from its metrics. */
    private Map<String, Counts> replay(String prewarm, List<Event> events) throws Exception {
        Path jar = FixtureJar.of(dir.resolve("echo.jar"), Echo.class);
        ManualTimers timers = new ManualTimers(0);
        NodeConfig config = new NodeConfig(dir.resolve("data"), "127.0.0.1", 0, 0, null)
                .withKeepAlive(new KeepAliveConfig(Prewarm.DEFAULT, CONTEXT));
        try (RunningNode node = new RunningNode(config, timers);
                MqttClients.Client device = new MqttClients.Client(node.mqttPort(), "devices");
                MqttClients.Client replies = new MqttClients.Client(node.mqttPort(), "replies")) {
            replies.subscribe("reply/#");
            for (String f : DEVICES.keySet()) {
                Path descriptor = dir.resolve(f + ".yaml");
                Files.writeString(descriptor, """
                        apiVersion: sedge.dev/v1alpha1
                        kind: Function
                        metadata: {name: %s}
                        spec:
                          runtime: jvm
                          artifact: %s
                          handler: %s
                          scale: {initial: 0, prewarm: %s}
                          triggers:
                          - mqtt: {filter: "trace/%s", qos: 1, ack: on-complete, response: {topic: "reply/{topic.1}"}}
                        """.formatted(f, jar, Echo.class.getName(), prewarm, f));
                RunningNode.Cli deploy = node.cli("deploy", descriptor.toString());
                assertThat(deploy.exit()).as(deploy.err()).isZero();
            }
            long now = 0;
            for (int i = 0; i < events.size(); i++) {
                Event e = events.get(i);
                timers.advance(Duration.ofMillis(e.at() - now));
                now = e.at();
                settled(node); // a pre-warm the plan started as the clock moved is ready, as in the simulator
                device.publish("trace/" + e.function(), "event " + i, 1);
                int answered = i + 1;
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> replies.received().size() == answered);
            }
            Map<String, Counts> counts = new TreeMap<>();
            for (String f : DEVICES.keySet()) {
                counts.put(
                        f,
                        new Counts(
                                count(node, "sedge_cold_starts_total{function=\"" + f + "\"}"),
                                count(node, "sedge_prewarms_total{function=\"" + f + "\"}")));
                JsonNode decision = node.function(f).path("status").path("decision");
                assertThat(decision.path("policy").asText()).isEqualTo(simulated(prewarm));
                if (Prewarm.policy(prewarm) != null) {
                    // The plan in words, with its times: kept until a moment, or let go.
                    String reason = decision.path("reason").asText();
                    assertThat(reason)
                            .matches("((kept until|next pre-warm at) [-0-9: ]+ \\((in .+|now)\\)"
                                    + "|no instance until the next event): .+");
                    assertThat(decision.has("keptUntil")).isEqualTo(reason.startsWith("kept until"));
                    assertThat(decision.has("nextPrewarm")).isEqualTo(reason.startsWith("next pre-warm at"));
                }
            }
            return counts;
        }
    }

    /** A counter's value, 0 when it was never counted. */
    private static int count(RunningNode node, String series) throws Exception {
        double n = node.metric(series);
        return Double.isNaN(n) ? 0 : (int) n;
    }

    /** Waits until no function has an instance starting. */
    private static void settled(RunningNode node) {
        await().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2))
                .atMost(Duration.ofSeconds(20))
                .until(() -> {
                    for (String f : DEVICES.keySet()) {
                        if (node.function(f)
                                        .path("status")
                                        .path("instances")
                                        .path("starting")
                                        .asInt()
                                > 0) {
                            return false;
                        }
                    }
                    return true;
                });
    }
}
