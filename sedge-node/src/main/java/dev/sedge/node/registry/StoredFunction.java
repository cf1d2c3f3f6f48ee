package dev.sedge.node.registry;

/**
 * A deployed function as the registry keeps it.
 *
 * @param name the function's name
 * @param descriptor the descriptor as deployed, in JSON
 * @param artifact the stored artifact's name in the {@link ArtifactStore}
 * @param deployedAt when it was deployed, ISO-8601 UTC
 */
public record StoredFunction(String name, String descriptor, String artifact, String deployedAt) {}
