package dev.sedge.broker.auth;

/**
 * Decides whether a connecting client may connect, and as which user. The connection handler calls it
 * once per CONNECT and answers a refusal with the CONNACK code of {@link AuthResult.Refused#reason()}.
 *
 * <p>Implementations are thread-safe. A call may take milliseconds of CPU (a password hash is
 * deliberately slow), so the connection handler runs it off the event loop, for example on a virtual
 * thread, and hops back to the channel's executor with the result.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * Authenticates one CONNECT.
     *
     * @param clientId the client identifier, after the broker assigned one if the client sent none
     * @param username the User Name field of the CONNECT, or null when absent
     * @param password the Password field of the CONNECT, or null when absent; not kept after the call
     * @param certificateCommonName the CN of the client certificate verified by the TLS handshake (see
     *     {@code dev.sedge.broker.tls.PeerCertificates#verifiedCommonName}), or null when the connection
     *     is not TLS or the client presented no certificate
     * @return allowed with the effective user name (null for an anonymous client), or refused with the
     *     reason
     */
    AuthResult authenticate(String clientId, String username, byte[] password, String certificateCommonName);
}
