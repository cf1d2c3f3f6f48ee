package dev.sedge.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.broker.BrokerConfig;
import dev.sedge.broker.BrokerSecurity;
import dev.sedge.broker.Message;
import dev.sedge.broker.MqttBroker;
import dev.sedge.broker.auth.AclAuthorizer;
import dev.sedge.broker.auth.AclFile;
import dev.sedge.broker.auth.Authenticator;
import dev.sedge.broker.auth.Authorizer;
import dev.sedge.broker.auth.PasswordAuthenticator;
import dev.sedge.broker.auth.SecurityFileException;
import dev.sedge.broker.auth.UsersFile;
import dev.sedge.broker.bridge.MqttBridge;
import dev.sedge.broker.session.SessionLimits;
import dev.sedge.broker.store.BrokerStore;
import dev.sedge.broker.tls.TlsListener;
import dev.sedge.dataplane.Dispatcher;
import dev.sedge.node.bridge.BridgeState;
import dev.sedge.node.bridge.BridgedTriggers;
import dev.sedge.node.bridge.TriggerGroups;
import dev.sedge.node.config.AuthConfig;
import dev.sedge.node.config.BridgeOptions;
import dev.sedge.node.config.NodeConfig;
import dev.sedge.node.config.TlsListenerConfig;
import dev.sedge.node.deadletter.DeadLetterReplayer.ReplayOutcome;
import dev.sedge.node.deadletter.DeadLetterStore;
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
import dev.sedge.sandbox.process.ProcessSandbox;
import dev.sedge.sandbox.wasm.WasmSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * One Sedge node, wired in this one place with plain constructors: the MQTT broker with its
 * authentication, ACLs and TLS listener, the function host (dispatchers and triggers), the
 * registry and artifact store in the data directory, the metrics, the HTTP API, and the bridge to
 * an external broker when configured.
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
    private DeadLetterStore deadLetters;
    private BrokerStore brokerStore;
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
            BrokerSecurity security = brokerSecurity(); // before any state is touched: a bad file stops here
            Files.createDirectories(config.dataDir());
            registry = new FunctionRegistry(config.dataDir().resolve("registry.mv.db"), json);
            ArtifactStore artifacts = new ArtifactStore(config.dataDir().resolve("artifacts"));
            deadLetters = new DeadLetterStore(
                    config.dataDir().resolve(DeadLetterStore.FILE_NAME), DeadLetterStore.LIMIT_DEFAULT);

            brokerStore = BrokerStore.open(config.dataDir().resolve("broker.mv.db"));
            broker = new MqttBroker(
                    new BrokerConfig(config.bindHost(), config.mqttPort(), BrokerConfig.MAX_PACKET_BYTES_DEFAULT)
                            .withSessionLimits(new SessionLimits(config.maxQueuedMessages(), SessionLimits.NEVER)),
                    brokerStore,
                    security);
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
            host = new FunctionHost(
                    broker,
                    new Sandboxes(List.of(
                            new JvmSandbox(),
                            new WasmSandbox(config.dataDir().resolve("wasm-cache")),
                            new ProcessSandbox())),
                    env,
                    binding,
                    listener,
                    groups);
            Deployments deployments = new Deployments(new DescriptorParser(), registry, artifacts, host, json, clock);

            metrics.gauge("sedge.mqtt.connections", "MQTT clients connected", () -> broker.connectedClients());
            metrics.gauge(
                    "sedge.mqtt.messages.routed",
                    "Messages routed since start",
                    () -> broker.router().routedCount());
            metrics.gauge(
                    "sedge.mqtt.sessions",
                    "MQTT sessions held, connected or not",
                    () -> broker.sessions().sessionCount());
            metrics.gauge(
                    "sedge.mqtt.messages.dropped",
                    "QoS 1/2 messages dropped because a client's queue was full",
                    () -> broker.sessions().droppedCount());
            metrics.gauge(
                    "sedge.mqtt.retained",
                    "Retained messages held",
                    () -> broker.retained().size());
            metrics.gauge(
                    "sedge.mqtt.malformed",
                    "Connections closed for a malformed or out-of-order packet",
                    () -> broker.stats().malformed());
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
                    config.httpBindHost(),
                    config.httpPort(),
                    new ApiHandler(
                            deployments,
                            host,
                            metrics,
                            json,
                            clock,
                            config.apiToken(),
                            deadLetters,
                            letter -> CompletableFuture.completedFuture(
                                    new ReplayOutcome(false, "replay is not wired yet"))));
            api.start();
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Reads the users file, the ACL file and the TLS files named in the configuration; a bad line or file
     * stops the start with one line that names it.
     */
    private BrokerSecurity brokerSecurity() throws IOException {
        AuthConfig auth = config.auth();
        UsersFile users =
                auth.usersFile() == null ? null : readFile("auth.usersFile", auth.usersFile(), UsersFile::read);
        Authorizer authorizer =
                auth.aclFile() == null ? Authorizer.ALLOW_ALL : readFile("auth.aclFile", auth.aclFile(), AclFile::read);
        Authenticator authenticator =
                new PasswordAuthenticator(users, auth.allowAnonymous(), auth.certificateIdentity(), new SecureRandom());
        LOG.log(
                System.Logger.Level.INFO,
                "MQTT clients: {0}; anonymous {1}; {2}",
                users == null ? "no users file" : users.size() + " user(s) from " + users.path(),
                auth.allowAnonymous() ? "allowed" : "refused",
                authorizer instanceof AclAuthorizer acl
                        ? acl.size() + " ACL rule(s) from " + auth.aclFile() + ", deny by default"
                        : "no ACL file, every topic allowed");
        TlsListenerConfig tls = config.tls();
        if (tls == null) {
            return new BrokerSecurity(authenticator, authorizer, null);
        }
        return new BrokerSecurity(
                authenticator,
                authorizer,
                new TlsListener(config.bindHost(), tls.port(), tls.files().newServerContext()));
    }

    private interface FileReader<T> {
        T read(Path file) throws IOException;
    }

    private static <T> T readFile(String setting, Path file, FileReader<T> reader) throws IOException {
        try {
            return reader.read(file);
        } catch (SecurityFileException e) {
            throw e; // already names file and line
        } catch (NoSuchFileException e) {
            throw new IOException(setting + ": " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IOException(setting + ": cannot read " + file + ": " + e, e);
        }
    }

    public int mqttPort() {
        return broker.port();
    }

    /** The MQTT-over-TLS port, or -1 when there is no TLS listener. */
    public int tlsPort() {
        return broker.tlsPort();
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
        if (deadLetters != null) {
            deadLetters.close(); // after the functions: a retiring function's last failures are still written
            deadLetters = null;
        }
        if (registry != null) {
            registry.close();
            registry = null;
        }
        if (brokerStore != null) {
            brokerStore.close();
            brokerStore = null;
        }
        if (bridgeState != null) {
            bridgeState.close();
            bridgeState = null;
        }
    }
}
