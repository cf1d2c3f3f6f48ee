package dev.sedge.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.node.descriptor.DescriptorException;
import dev.sedge.node.descriptor.DescriptorParser;
import dev.sedge.node.descriptor.FunctionDescriptor;
import dev.sedge.node.registry.ArtifactStore;
import dev.sedge.node.registry.FunctionRegistry;
import dev.sedge.node.registry.StoredFunction;
import dev.sedge.node.runtime.FunctionHost;
import dev.sedge.sandbox.SandboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Deploying, removing and restoring functions: the descriptor is validated, the artifact stored by
 * hash and checked by its sandbox, the function recorded in the registry and then activated. A refused
 * deploy changes nothing. Thread-safe: changes are serialised.
 */
public final class Deployments {

    private static final System.Logger LOG = System.getLogger("dev.sedge.node");

    /** The outcome of a deploy. */
    public record Deployed(StoredFunction stored, FunctionDescriptor descriptor, boolean replaced) {}

    private final DescriptorParser parser;
    private final FunctionRegistry registry;
    private final ArtifactStore artifacts;
    private final FunctionHost host;
    private final ObjectMapper json;
    private final Clock clock;

    public Deployments(
            DescriptorParser parser,
            FunctionRegistry registry,
            ArtifactStore artifacts,
            FunctionHost host,
            ObjectMapper json,
            Clock clock) {
        this.parser = parser;
        this.registry = registry;
        this.artifacts = artifacts;
        this.host = host;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Deploys a descriptor.
     *
     * @param descriptorText the descriptor, YAML or JSON
     * @param artifactBytes the uploaded artifact, or null to read {@code spec.artifact} as a path on this
     *     node (absolute, or relative to the node's working directory)
     * @param artifactName the uploaded artifact's file name, or null
     */
    public synchronized Deployed deploy(String descriptorText, byte[] artifactBytes, String artifactName)
            throws DescriptorException, SandboxException, IOException {
        FunctionDescriptor d = parser.parse(descriptorText);
        host.dispatcherConfig(d); // its scaling against the node's defaults: refused here, before anything is stored
        JsonNode tree = parser.tree(descriptorText);
        if (artifactBytes == null) {
            Path path = Path.of(d.artifact());
            if (!Files.isRegularFile(path)) {
                throw new DescriptorException("spec.artifact: file not found on the node: " + d.artifact());
            }
            artifactBytes = Files.readAllBytes(path);
            artifactName = path.getFileName().toString();
        }
        Path stored = artifacts.put(artifactBytes, artifactName == null ? d.artifact() : artifactName);
        host.check(d, stored);
        boolean replaced = registry.get(d.name()) != null;
        StoredFunction record = new StoredFunction(
                d.name(),
                json.writeValueAsString(tree),
                stored.getFileName().toString(),
                clock.instant().toString());
        registry.put(record);
        host.activate(d, stored, false);
        LOG.log(
                System.Logger.Level.INFO,
                "function {0} {1} ({2}, {3} trigger(s))",
                d.name(),
                replaced ? "replaced" : "deployed",
                d.runtime(),
                d.triggers().size());
        return new Deployed(record, d, replaced);
    }

    /** Removes a function; returns whether it existed. */
    public synchronized boolean delete(String name) {
        boolean active = host.deactivate(name);
        boolean stored = registry.remove(name);
        if (active || stored) {
            LOG.log(System.Logger.Level.INFO, "function {0} deleted", name);
        }
        return active || stored;
    }

    /** Activates every function of the registry; one that cannot start is logged and left inactive. */
    public synchronized int restore() {
        int restored = 0;
        for (StoredFunction f : registry.all()) {
            try {
                FunctionDescriptor d = parser.parse(f.descriptor());
                host.activate(d, artifacts.resolve(f.artifact()), true);
                restored++;
            } catch (DescriptorException | SandboxException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "function {0} not restored: {1}", f.name(), e.getMessage());
            }
        }
        return restored;
    }

    public List<StoredFunction> list() {
        return registry.all();
    }

    public StoredFunction get(String name) {
        return registry.get(name);
    }

    public FunctionDescriptor descriptor(StoredFunction f) throws DescriptorException {
        return parser.parse(f.descriptor());
    }
}
