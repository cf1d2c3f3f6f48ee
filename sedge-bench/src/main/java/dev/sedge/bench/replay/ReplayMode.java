package dev.sedge.bench.replay;

import java.util.List;

/**
 * How the replay's functions are deployed: as the node scales any function (serverless), or each kept
 * at one instance at least (serverful, {@code scale.min: 1}), as a server would be. Immutable.
 */
public enum ReplayMode {
    /** The node's defaults: no {@code spec.scale} at all, so its keep-alive policy decides. */
    serverless,
    /** {@code scale.min: 1}: every function has an instance from deploy to removal. */
    serverful,
    /** Both, one after the other on the same node: serverless first, then serverful. */
    both;

    /** The modes one run of this choice replays, in order. */
    List<ReplayMode> runs() {
        return this == both ? List.of(serverless, serverful) : List.of(this);
    }

    /** The descriptor's {@code spec.scale.min}, or null to leave the node's default. */
    Integer scaleMin() {
        return this == serverful ? 1 : null;
    }
}
