package dev.sedge.sandbox.wasm;

import com.dylibso.chicory.compiler.Cache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The compiler's output on disk: one file per module digest, holding the JVM classes Chicory generated
 * for it, so that a node that restarts loads them instead of compiling again.
 *
 * <p>Files live in a folder named after the Chicory version, since generated classes call into the
 * runtime that generated them. A file is written to a temporary name and moved into place, so a reader
 * never sees half a file; two nodes or threads writing the same module write the same bytes. Thread-safe.
 */
final class DiskCache implements Cache {

    private static final System.Logger LOG = System.getLogger("dev.sedge.sandbox");

    private final Path dir;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();

    DiskCache(Path root) throws IOException {
        this.dir = root.resolve("chicory-" + chicoryVersion());
        Files.createDirectories(dir);
    }

    private static String chicoryVersion() {
        try (InputStream in =
                Cache.class.getResourceAsStream("/META-INF/maven/com.dylibso.chicory/compiler/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot read the Chicory version: {0}", e.toString());
        }
        return "unknown";
    }

    Path dir() {
        return dir;
    }

    Path file(String key) {
        return dir.resolve(HexFormat.of().formatHex(key.getBytes(StandardCharsets.UTF_8)) + ".classes");
    }

    @Override
    public byte[] get(String key) throws IOException {
        try {
            byte[] bytes = Files.readAllBytes(file(key));
            hits.incrementAndGet();
            return bytes;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void putIfAbsent(String key, byte[] data) throws IOException {
        Path target = file(key);
        if (Files.exists(target)) {
            return;
        }
        Path tmp = Files.createTempFile(dir, "compiling-", ".tmp");
        try {
            Files.write(tmp, data);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            writes.incrementAndGet();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Removes an entry that could not be loaded, so that the next start compiles afresh. */
    void evict(String key) {
        try {
            Files.deleteIfExists(file(key));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove the unusable cache file {0}: {1}", file(key), e);
        }
    }

    long hits() {
        return hits.get();
    }

    long writes() {
        return writes.get();
    }
}
