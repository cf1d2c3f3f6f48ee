package dev.sedge.node.runtime;

import dev.sedge.broker.MqttBroker;
import dev.sedge.broker.router.Router;
import dev.sedge.dataplane.Dispatcher;
import dev.sedge.dataplane.DispatcherConfig;
import dev.sedge.dataplane.DispatcherEnvironment;
import dev.sedge.node.bridge.TriggerGroups;
import dev.sedge.node.descriptor.DescriptorException;
import dev.sedge.node.descriptor.FunctionDescriptor;
import dev.sedge.node.descriptor.Prewarm;
import dev.sedge.node.trigger.MqttTrigger;
import dev.sedge.node.trigger.TriggerEnvironment;
import dev.sedge.sandbox.ColdStart;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Instance;
import dev.sedge.sandbox.Sandbox;
import dev.sedge.sandbox.SandboxException;
import dev.sedge.sandbox.Sandboxes;
import dev.sedge.scaling.ScaleSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The functions active on this node: for each, a dispatcher and its triggers attached to the broker's
 * router. Thread-safe; activation and deactivation are serialised.
 */
public final class FunctionHost implements AutoCloseable {

    private final MqttBroker broker;
    private final Sandboxes sandboxes;
    private final DispatcherEnvironment environment;
    private final TriggerEnvironment triggers;
    private final ScaleSettings scaleDefaults;
    private final String prewarmDefault;
    private final Listener listener;
    private final TriggerGroups bridged;
    private final Map<String, LiveFunction> live = new ConcurrentHashMap<>();

    /**
     * Told when functions come and go, after their triggers attached to the router or detached from it:
     * how a bridge follows deploy and delete. A replaced function is reported as the new one activated,
     * then the old one deactivated, so that what both hold is never given up in between. Called with the
     * host's lock held: must not block, must not throw.
     */
    public interface Listener {
        Listener NONE = new Listener() {
            @Override
            public void activated(LiveFunction f) {}

            @Override
            public void deactivated(LiveFunction f) {}
        };

        void activated(LiveFunction f);

        void deactivated(LiveFunction f);

        /** Both listeners, {@code first} first. */
        static Listener both(Listener first, Listener second) {
            return new Listener() {
                @Override
                public void activated(LiveFunction f) {
                    first.activated(f);
                    second.activated(f);
                }

                @Override
                public void deactivated(LiveFunction f) {
                    first.deactivated(f);
                    second.deactivated(f);
                }
            };
        }
    }

    /**
     * @param scaleDefaults the node's scaling settings, under what each descriptor's {@code spec.scale} says
     * @param prewarmDefault the keep-alive policy of a function whose {@code spec.scale.prewarm} names none
     *     ({@link Prewarm})
     * @param listener told of every activation and deactivation
     * @param bridged the shared subscriptions that feed triggers from the external broker, or null when
     *     the node is not bridged
     */
    public FunctionHost(
            MqttBroker broker,
            Sandboxes sandboxes,
            DispatcherEnvironment environment,
            TriggerEnvironment triggers,
            ScaleSettings scaleDefaults,
            String prewarmDefault,
            Listener listener,
            TriggerGroups bridged) {
        this.broker = broker;
        this.sandboxes = sandboxes;
        this.environment = environment;
        this.triggers = triggers;
        this.scaleDefaults = scaleDefaults;
        this.prewarmDefault = prewarmDefault;
        this.listener = listener;
        this.bridged = bridged;
    }

    /**
     * How a descriptor's dispatcher behaves on this node: its own settings over the node's defaults,
     * including the keep-alive policy that owns its step between zero and one instance.
     *
     * @throws DescriptorException naming the field when the two together are not valid
     */
    public DispatcherConfig dispatcherConfig(FunctionDescriptor d) throws DescriptorException {
        try {
            return DispatcherConfig.of(d.name(), d.concurrency(), d.timeout())
                    .withRetry(d.retry())
                    .withQueue(d.queue().max(), d.queue().overflow())
                    .withScale(d.scale().over(scaleDefaults))
                    .withKeepAlive(Prewarm.policy(
                            d.scale().prewarm() != null ? d.scale().prewarm() : prewarmDefault));
        } catch (IllegalArgumentException e) {
            throw new DescriptorException("spec.scale." + e.getMessage());
        }
    }

