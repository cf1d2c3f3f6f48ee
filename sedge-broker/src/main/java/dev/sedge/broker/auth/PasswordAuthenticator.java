package dev.sedge.broker.auth;

import dev.sedge.broker.auth.AuthResult.RefusalReason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates by verified client certificate, by user name and password from a {@link UsersFile}, or
 * lets a client in anonymously. In this order:
 *
 * <ol>
 *   <li>With certificate identity on and a verified client certificate, its CN is the user; user name
 *       and password in the CONNECT are not looked at.
 *   <li>With a users file, a client that sends a user name must send that user's password; a wrong
 *       password, an unknown user and a password without a user name are refused as bad user name or
 *       password. A client that sends neither is anonymous.
 *   <li>Without a users file nothing can be checked: a user name the client sends is not trusted and
 *       the client is anonymous.
 *   <li>An anonymous client is allowed if {@code allowAnonymous}, else refused as not authorized.
 * </ol>
 *
 * <p>Thread-safe. Checking a password costs a PBKDF2 derivation, so that devices reconnecting after an
 * outage do not each pay it again, the last password that succeeded per user is remembered as an HMAC
 * under a key that lives only in this object's memory; at most one entry per user of the file.
 */
public final class PasswordAuthenticator implements Authenticator {

    private static final String HMAC = "HmacSHA256";

    private final UsersFile users;
    private final boolean allowAnonymous;
    private final boolean certificateIdentity;
    private final PasswordHash decoy;
    private final SecretKeySpec rememberKey;
    private final ConcurrentHashMap<String, byte[]> remembered = new ConcurrentHashMap<>();

    /**
     * @param users the users file, or null when none is configured
     * @param allowAnonymous whether clients without credentials (or certificate) may connect
     * @param certificateIdentity whether a verified client certificate's CN is taken as the user
     * @param random the source of this object's secrets
     */
    public PasswordAuthenticator(
            UsersFile users, boolean allowAnonymous, boolean certificateIdentity, SecureRandom random) {
        this.users = users;
        this.allowAnonymous = allowAnonymous;
        this.certificateIdentity = certificateIdentity;
        // An unknown user costs as much as the dearest known one, so timing does not tell which names exist.
        this.decoy = users == null ? null : PasswordHash.decoy(users.maxIterations(), random);
        byte[] key = new byte[32];
        random.nextBytes(key);
        this.rememberKey = new SecretKeySpec(key, HMAC);
    }

    /** Lets every client in; a verified certificate's CN still names the user. */
    public static PasswordAuthenticator open() {
        return new PasswordAuthenticator(null, true, true, new SecureRandom());
    }

    @Override
    public AuthResult authenticate(String clientId, String username, byte[] password, String certificateCommonName) {
        if (certificateIdentity && certificateCommonName != null && !certificateCommonName.isEmpty()) {
            return AuthResult.allowed(certificateCommonName);
        }
        if (users != null && (username != null || password != null)) {
            return checkPassword(username, password);
        }
        return allowAnonymous ? AuthResult.ANONYMOUS : AuthResult.refused(RefusalReason.NOT_AUTHORIZED);
    }

    private AuthResult checkPassword(String username, byte[] password) {
        PasswordHash stored = username == null ? null : users.hash(username);
        byte[] given = password == null ? new byte[0] : password;
        if (stored == null || given.length == 0) {
            decoy.matches(given.length == 0 ? new byte[1] : given);
            return AuthResult.refused(RefusalReason.BAD_USER_NAME_OR_PASSWORD);
        }
        byte[] fingerprint = fingerprint(username, given);
        byte[] last = remembered.get(username);
        if (last != null && MessageDigest.isEqual(last, fingerprint)) {
            return AuthResult.allowed(username);
        }
        if (!stored.matches(given)) {
            return AuthResult.refused(RefusalReason.BAD_USER_NAME_OR_PASSWORD);
        }
        remembered.put(username, fingerprint);
        return AuthResult.allowed(username);
    }

    private byte[] fingerprint(String username, byte[] password) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(rememberKey);
            // The name is inside the MAC too, so that an entry can only ever vouch for its own user.
            mac.update(username.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(password);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + HMAC, e);
        }
    }

    @Override
    public String toString() {
        return "PasswordAuthenticator[users=" + (users == null ? "none" : users.path() + " (" + users.size() + ")")
                + ", allowAnonymous=" + allowAnonymous + ", certificateIdentity=" + certificateIdentity + "]";
    }
}
