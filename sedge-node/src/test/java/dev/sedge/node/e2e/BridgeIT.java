package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.broker.Message;
import dev.sedge.broker.bridge.BridgeConfig;
import dev.sedge.broker.bridge.BridgeEndpoint;
import dev.sedge.broker.bridge.BridgeSessionStore;
import dev.sedge.broker.bridge.MqttBridge;
import dev.sedge.broker.router.Router;
import dev.sedge.broker.router.Subscriber;
import dev.sedge.node.config.BridgeOptions;
import dev.sedge.node.config.NodeConfig;
import dev.sedge.node.e2e.MqttClients.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sedge nodes bridged to a real Mosquitto: they split a group's messages through shared subscriptions,
 * a node that was away gets what was published meanwhile, a message is acknowledged to the external
 * broker only once handled, and replies go out once without coming back.
 */
@Timeout(180)
class BridgeIT {

    /** The example's trigger, with {@code group: temperature-alert}, as subscribed on the external broker. */
    private static final String SHARED = "$share/temperature-alert/sensors/+/temperature";

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @BeforeEach
    void needsMosquitto() {
        MosquittoServer.assumeInstalled();
    }

    @Test
    void twoBridgedNodesSplitTheReadingsAndEveryReadingGetsExactlyOneReply() throws Exception {
        int readings = 40;
        try (MosquittoServer mosquitto = MosquittoServer.start(dir.resolve("mosquitto"));
                RunningNode a = bridged(dir.resolve("a"), mosquitto, List.of());
                RunningNode b = bridged(dir.resolve("b"), mosquitto, List.of());
                Client device = new Client(mosquitto.port, "device")) {
            Path descriptor = groupedExample();
            deploy(a, descriptor);
            deploy(b, descriptor);
            awaitSubscribed(a, SHARED);
            awaitSubscribed(b, SHARED);
            assertThat(a.node.bridge().clientId()).isNotEqualTo(b.node.bridge().clientId());

            device.subscribe("alerts/#");
            for (int i = 0; i < readings; i++) {
                device.publish("sensors/s" + i + "/temperature", "{\"celsius\": " + (20 + i) + "}", 1);
            }

            await().atMost(WAIT).until(() -> invocations(a) + invocations(b) == readings);
            await().atMost(WAIT).until(() -> device.received().size() >= readings);
            Map<String, Integer> expected = new java.util.TreeMap<>();
            IntStream.range(0, readings).forEach(i -> expected.put("alerts/s" + i, 1));
            assertThat(device.countsByTopic()).isEqualTo(expected);
            assertThat(device.received()).contains("alerts/s15 {\"sensor\":\"s15\",\"celsius\":35.0,\"alert\":true}");
            assertThat(invocations(a)).as("readings handled by node a").isPositive();
            assertThat(invocations(b)).as("readings handled by node b").isPositive();
            assertThat(invocations(a) + invocations(b)).isEqualTo(readings);
            String metrics = a.get("/metrics").body();
            assertThat(metrics)
                    .contains("sedge_bridge_connected 1.0")
                    .contains("sedge_bridge_messages_received_total "
                            + a.node.bridge().receivedCount() + ".0")
                    .contains("sedge_bridge_messages_forwarded_total "
                            + a.node.bridge().forwardedCount() + ".0")
                    .contains("sedge_bridge_echoes_dropped_total 0.0")
                    .contains("sedge_bridge_messages_dropped_total 0.0");
        }
    }

