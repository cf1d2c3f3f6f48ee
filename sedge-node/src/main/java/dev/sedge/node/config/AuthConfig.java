package dev.sedge.node.config;

import java.nio.file.Path;

/**
 * Who may connect to the MQTT listeners and what they may do. Immutable.
 *
 * @param usersFile the users file ({@code sedge passwd} writes it), or null for none: then no password
 *     can be checked and clients are anonymous unless a client certificate names them
 * @param aclFile the ACL file, or null for none: then every client may publish and subscribe anywhere
 * @param allowAnonymous whether a client without user name (and without verified certificate) may
 *     connect; {@link #allowAnonymousDefault}
 * @param certificateIdentity whether a verified client certificate's CN is the user name
 */
public record AuthConfig(Path usersFile, Path aclFile, boolean allowAnonymous, boolean certificateIdentity) {

    /** No users file, no ACL file: anyone may connect and do anything, as before authentication existed. */
    public static final AuthConfig NONE = new AuthConfig(null, null, true, true);

    public static final boolean CERTIFICATE_IDENTITY_DEFAULT = true;

    /** Anonymous clients are allowed by default only when there is no users file to authenticate with. */
    public static boolean allowAnonymousDefault(Path usersFile) {
        return usersFile == null;
    }
}
