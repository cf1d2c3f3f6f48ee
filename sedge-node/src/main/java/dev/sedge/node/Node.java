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
import dev.sedge.dataplane.DispatcherEnvironment;
import dev.sedge.dataplane.time.SystemTimers;
import dev.sedge.dataplane.time.Timers;
import dev.sedge.dataplane.warm.WarmPlanner;
import dev.sedge.node.bridge.BridgeState;
import dev.sedge.node.bridge.BridgedTriggers;
import dev.sedge.node.bridge.TriggerGroups;
import dev.sedge.node.config.AuthConfig;
import dev.sedge.node.config.BridgeOptions;
import dev.sedge.node.config.NodeConfig;
import dev.sedge.node.config.TlsListenerConfig;
import dev.sedge.node.deadletter.DeadLetterStore;
import dev.sedge.node.descriptor.DescriptorParser;
import dev.sedge.node.http.ApiHandler;
import dev.sedge.node.http.ApiServer;
import dev.sedge.node.metrics.NodeMetrics;
import dev.sedge.node.registry.ArtifactStore;
import dev.sedge.node.registry.FunctionRegistry;
import dev.sedge.node.runtime.DeadLetterReplay;
import dev.sedge.node.runtime.FunctionHost;
import dev.sedge.node.runtime.LiveFunction;
import dev.sedge.node.trigger.MqttEventBinding;
import dev.sedge.node.trigger.TriggerEnvironment;
import dev.sedge.sandbox.Sandboxes;
import dev.sedge.sandbox.jvm.JvmSandbox;
import dev.sedge.sandbox.process.ProcessSandbox;
import dev.sedge.sandbox.wasm.WasmSandbox;
import dev.sedge.scaling.policy.catalog.KeepAlivePolicies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

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
    private final NodeMetrics metrics;
    /** Deadlines, retries and scaling decisions: the system's, or a test's fake clock. */
    private final Timers timers;

    private SystemTimers ownTimers;
    private MqttBroker broker;
    private FunctionRegistry registry;
    private DeadLetterStore deadLetters;
    private BrokerStore brokerStore;
    private FunctionHost host;
    private ApiServer api;
    private BridgeState bridgeState;
    private MqttBridge bridge;

    public Node(NodeConfig config) {
        this(config, null);
    }

    /**
     * A node whose dispatchers take their time from {@code timers}: tests step a fake clock through
     * scale-to-zero instead of waiting for it.
     *
     * @param timers the timers to use, or null for the system's
     */
    public Node(NodeConfig config, Timers timers) {
        this.config = config;
        this.timers = timers;
        // Instance-seconds on the dispatchers' clock: a test's fake one, or the system's (SystemTimers').
        this.metrics = new NodeMetrics(timers != null ? timers::nanoTime : System::nanoTime);
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
            Timers time = timers;
            if (time == null) {
                ownTimers = new SystemTimers("sedge-timer");
                time = ownTimers;
            }
            DispatcherEnvironment env = new DispatcherEnvironment(
                    metrics,
                    metrics,
                    (topic, payload) -> broker.publish(Message.of(topic, payload, 0)),
                    time,
                    clock,
                    System::nanoTime,
                    ThreadLocalRandom.current(),
                    new WarmPlanner(name ->
                            KeepAlivePolicies.create(name, config.keepAlive().context(), null)));
            MqttEventBinding binding = new MqttEventBinding(
                    json, clock, UUID.randomUUID().toString().substring(0, 8) + "-");
            TriggerEnvironment triggers = new TriggerEnvironment(
                    binding, broker, time, System::currentTimeMillis, deadLetters, metrics, clock);
            FunctionHost.Listener listener = new FunctionHost.Listener() {
                @Override
                public void activated(LiveFunction f) {
                    metrics.functionActivated(f.descriptor().name(), f, f.dispatcher()::status);
                }

                @Override
                public void deactivated(LiveFunction f) {
                    metrics.functionDeactivated(f.descriptor().name(), f);
                }
            };
            TriggerGroups groups = null;
            BridgeOptions bridged = config.bridge();
            if (bridged != null) {
                bridgeState = new BridgeState(config.dataDir().resolve("bridge.mv.db"));
                String clientId = bridged.clientId() != null ? bridged.clientId() : bridgeState.clientId();
                bridge = new MqttBridge(bridged.toConfig(clientId), broker.router(), bridgeState);
                groups = new TriggerGroups(bridged.group());
                listener = FunctionHost.Listener.both(listener, new BridgedTriggers(bridge, groups));
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
                    triggers,
                    config.scale(),
                    config.keepAlive().prewarm(),
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
            metrics.counter(
                    "sedge.mqtt.publishers.paused",
                    "Times a client connection stopped being read because a function's queue it fed was full",
                    () -> broker.stats().publishersPausedTotal());
            metrics.gauge(
                    "sedge.mqtt.publishers.paused.now",
                    "Client connections not being read now because a function's queue they feed is full",
                    () -> broker.stats().publishersPausedNow());
            metrics.gauge(
                    "sedge.functions.active",
                    "Functions active on this node",
                    () -> host.all().size());

            // Every trigger is back before the listener opens: a reading published the moment the port
            // accepts finds its function, instead of being acknowledged with nothing to run it.
            int restored = deployments.restore();
            if (restored > 0) {
                LOG.log(System.Logger.Level.INFO, "restored {0} function(s) from {1}", restored, config.dataDir());
            }
            broker.start();
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
                            new DeadLetterReplay(host)));
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
        if (ownTimers != null) {
            ownTimers.close();
            ownTimers = null;
        }
        metrics.close();
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