    @Test
    void aChainOfFunctionsRunsEachOnceAcrossTheGroup() throws Exception {
        int readings = 20;
        try (MosquittoServer mosquitto = MosquittoServer.start(dir.resolve("mosquitto"));
                RunningNode a = bridged(dir.resolve("a"), mosquitto, List.of());
                RunningNode b = bridged(dir.resolve("b"), mosquitto, List.of());
                Client device = new Client(mosquitto.port, "device")) {
            // The second function takes the first one's replies: on the node that produced a reply it runs
            // at once, so the copy forwarded to the other node of its group must not run it again.
            Path first = groupedExample();
            Path second = descriptor("alert-check", "alerts/+", "alert-check", "checked/{topic.1}");
            for (RunningNode n : List.of(a, b)) {
                deploy(n, first);
                deploy(n, second);
                awaitSubscribed(n, SHARED, "$share/alert-check/alerts/+");
            }
            device.subscribe("checked/#");
            for (int i = 0; i < readings; i++) {
                device.publish("sensors/c" + i + "/temperature", "{\"celsius\": " + (25 + i) + "}", 1);
            }

            await().atMost(WAIT).until(() -> device.received().size() >= readings);
            await().atMost(WAIT).until(() -> invocations(a, "alert-check") + invocations(b, "alert-check") >= readings);
            // Each alert went out and came back to one node of its group, where it was dropped as handled.
            await().atMost(WAIT)
                    .until(() -> a.node.bridge().echoCount() + b.node.bridge().echoCount() >= readings);
            assertThat(a.node.bridge().echoCount() + b.node.bridge().echoCount())
                    .isEqualTo(readings);
            assertThat(a.node.bridge().receivedCount() + b.node.bridge().receivedCount())
                    .as("only the readings were routed in")
                    .isEqualTo(readings);
            assertThat(invocations(a) + invocations(b)).isEqualTo(readings);
            assertThat(invocations(a, "alert-check") + invocations(b, "alert-check"))
                    .isEqualTo(readings);
            assertThat(device.countsByTopic())
                    .hasSize(readings)
                    .allSatisfy((t, n) -> assertThat(n).isEqualTo(1));
        }
    }

    @Test
    void aNodeThatWasAwayGetsWhatWasPublishedMeanwhile() throws Exception {
        int readings = 10;
        Path data = dir.resolve("a");
        try (MosquittoServer mosquitto = MosquittoServer.start(dir.resolve("mosquitto"));
                Client device = new Client(mosquitto.port, "device")) {
            device.subscribe("alerts/#");
            String clientId;
            try (RunningNode a = bridged(data, mosquitto, List.of())) {
                deploy(a, groupedExample());
                awaitSubscribed(a, SHARED);
                clientId = a.node.bridge().clientId();
            }
            // The group's only member is away; the external broker keeps the readings in its session.
            for (int i = 0; i < readings; i++) {
                device.publish("sensors/away" + i + "/temperature", "{\"celsius\": 31}", 1);
            }
            assertThat(device.received()).isEmpty();

            try (RunningNode back = bridged(data, mosquitto, List.of())) {
                assertThat(back.node.bridge().clientId())
                        .as("the client id kept in the data directory")
                        .isEqualTo(clientId);
                await().atMost(WAIT).until(() -> device.received().size() >= readings);
                assertThat(device.countsByTopic())
                        .hasSize(readings)
                        .allSatisfy((t, n) -> assertThat(n).isEqualTo(1));
                assertThat(invocations(back)).isEqualTo(readings);
            }
        }
    }

