package dev.sedge.broker.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A stored password: PBKDF2-HMAC-SHA256 with a per-user random salt and an iteration count, encoded as
 * one self-describing string {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (salt and hash in standard
 * Base64). Immutable and thread-safe.
 */
public final class PasswordHash {

    public static final String SCHEME = "pbkdf2-sha256";
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256; about 0.15 s of one x86 core per check. */
    public static final int ITERATIONS_DEFAULT = 600_000;

    public static final int ITERATIONS_MIN = 10_000;
    public static final int ITERATIONS_MAX = 100_000_000;
    public static final int SALT_BYTES_DEFAULT = 16;
    public static final int SALT_BYTES_MIN = 8;
    public static final int SALT_BYTES_MAX = 64;
    public static final int HASH_BYTES_DEFAULT = 32;
    public static final int HASH_BYTES_MIN = 16;
    public static final int HASH_BYTES_MAX = 64;

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /**
     * Hashes a new password with a fresh random salt.
     *
     * @throws IllegalArgumentException if the password is empty or the iterations are out of range
     */
    public static PasswordHash create(byte[] password, int iterations, SecureRandom random) {
        if (password.length == 0) {
            throw new IllegalArgumentException("the password must not be empty");
        }
        checkIterations(iterations);
        byte[] salt = new byte[SALT_BYTES_DEFAULT];
        random.nextBytes(salt);
        return new PasswordHash(iterations, salt, Pbkdf2.derive(password, salt, iterations, HASH_BYTES_DEFAULT));
    }

    /**
     * Reads the encoded form.
     *
     * @throws IllegalArgumentException with a one-line reason naming the bad part; the reason never
     *     quotes the hash or a text that is not a hash at all, which may be a plain password
     */
    public static PasswordHash parse(String encoded) {
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            String scheme = parts.length == 4 ? " \"" + parts[0] + "\"" : "";
            throw new IllegalArgumentException("not a " + SCHEME + " hash" + scheme + " (expected " + SCHEME
                    + "$ITERATIONS$SALT$HASH; create entries with sedge passwd)");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("iterations \"" + parts[1] + "\" is not a number");
        }
        checkIterations(iterations);
        byte[] salt = base64(parts[2], "salt", SALT_BYTES_MIN, SALT_BYTES_MAX);
        byte[] hash = base64(parts[3], "hash", HASH_BYTES_MIN, HASH_BYTES_MAX);
        return new PasswordHash(iterations, salt, hash);
    }

    private static void checkIterations(int iterations) {
        if (iterations < ITERATIONS_MIN || iterations > ITERATIONS_MAX) {
            throw new IllegalArgumentException(
                    "iterations " + iterations + " out of range (" + ITERATIONS_MIN + ".." + ITERATIONS_MAX + ")");
        }
    }

    private static byte[] base64(String text, String what, int min, int max) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not Base64");
        }
        if (bytes.length < min || bytes.length > max) {
            throw new IllegalArgumentException(
                    what + " is " + bytes.length + " bytes long (" + min + ".." + max + " allowed)");
        }
        return bytes;
    }

    /** True when the password hashes to this hash. Compares in constant time; slow by design. */
    public boolean matches(byte[] password) {
        if (password.length == 0) {
            return false; // never stored: create refuses it
        }
        return MessageDigest.isEqual(hash, Pbkdf2.derive(password, salt, iterations, hash.length));
    }

    public int iterations() {
        return iterations;
    }

    /** The self-describing form stored in the users file. */
    public String encoded() {
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** A hash of a random password with the given cost: checked against for unknown users, see callers. */
    static PasswordHash decoy(int iterations, SecureRandom random) {
        byte[] password = new byte[16];
        random.nextBytes(password);
        return create(password, iterations, random);
    }

    @Override
    public String toString() {
        // Never the hash itself: this may end up in a log.
        return SCHEME + "$" + iterations + "$...";
    }
}
