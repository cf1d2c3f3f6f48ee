package dev.sedge.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.broker.BrokerConfig;
import dev.sedge.broker.Message;
import dev.sedge.broker.MqttBroker;
import dev.sedge.broker.bridge.MqttBridge;
import dev.sedge.dataplane.Dispatcher;
import dev.sedge.node.bridge.BridgeState;
import dev.sedge.node.bridge.BridgedTriggers;
import dev.sedge.node.bridge.TriggerGroups;
import dev.sedge.node.config.BridgeOptions;
import dev.sedge.node.config.NodeConfig;
import dev.sedge.node.descriptor.DescriptorParser;
import dev.sedge.node.http.ApiHandler;
import dev.sedge.node.http.ApiServer;
import dev.sedge.node.metrics.NodeMetrics;
import dev.sedge.node.registry.ArtifactStore;
import dev.sedge.node.registry.FunctionRegistry;
import dev.sedge.node.runtime.FunctionHost;
import dev.sedge.node.trigger.MqttEventBinding;
import dev.sedge.sandbox.Sandboxes;
import dev.sedge.sandbox.jvm.JvmSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One Sedge node, wired in this one place with plain constructors: the MQTT broker, the function host
 * (dispatchers and triggers), the registry and artifact store in the data directory, the metrics, the
 * HTTP API, and the bridge to an external broker when configured.
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #close()}. Not restartable.
 */
public final class Node implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.sedge.node");

    private final NodeConfig config;
    private final ObjectMapper json = JsonMapper.builder().build();
    private final Clock clock = Clock.systemUTC();
    private final NodeMetrics metrics = new NodeMetrics();
    private ScheduledExecutorService timer;
    private MqttBroker broker;
    private FunctionRegistry registry;
    private FunctionHost host;
    private ApiServer api;
    private BridgeState bridgeState;
    private MqttBridge bridge;

    public Node(NodeConfig config) {
        this.config = config;
    }

    /** Starts every part; if one fails, what started is closed again. */
    public void start() throws IOException, InterruptedException {
        try {
            Files.createDirectories(config.dataDir());
            registry = new FunctionRegistry(config.dataDir().resolve("registry.mv.db"), json);
            ArtifactStore artifacts = new ArtifactStore(config.dataDir().resolve("artifacts"));

            broker = new MqttBroker(
                    new BrokerConfig(config.bindHost(), config.mqttPort(), BrokerConfig.MAX_PACKET_BYTES_DEFAULT));
            timer = Executors.newSingleThreadScheduledExecutor(
                    r -> Thread.ofPlatform().name("sedge-timer").daemon().unstarted(r));
            Dispatcher.Environment env = new Dispatcher.Environment(
                    metrics,
                    (topic, payload) -> broker.publish(Message.of(topic, payload, 0)),
                    timer,
                    clock,
                    System::nanoTime);
            MqttEventBinding binding = new MqttEventBinding(
                    json, clock, UUID.randomUUID().toString().substring(0, 8) + "-");
            FunctionHost.Listener listener = FunctionHost.Listener.NONE;
            TriggerGroups groups = null;
            BridgeOptions bridged = config.bridge();
            if (bridged != null) {
                bridgeState = new BridgeState(config.dataDir().resolve("bridge.mv.db"));
                String clientId = bridged.clientId() != null ? bridged.clientId() : bridgeState.clientId();
                bridge = new MqttBridge(bridged.toConfig(clientId), broker.router(), bridgeState);
                groups = new TriggerGroups(bridged.group());
                listener = new BridgedTriggers(bridge, groups);
                MqttBridge b = bridge;
                metrics.gauge(
                        "sedge.bridge.connected",
                        "1 while connected to the external broker",
                        () -> b.isConnected() ? 1 : 0);
                metrics.counter(
                        "sedge.bridge.messages.received",
                        "Messages from the external broker routed into the node",
                        b::receivedCount);
                metrics.counter(
                        "sedge.bridge.messages.forwarded",
                        "Messages of the node sent to the external broker",
                        b::forwardedCount);
                metrics.counter(
                        "sedge.bridge.echoes.dropped",
                        "Messages dropped on arrival because their group had them already",
                        b::echoCount);
                metrics.counter(
                        "sedge.bridge.messages.dropped",
                        "Messages not forwarded: outbox full, too large or refused, or in flight on 3 lost connections",
                        b::droppedCount);
            }
            host = new FunctionHost(broker, new Sandboxes(List.of(new JvmSandbox())), env, binding, listener, groups);
            Deployments deployments = new Deployments(new DescriptorParser(), registry, artifacts, host, json, clock);

            metrics.gauge("sedge.mqtt.connections", "MQTT clients connected", () -> broker.connectedClients());
            metrics.gauge(
                    "sedge.mqtt.messages.routed",
                    "Messages routed since start",
                    () -> broker.router().routedCount());
            metrics.gauge(
                    "sedge.functions.active",
                    "Functions active on this node",
                    () -> host.all().size());

            broker.start();
            int restored = deployments.restore();
            if (restored > 0) {
                LOG.log(System.Logger.Level.INFO, "restored {0} function(s) from {1}", restored, config.dataDir());
            }
            if (bridge != null) {
                // After the restore: messages the external broker kept for this node arrive at once, and
                // must find the node's triggers attached.
                for (String filter : bridged.topics()) {
                    bridge.subscribe(bridged.group(), filter, 1);
                }
                bridge.start();
            }
            api = new ApiServer(
                    config.bindHost(),
                    config.httpPort(),
                    new ApiHandler(deployments, host, metrics, json, clock, config.apiToken()));
            api.start();
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public int mqttPort() {
        return broker.port();
    }

    public int httpPort() {
        return api.port();
    }

    /** The bridge to an external broker, or null when the node is not bridged. */
    public MqttBridge bridge() {
        return bridge;
    }

    /** Stops accepting, retires every function and closes the store. Idempotent. */
    @Override
    public void close() {
        if (api != null) {
            api.close();
            api = null;
        }
        if (bridge != null) {
            // First: what is still running is then left unacknowledged, and the external broker keeps it.
            bridge.close();
            bridge = null;
        }
        if (broker != null) {
            broker.close();
            broker = null;
        }
        if (host != null) {
            host.close();
            host = null;
        }
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        if (registry != null) {
            registry.close();
            registry = null;
        }
        if (bridgeState != null) {
            bridgeState.close();
            bridgeState = null;
        }
    }
}
