package dev.sedge.broker.auth;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * PBKDF2 with HMAC-SHA256 (RFC 8018 section 5.2) over raw password bytes. The JDK's
 * {@code PBKDF2WithHmacSHA256} takes a {@code char[]}, but an MQTT password is binary data (MQTT 5.0
 * section 3.1.3.6), so the derivation is done here on top of the JDK's HMAC. Stateless and thread-safe.
 */
final class Pbkdf2 {

    private static final String HMAC = "HmacSHA256";
    private static final int HMAC_BYTES = 32;

    private Pbkdf2() {}

    /**
     * Derives {@code length} bytes.
     *
     * @param password at least one byte: HMAC pads keys with zeros, so an empty key would equal "\0"
     */
    static byte[] derive(byte[] password, byte[] salt, int iterations, int length) {
        if (password.length == 0) {
            throw new IllegalArgumentException("empty password");
        }
        Mac mac;
        try {
            mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(password, HMAC));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + HMAC, e); // required of every Java platform
        }
        byte[] out = new byte[length];
        byte[] u = new byte[HMAC_BYTES];
        byte[] t = new byte[HMAC_BYTES];
        int blocks = (length + HMAC_BYTES - 1) / HMAC_BYTES;
        try {
            for (int block = 1; block <= blocks; block++) {
                // U_1 = PRF(P, S || INT(i)); U_j = PRF(P, U_{j-1}); T_i = U_1 xor ... xor U_c
                mac.update(salt);
                mac.update(
                        new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
                mac.doFinal(u, 0);
                System.arraycopy(u, 0, t, 0, HMAC_BYTES);
                for (int j = 1; j < iterations; j++) {
                    mac.update(u);
                    mac.doFinal(u, 0);
                    for (int k = 0; k < HMAC_BYTES; k++) {
                        t[k] ^= u[k];
                    }
                }
                int offset = (block - 1) * HMAC_BYTES;
                System.arraycopy(t, 0, out, offset, Math.min(HMAC_BYTES, length - offset));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC output buffer too small", e); // cannot happen: sized above
        }
        return out;
    }
}
