package dev.sedge.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a sandbox needs to know to run a function: its runtime, its artifact and its limits.
 *
 * @param name the function's name
 * @param runtime the runtime kind, such as {@code jvm}
 * @param artifact the artifact file in the node's artifact store
 * @param handler the entry point inside the artifact (jvm: a class name; wasm: the exported function,
 *     default {@code handle}; process: arguments for the executable); may be null
 * @param timeout the longest one invocation may run
 * @param memoryBytes the memory limit of one instance, 0 for none
 * @param cpuMillis the CPU limit of one instance in millicores, 0 for none
 * @param concurrency how many events one instance may handle at once
 * @param env environment given to the function
 */
public record FunctionSpec(
        String name,
        String runtime,
        Path artifact,
        String handler,
        Duration timeout,
        long memoryBytes,
        long cpuMillis,
        int concurrency,
        Map<String, String> env) {

    public FunctionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(timeout, "timeout");
        env = Map.copyOf(env);
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
    }
}
