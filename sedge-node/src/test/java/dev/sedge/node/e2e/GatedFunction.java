package dev.sedge.node.e2e;

import dev.sedge.node.e2e.fixtures.Gated;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * A deployable {@link Gated} function whose events each wait for a permit of {@link #gate}: its jar and
 * descriptor in a folder of the test's, and the gate handed to it through the system properties until
 * {@link #close()}. One at a time per JVM.
 */
final class GatedFunction implements AutoCloseable {

    final Semaphore gate = new Semaphore(0);
    final Path descriptor;

    /**
     * A jvm function {@code name} with {@code scale: {max: max}} and a QoS 1 trigger acknowledged on receipt;
     * Knative's scale to zero ({@code prewarm: knative}), which the tests that count its instances expect.
     */
    GatedFunction(Path dir, String name, int max, String filter) throws IOException {
        System.getProperties().put(Gated.GATE, gate);
        Path jar = FixtureJar.of(dir.resolve(name + ".jar"), Gated.class);
        descriptor = dir.resolve(name + ".yaml");
        Files.writeString(descriptor, """
                apiVersion: sedge.dev/v1alpha1
                kind: Function
                metadata: {name: %s}
                spec:
                  runtime: jvm
                  artifact: %s
                  handler: %s
                  scale: {max: %d, prewarm: knative}
                  triggers:
                  - mqtt: {filter: "%s", qos: 1, ack: on-receipt}
                """.formatted(name, jar, Gated.class.getName(), max, filter));
    }

    @Override
    public void close() {
        System.getProperties().remove(Gated.GATE);
    }
}
