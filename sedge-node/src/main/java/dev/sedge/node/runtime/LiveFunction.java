package dev.sedge.node.runtime;

import dev.sedge.broker.router.Router;
import dev.sedge.dataplane.Dispatcher;
import dev.sedge.node.descriptor.FunctionDescriptor;
import java.nio.file.Path;
import java.util.List;

/**
 * A function that is active on this node: its descriptor, its dispatcher and its triggers'
 * subscriptions in the router.
 */
public record LiveFunction(
        FunctionDescriptor descriptor, Path artifact, Dispatcher dispatcher, List<Router.Subscription> subscriptions) {}
