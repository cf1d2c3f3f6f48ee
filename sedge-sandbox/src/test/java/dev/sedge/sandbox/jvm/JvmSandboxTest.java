package dev.sedge.sandbox.jvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Result;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Instance;
import dev.sedge.sandbox.SandboxException;
import dev.sedge.sandbox.jvm.fixtures.NotAFunction;
import dev.sedge.sandbox.jvm.fixtures.Throws;
import dev.sedge.sandbox.jvm.fixtures.Upper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmSandboxTest {

    @TempDir
    static Path dir;

    static Path jar;

    /** Packs the fixture classes into a real jar, as a function author's build would. */
    @BeforeAll
    static void packFixtures() throws IOException {
        jar = dir.resolve("fixtures.jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out)) {
            for (Class<?> c : new Class<?>[] {Upper.class, NotAFunction.class, Throws.class}) {
                String entry = c.getName().replace('.', '/') + ".class";
                j.putNextEntry(new JarEntry(entry));
                try (InputStream in = c.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(j);
                }
                j.closeEntry();
            }
        }
    }

    private static FunctionSpec spec(Path artifact, String handler) {
        return new FunctionSpec("f", "jvm", artifact, handler, Duration.ofSeconds(1), 0, 0, 1, Map.of());
    }

    private static final Context CONTEXT = new Context() {
        @Override
        public String functionName() {
            return "f";
        }

        @Override
        public String invocationId() {
            return "1";
        }

        @Override
        public boolean coldStart() {
            return true;
        }

        @Override
        public Instant deadline() {
            return Instant.MAX;
        }

        @Override
        public System.Logger logger() {
            return System.getLogger("test");
        }

        @Override
        public void publish(String topic, byte[] payload) {}
    };

    @Test
    void runsTheHandlerInItsOwnLoaderThatHidesTheNode() throws Exception {
        JvmSandbox sandbox = new JvmSandbox();
        sandbox.check(spec(jar, Upper.class.getName()));
        try (Instance instance = sandbox.start(spec(jar, Upper.class.getName()))) {
            Event event =
                    Event.builder().id("1").source("s").type("t").data("hello").build();
            Result r = instance.invoke(event, CONTEXT);
            assertThat(r.dataAsString()).isEqualTo("HELLO node-hidden");
        }
    }

    @Test
    void handlerExceptionsReachTheCaller() throws Exception {
        try (Instance instance = new JvmSandbox().start(spec(jar, Throws.class.getName()))) {
            Event event = Event.builder().id("1").source("s").type("t").build();
            assertThatThrownBy(() -> instance.invoke(event, CONTEXT)).hasMessage("boom");
        }
    }

    @Test
    void refusesAMissingJar() {
        assertThatThrownBy(() -> new JvmSandbox().check(spec(dir.resolve("nope.jar"), "x.Y")))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("spec.artifact: no such file");
    }

    @Test
    void refusesAFileThatIsNotAJar() throws IOException {
        Path notJar = Files.writeString(dir.resolve("not.jar"), "hello");
        assertThatThrownBy(() -> new JvmSandbox().check(spec(notJar, "x.Y")))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("spec.artifact: not a jar file");
    }

    @Test
    void refusesAMissingHandlerClass() {
        assertThatThrownBy(() -> new JvmSandbox().check(spec(jar, "com.example.Missing")))
                .isInstanceOf(SandboxException.class)
                .hasMessage("spec.handler: class com.example.Missing not found in fixtures.jar");
    }

    @Test
    void refusesAClassThatIsNotAFunction() {
        assertThatThrownBy(() -> new JvmSandbox().check(spec(jar, NotAFunction.class.getName())))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("does not implement dev.sedge.api.Function");
    }

    @Test
    void refusesAMissingHandlerName() {
        assertThatThrownBy(() -> new JvmSandbox().check(spec(jar, null)))
                .isInstanceOf(SandboxException.class)
                .hasMessageStartingWith("spec.handler: required");
    }
}
