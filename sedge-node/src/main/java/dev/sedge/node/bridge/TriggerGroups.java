package dev.sedge.node.bridge;

import dev.sedge.broker.bridge.BridgeOrigin;
import dev.sedge.node.descriptor.FunctionDescriptor;

/**
 * Which shared subscription on the external broker feeds each trigger of a bridged node: {@code
 * $share/GROUP/FILTER}, with the trigger's {@code group}, or the node's default group for a trigger
 * without one, so that bridged nodes split every trigger's messages. Immutable.
 *
 * @param defaultGroup the share name of triggers without a group ({@code --bridge-group})
 */
public record TriggerGroups(String defaultGroup) {

    public String group(FunctionDescriptor.MqttTrigger t) {
        return t.group() != null ? t.group() : defaultGroup;
    }

    public String sharedFilter(FunctionDescriptor.MqttTrigger t) {
        return BridgeOrigin.sharedFilter(group(t), t.filter());
    }
}
