package dev.sedge.bench.replay;

import dev.sedge.bench.function.EchoFunction;
import dev.sedge.bench.targets.FunctionJar;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The function every replayed key is deployed as: it replies with the payload it got, unchanged. For
 * {@code wasm} the benchmarks' {@code echo.wasm} (see {@code echo.wat} beside it); for {@code jvm} the
 * harness's {@link EchoFunction} in a jar of its own. Immutable in use: the bytes are read once and only
 * ever uploaded, never written.
 *
 * @param runtime the descriptor's {@code spec.runtime}
 * @param fileName the uploaded artifact's name
 * @param bytes the artifact
 * @param handler the descriptor's {@code spec.handler}
 */
record EchoArtifact(String runtime, String fileName, byte[] bytes, String handler) {

    static final String WASM_MODULE = "/dev/sedge/bench/wasm/echo.wasm";

    /** The artifact for {@code runtime}: {@code wasm} or {@code jvm}. */
    static EchoArtifact forRuntime(String runtime) throws IOException {
        return switch (runtime) {
            case "wasm" -> new EchoArtifact("wasm", "echo.wasm", wasmModule(), "handle");
            case "jvm" -> new EchoArtifact("jvm", "echo.jar", jvmJar(), EchoFunction.class.getName());
            default -> throw new IllegalArgumentException("--runtime: unknown \"" + runtime + "\" (use wasm or jvm)");
        };
    }

    private static byte[] wasmModule() throws IOException {
        try (InputStream in = EchoArtifact.class.getResourceAsStream(WASM_MODULE)) {
            if (in == null) {
                throw new IOException(WASM_MODULE + " is not on the class path");
            }
            return in.readAllBytes();
        }
    }

    private static byte[] jvmJar() throws IOException {
        Path jar = Files.createTempFile("sedge-replay-echo", ".jar");
        try {
            return Files.readAllBytes(FunctionJar.write(EchoFunction.class, jar));
        } finally {
            Files.deleteIfExists(jar);
        }
    }
}
