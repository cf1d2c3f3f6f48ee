package dev.sedge.node.bridge;

import dev.sedge.broker.bridge.BridgeSubscription;
import dev.sedge.broker.bridge.MqttBridge;
import dev.sedge.node.descriptor.FunctionDescriptor;
import dev.sedge.node.runtime.FunctionHost;
import dev.sedge.node.runtime.LiveFunction;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the bridge's shared subscriptions in step with the functions deployed on the node: each active
 * trigger holds {@code $share/GROUP/FILTER} at its QoS on the external broker, given back when its
 * function is deleted or replaced. Thread-safe; never blocks (the bridge sends the packets itself).
 */
public final class BridgedTriggers implements FunctionHost.Listener {

    private static final System.Logger LOG = System.getLogger("dev.sedge.bridge");

    private final MqttBridge bridge;
    private final TriggerGroups groups;
    private final Map<LiveFunction, List<BridgeSubscription>> held = new IdentityHashMap<>();

    public BridgedTriggers(MqttBridge bridge, TriggerGroups groups) {
        this.bridge = bridge;
        this.groups = groups;
    }

    @Override
    public synchronized void activated(LiveFunction f) {
        List<BridgeSubscription> subs = new ArrayList<>();
        for (FunctionDescriptor.MqttTrigger t : f.descriptor().triggers()) {
            try {
                subs.add(bridge.subscribe(groups.group(t), t.filter(), t.qos()));
            } catch (IllegalArgumentException e) {
                // The descriptor was validated; a listener must not throw into the host in any case.
                LOG.log(
                        System.Logger.Level.ERROR,
                        "{0}: trigger {1} not bridged: {2}",
                        f.descriptor().name(),
                        t.filter(),
                        e.getMessage());
            }
        }
        held.put(f, subs);
    }

    @Override
    public synchronized void deactivated(LiveFunction f) {
        List<BridgeSubscription> subs = held.remove(f);
        if (subs != null) {
            subs.forEach(bridge::unsubscribe);
        }
    }
}