    @Test
    void aMessageIsAcknowledgedOnlyOnceRoutedSoOneLeftUnfinishedComesBack() throws Exception {
        try (MosquittoServer mosquitto = MosquittoServer.start(dir.resolve("mosquitto"));
                Client device = new Client(mosquitto.port, "device")) {
            BridgeConfig config =
                    BridgeConfig.of(BridgeEndpoint.parse("mqtt://127.0.0.1:" + mosquitto.port), "ack-test");
            BridgeSessionStore store = BridgeSessionStore.inMemory();

            // A subscriber that never finishes, like a function on a node that dies before it returns.
            Router first = new Router();
            BlockingQueue<Message> taken = new LinkedBlockingQueue<>();
            first.subscribe(new Router.Subscription(
                    "jobs/#",
                    1,
                    (m, qos) -> {
                        taken.add(m);
                        return new CompletableFuture<>();
                    },
                    null,
                    false));
            try (MqttBridge bridge = new MqttBridge(config, first, store)) {
                bridge.subscribe("workers", "jobs/#", 1);
                bridge.start();
                await().atMost(WAIT).until(() -> bridge.subscribed().contains("$share/workers/jobs/#"));
                device.publish("jobs/1", "work", 1);
                Message m = taken.poll(30, TimeUnit.SECONDS);
                assertThat(m).isNotNull();
                assertThat(m.topic()).isEqualTo("jobs/1");
                assertThat(m.qos()).isEqualTo(1);
                assertThat(m.publisherId()).isEqualTo("$bridge/$share/workers/jobs/#");
            }

            Router second = new Router();
            BlockingQueue<Message> again = new LinkedBlockingQueue<>();
            second.subscribe(new Router.Subscription(
                    "jobs/#",
                    1,
                    (m, qos) -> {
                        again.add(m);
                        return Subscriber.DONE;
                    },
                    null,
                    false));
            try (MqttBridge bridge = new MqttBridge(config, second, store)) {
                bridge.subscribe("workers", "jobs/#", 1);
                bridge.start();
                Message m = again.poll(30, TimeUnit.SECONDS);
                assertThat(m).as("the unacknowledged message, sent again").isNotNull();
                assertThat(new String(m.payload(), StandardCharsets.UTF_8)).isEqualTo("work");
            }
        }
    }

    @Test
    void aReplyGoesOutOnceAndNeverLoopsBackAndOverlappingSubscriptionsRunTheFunctionOnce() throws Exception {
        try (MosquittoServer mosquitto = MosquittoServer.start(dir.resolve("mosquitto"));
                RunningNode node = bridged(dir.resolve("a"), mosquitto, List.of("alerts/#", "sensors/#"));
                Client device = new Client(mosquitto.port, "device")) {
            deploy(node, groupedExample());
            awaitSubscribed(node, SHARED, "$share/sedge/alerts/#", "$share/sedge/sensors/#");
            MqttBridge bridge = node.node.bridge();
            try (Client local = new Client(node.mqttPort(), "dashboard")) {
                local.subscribe("alerts/#");
                device.subscribe("alerts/#");

                device.publish("sensors/porch/temperature", "{\"celsius\": 35}", 1);
                // The reading comes in twice (through the trigger's subscription and through sensors/#); the
                // reply goes out once and comes back once, through alerts/#, as an echo that is dropped.
                await().atMost(WAIT).until(() -> bridge.echoCount() == 1);
                await().atMost(WAIT).until(() -> device.received().size() == 1);
                await().atMost(WAIT).until(() -> bridge.receivedCount() == 2);

                // A second reading, after the first has gone all the way round.
                device.publish("sensors/attic/temperature", "{\"celsius\": 12}", 1);
                await().atMost(WAIT).until(() -> bridge.echoCount() == 2);
                await().atMost(WAIT).until(() -> device.received().size() == 2);
                await().atMost(WAIT).until(() -> local.received().size() == 2);

                assertThat(invocations(node)).isEqualTo(2);
                assertThat(bridge.forwardedCount()).isEqualTo(2);
                assertThat(bridge.receivedCount()).isEqualTo(4);
                assertThat(device.received())
                        .containsExactly(
                                "alerts/porch {\"sensor\":\"porch\",\"celsius\":35.0,\"alert\":true}",
                                "alerts/attic {\"sensor\":\"attic\",\"celsius\":12.0,\"alert\":false}");
                assertThat(local.received()).containsExactlyElementsOf(device.received());
            }
        }
    }

