package dev.sedge.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.broker.BrokerConfig;
import dev.sedge.broker.Message;
import dev.sedge.broker.MqttBroker;
import dev.sedge.dataplane.Dispatcher;
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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * One Sedge node, wired in this one place with plain constructors: the MQTT broker, the function host
 * (dispatchers and triggers), the registry and artifact store in the data directory, the metrics and
 * the HTTP API.
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
            ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(
                    1, r -> Thread.ofPlatform().name("sedge-timer").daemon().unstarted(r));
            // Every event schedules its deadline and cancels it when it finishes. Without removal a
            // cancelled task stays queued until its deadline (the timeout, 30 s by default): millions of
            // dead tasks under load, and young collections that copy them again and again.
            deadlines.setRemoveOnCancelPolicy(true);
            timer = deadlines;
            Dispatcher.Environment env = new Dispatcher.Environment(
                    metrics,
                    (topic, payload) -> broker.publish(Message.of(topic, payload, 0)),
                    timer,
                    clock,
                    System::nanoTime);
            MqttEventBinding binding = new MqttEventBinding(
                    json, clock, UUID.randomUUID().toString().substring(0, 8) + "-");
            host = new FunctionHost(broker, new Sandboxes(List.of(new JvmSandbox())), env, binding);
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

    /** Stops accepting, retires every function and closes the store. Idempotent. */
    @Override
    public void close() {
        if (api != null) {
            api.close();
            api = null;
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
    }
}