    /** The sandbox spec of a descriptor whose artifact is stored at the given path. */
    public static FunctionSpec spec(FunctionDescriptor d, Path artifact) {
        return new FunctionSpec(
                d.name(),
                d.runtime(),
                artifact,
                d.handler(),
                d.timeout(),
                d.memoryBytes(),
                d.cpuMillis(),
                d.concurrency(),
                d.env());
    }

    /**
     * Checks, without activating, that the function could run here.
     *
     * @throws SandboxException with a one-line reason
     */
    public void check(FunctionDescriptor d, Path artifact) throws SandboxException {
        namedAsTheUserDid(sandbox(d), d, artifact).check(spec(d, artifact));
    }

    /** The sandbox, with its refusals to deploy or to start rewritten by {@link #asTheUserNamedIt}. */
    private static Sandbox namedAsTheUserDid(Sandbox sandbox, FunctionDescriptor d, Path artifact) {
        return new Sandbox() {
            @Override
            public String runtime() {
                return sandbox.runtime();
            }

            @Override
            public void check(FunctionSpec spec) throws SandboxException {
                try {
                    sandbox.check(spec);
                } catch (SandboxException e) {
                    throw new SandboxException(asTheUserNamedIt(e.getMessage(), d, artifact), e);
                }
            }

            @Override
            public Instance start(FunctionSpec spec, ColdStart timing) throws SandboxException {
                try {
                    return sandbox.start(spec, timing);
                } catch (SandboxException e) {
                    throw new SandboxException(asTheUserNamedIt(e.getMessage(), d, artifact), e);
                }
            }
        };
    }

    /**
     * A sandbox names the artifact by its file in the artifact store, a content hash the user never saw;
     * a message for the user names it as the descriptor did.
     */
    static String asTheUserNamedIt(String message, FunctionDescriptor d, Path stored) {
        if (message == null) {
            return null;
        }
        return message.replace(stored.toString(), d.artifact())
                .replace(String.valueOf(stored.getFileName()), d.artifact());
    }

    /**
     * Activates a function, replacing an active one of the same name.
     *
     * @param restored true when the node restores it at start: its initial scale is for a new deployment
     *     (as Knative's is for a new revision), so a restored function starts at zero, or at its minimum
     */
    public synchronized LiveFunction activate(FunctionDescriptor d, Path artifact, boolean restored)
            throws SandboxException, DescriptorException {
        Sandbox sandbox = namedAsTheUserDid(sandbox(d), d, artifact);
        DispatcherConfig config = dispatcherConfig(d);
        if (restored) {
            ScaleSettings s = config.scale();
            config = config.withScale(s.withBounds(s.min(), s.max(), 0));
        }
        LiveFunction old = detach(d.name());
        Dispatcher dispatcher = new Dispatcher(config, sandbox, spec(d, artifact), environment);
        List<Router.Subscription> subs = new ArrayList<>();
        for (FunctionDescriptor.MqttTrigger t : d.triggers()) {
            MqttTrigger trigger = new MqttTrigger(
                    d.name(), t, dispatcher, triggers, bridged == null ? null : bridged.sharedFilter(t));
            subs.add(broker.router().subscribe(new Router.Subscription(t.filter(), t.qos(), trigger, null, false)));
        }
        LiveFunction f = new LiveFunction(d, artifact, dispatcher, List.copyOf(subs));
        live.put(d.name(), f);
        listener.activated(f);
        if (old != null) {
            listener.deactivated(old);
        }
        return f;
    }

    /** Detaches the function's triggers and closes its dispatcher; returns whether it was active. */
    public synchronized boolean deactivate(String name) {
        LiveFunction f = detach(name);
        if (f == null) {
            return false;
        }
        listener.deactivated(f);
        return true;
    }

    private LiveFunction detach(String name) {
        LiveFunction f = live.remove(name);
        if (f == null) {
            return null;
        }
        for (Router.Subscription s : f.subscriptions()) {
            broker.router().unsubscribe(s);
        }
        f.dispatcher().close();
        return f;
    }

    public LiveFunction get(String name) {
        return live.get(name);
    }

    public Collection<LiveFunction> all() {
        return live.values();
    }

    private Sandbox sandbox(FunctionDescriptor d) throws SandboxException {
        Sandbox s = sandboxes.get(d.runtime());
        if (s == null) {
            throw new SandboxException("spec.runtime: \"" + d.runtime()
                    + "\" is not available on this node (available: " + String.join(", ", sandboxes.runtimes()) + ")");
        }
        return s;
    }

    @Override
    public synchronized void close() {
        for (String name : List.copyOf(live.keySet())) {
            deactivate(name);
        }
    }
}
