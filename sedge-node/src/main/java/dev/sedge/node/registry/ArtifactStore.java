package dev.sedge.node.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Function artifacts stored by content hash under {@code <data-dir>/artifacts}: the same bytes are
 * stored once, and a stored file never changes. Thread-safe: writes go to a temporary file and are
 * moved into place atomically.
 */
public final class ArtifactStore {

    private final Path dir;

    public ArtifactStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create artifact directory " + dir, e);
        }
    }

    /**
     * Stores bytes; returns the stored file, named {@code <sha256><extension>}.
     *
     * @param originalName the name the artifact had, for its extension (such as {@code .jar})
     */
    public Path put(byte[] bytes, String originalName) throws IOException {
        String name = sha256(bytes) + extension(originalName);
        Path target = dir.resolve(name);
        if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
            return target;
        }
        Path tmp = Files.createTempFile(dir, "upload-", ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /** The stored file of a name returned by {@link #put}. */
    public Path resolve(String storedName) {
        Path p = dir.resolve(storedName).normalize();
        if (!p.startsWith(dir)) {
            throw new IllegalArgumentException("artifact name escapes the store: " + storedName);
        }
        return p;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    private static String extension(String name) {
        if (name == null) {
            return "";
        }
        String base = name.substring(name.lastIndexOf('/') + 1);
        int dot = base.lastIndexOf('.');
        if (dot <= 0) {
            return "";
        }
        String ext = base.substring(dot).toLowerCase(Locale.ROOT);
        return ext.matches("\\.[a-z0-9]{1,8}") ? ext : "";
    }
}
