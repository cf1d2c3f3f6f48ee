package dev.sedge.broker.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The files of a TLS listener. Immutable; the combination is checked on construction, the files when
 * {@link #newServerContext()} reads them.
 *
 * @param certFile PEM: the server certificate first, then the intermediate certificates, if any
 * @param keyFile PEM: the server's unencrypted private key, PKCS#8 or traditional RSA / EC
 * @param caFile PEM: the certificates that client certificates must chain to, or null without client
 *     authentication
 * @param clientAuth whether clients are asked for a certificate; not {@code NONE} only with a CA file
 */
public record TlsConfig(Path certFile, Path keyFile, Path caFile, ClientAuthMode clientAuth) {

    /** TLS 1.3 and 1.2 only: older versions have known weaknesses and no MQTT client needs them. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    public TlsConfig {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(clientAuth, "clientAuth");
        if (clientAuth != ClientAuthMode.NONE && caFile == null) {
            throw new IllegalArgumentException("tls.clientAuth: \"" + clientAuth.word()
                    + "\" needs tls.caFile, the CA that client certificates chain to");
        }
        if (clientAuth == ClientAuthMode.NONE && caFile != null) {
            throw new IllegalArgumentException("tls.caFile is set but tls.clientAuth is \"none\": set clientAuth to"
                    + " optional or required, or remove caFile");
        }
    }

    /**
     * Reads the files and builds a server context on the JDK's TLS implementation.
     *
     * @throws TlsSetupException naming the setting and file that is unreadable, malformed, or a key that
     *     does not belong to the certificate
     */
    public SslContext newServerContext() throws TlsSetupException {
        List<X509Certificate> chain = PemFiles.certificates(certFile, "tls.certFile");
        PrivateKey key = PemFiles.privateKey(keyFile, "tls.keyFile");
        if (!belongTogether(key, chain.getFirst())) {
            throw new TlsSetupException(
                    "tls.keyFile " + keyFile + ": the key does not belong to the first certificate in " + certFile
                            + " (" + chain.getFirst().getSubjectX500Principal() + ")");
        }
        SslContextBuilder builder = SslContextBuilder.forServer(key, chain)
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS)
                .clientAuth(clientAuth.netty());
        if (caFile != null) {
            builder.trustManager(PemFiles.certificates(caFile, "tls.caFile"));
        }
        try {
            return builder.build();
        } catch (javax.net.ssl.SSLException | RuntimeException e) {
            throw new TlsSetupException(
                    "tls: cannot build a context from " + certFile + " and " + keyFile + ": " + e, e);
        }
    }

    /** Signs with the key and verifies with the certificate; true for key types this does not know. */
    private static boolean belongTogether(PrivateKey key, X509Certificate cert) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return true; // the handshake will tell
        }
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // the certificate's key cannot verify what this key signs: not a pair
        }
    }
}