    @Test
    void mqttsTrustsTheGivenCertificateAuthority() throws Exception {
        Path tls = dir.resolve("tls");
        TestCertificates.assumeOpensslInstalled();
        TestCertificates certs = TestCertificates.create(tls);
        try (MosquittoServer mosquitto = MosquittoServer.start(
                        dir.resolve("mosquitto"),
                        List.of("certfile " + certs.serverCertificate(), "keyfile " + certs.serverKey()));
                RunningNode node = new RunningNode(new NodeConfig(dir.resolve("a"), "127.0.0.1", 0, 0, null)
                        .withBridge(BridgeOptions.parse(
                                "mqtts://127.0.0.1:" + mosquitto.port,
                                List.of(),
                                null,
                                null,
                                null,
                                certs.authority(),
                                null,
                                null)))) {
            deploy(node, groupedExample());
            awaitSubscribed(node, SHARED);
            try (Client device = new Client(mosquitto.plainPort, "device")) {
                // In from the external broker over TLS, and the reply back out over it.
                device.subscribe("alerts/#");
                device.publish("sensors/cellar/temperature", "{\"celsius\": 14}", 1);
                await().atMost(WAIT).until(() -> device.received().size() == 1);
                assertThat(device.received())
                        .containsExactly("alerts/cellar {\"sensor\":\"cellar\",\"celsius\":14.0,\"alert\":false}");
            }
        }
    }

    /** A node on free loopback ports, bridged to the given Mosquitto. */
    private static RunningNode bridged(Path data, MosquittoServer mosquitto, List<String> topics) throws Exception {
        BridgeOptions bridge =
                BridgeOptions.parse("mqtt://127.0.0.1:" + mosquitto.port, topics, null, null, null, null, null, null);
        return new RunningNode(new NodeConfig(data, "127.0.0.1", 0, 0, null).withBridge(bridge));
    }

    /** The example's descriptor with {@code group: temperature-alert} on its trigger. */
    private Path groupedExample() throws Exception {
        Path jar = RunningNode.EXAMPLE.getParent().resolve("target").resolve("temperature-alert.jar");
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(RunningNode.EXAMPLE)) {
            if (line.trim().startsWith("artifact:")) {
                lines.add("  artifact: " + jar);
            } else {
                lines.add(line);
            }
            if (line.trim().equals("qos: 1")) {
                lines.add(line.replace("qos: 1", "group: temperature-alert"));
            }
        }
        assertThat(lines).contains("      group: temperature-alert");
        Path out = dir.resolve("function.yaml");
        Files.write(out, lines);
        return out;
    }

    private static void deploy(RunningNode node, Path descriptor) {
        RunningNode.Cli deploy = node.cli("deploy", descriptor.toString());
        assertThat(deploy.exit()).as(deploy.err()).isZero();
    }

    private static void awaitSubscribed(RunningNode node, String... sharedFilters) {
        await().atMost(WAIT).until(() -> node.node.bridge().subscribed().containsAll(List.of(sharedFilters)));
    }

    /** Invocations of the example function on a node, from its HTTP API through the CLI. */
    private static long invocations(RunningNode node) throws Exception {
        return invocations(node, "temperature-alert");
    }

    private static long invocations(RunningNode node, String function) throws Exception {
        RunningNode.Cli list = node.cli("list", "-o", "json");
        assertThat(list.exit()).as(list.err()).isZero();
        for (JsonNode f : JSON.readTree(list.out())) {
            if (f.path("name").asText().equals(function)) {
                return f.path("status").path("invocations").asLong();
            }
        }
        return 0;
    }

    /** A descriptor for the example's code under another name, trigger and reply topic. */
    private Path descriptor(String name, String filter, String group, String response) throws Exception {
        Path jar = RunningNode.EXAMPLE.getParent().resolve("target").resolve("temperature-alert.jar");
        Path out = dir.resolve(name + ".yaml");
        Files.writeString(out, """
                apiVersion: sedge.dev/v1alpha1
                kind: Function
                metadata:
                  name: %s
                spec:
                  runtime: jvm
                  artifact: %s
                  handler: dev.sedge.examples.temperature.TemperatureAlert
                  concurrency: 4
                  triggers:
                  - mqtt:
                      filter: %s
                      qos: 1
                      group: %s
                      response: {topic: "%s"}
                """.formatted(name, jar, filter, group, response));
        return out;
    }
}
