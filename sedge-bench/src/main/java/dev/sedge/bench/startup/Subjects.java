package dev.sedge.bench.startup;

import dev.sedge.bench.function.NoopFunction;
import dev.sedge.bench.targets.FunctionJar;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.jvm.JvmSandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The benchmark function of each runtime. Stateless. */
final class Subjects {

    static final String PAYLOAD = "{\"celsius\": 21.5}";

    private Subjects() {}

    /** Every runtime, in report order. */
    static List<SubjectFactory> all() {
        return List.of(jvm());
    }

    static SubjectFactory named(String name) {
        for (SubjectFactory f : all()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("--runtime: unknown runtime \"" + name + "\" (use "
                + String.join(", ", all().stream().map(SubjectFactory::name).toList()) + ")");
    }

    /** The no-op jvm function in a jar of its own. */
    static SubjectFactory jvm() {
        return new SubjectFactory() {
            @Override
            public String name() {
                return JvmSandbox.RUNTIME;
            }

            @Override
            public boolean outOfProcess() {
                return false;
            }

            @Override
            public Subject create() throws IOException {
                Path dir = Files.createTempDirectory("sedge-cold-start-");
                Path jar = FunctionJar.write(NoopFunction.class, dir.resolve("noop.jar"));
                FunctionSpec spec = new FunctionSpec(
                        "noop-jvm",
                        JvmSandbox.RUNTIME,
                        jar,
                        NoopFunction.class.getName(),
                        ColdStartBench.TIMEOUT,
                        0,
                        0,
                        1,
                        Map.of());
                return new Subject(name(), new JvmSandbox(), spec, Subject.event(PAYLOAD), () -> deleteTree(dir));
            }
        };
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
