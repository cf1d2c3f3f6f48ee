package dev.sedge.sandbox.wasm;

import com.dylibso.chicory.compiler.Cache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The compiler's output on disk: one file per module digest, holding the JVM classes Chicory generated
 * for it, so that a node that restarts loads them instead of compiling again.
 *
 * <p>Files live in a folder named after the Chicory version, since generated classes call into the
 * runtime that generated them. A file is written to a temporary name and moved into place, so a reader
 * never sees half a file; two nodes or threads writing the same module write the same bytes.
 *
 * <p>The cache is only an optimisation: a file that cannot be read or written (a full disk, a folder
 * replaced or made read-only) logs one warning and counts as a miss, so the module is compiled in memory
 * instead of failing the deploy. Thread-safe.
 */
final class DiskCache implements Cache {

    private static final System.Logger LOG = System.getLogger("dev.sedge.sandbox");

    static final String TMP_PREFIX = "compiling-";
    static final String TMP_SUFFIX = ".tmp";

    private final Path dir;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicBoolean warned = new AtomicBoolean();

    /** Temporary files older than this are left over from a writer that died; younger ones may be in use. */
    static final Duration STALE = Duration.ofHours(1);

    DiskCache(Path root) throws IOException {
        this.dir = root.resolve("chicory-" + chicoryVersion());
        Files.createDirectories(dir);
        removeStaleTemporaries();
    }

    private void removeStaleTemporaries() {
        Instant before = Instant.now().minus(STALE);
        try (DirectoryStream<Path> tmps = Files.newDirectoryStream(dir, TMP_PREFIX + "*" + TMP_SUFFIX)) {
            for (Path tmp : tmps) {
                try {
                    if (Files.getLastModifiedTime(tmp).toInstant().isBefore(before)) {
                        Files.deleteIfExists(tmp);
                    }
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "cannot remove the stale cache file {0}: {1}", tmp, e);
                }
            }
        } catch (IOException e) {
            warn("cannot list", e);
        }
    }

    private void warn(String what, IOException e) {
        if (warned.compareAndSet(false, true)) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "wasm compile cache {0}: {1} ({2}); compiling in memory when it fails (warned once)",
                    dir,
                    what,
                    e.toString());
        }
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

    /** The cached classes, or null on a miss, including a file that cannot be read. */
    @Override
    public byte[] get(String key) {
        try {
            byte[] bytes = Files.readAllBytes(file(key));
            hits.incrementAndGet();
            return bytes;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            warn("cannot read", e);
            return null;
        }
    }

    /** Stores the classes, or skips it when they cannot be written. */
    @Override
    public void putIfAbsent(String key, byte[] data) {
        Path target = file(key);
        if (Files.exists(target)) {
            return;
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, TMP_PREFIX, TMP_SUFFIX);
            Files.write(tmp, data);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            writes.incrementAndGet();
        } catch (IOException e) {
            warn("cannot write", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "cannot remove {0}: {1}", tmp, e);
                }
            }
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
