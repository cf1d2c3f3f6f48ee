package dev.sedge.broker.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;

/**
 * The client certificate a TLS handshake verified, for the connection handler to hand to the
 * authenticator. Stateless and thread-safe.
 */
public final class PeerCertificates {

    private PeerCertificates() {}

    /**
     * The client's certificate, verified against the listener's CA file by a completed handshake.
     *
     * @return the certificate, or null when the channel has no TLS handler, the handshake has not
     *     succeeded (yet), or the client presented no certificate (client authentication optional or none)
     */
    public static X509Certificate verifiedCertificate(Channel channel) {
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls == null || !tls.handshakeFuture().isSuccess()) {
            return null;
        }
        try {
            // The JDK engine fails the handshake on a certificate that does not verify, so whatever a
            // successful handshake reports here has been verified.
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? x509 : null;
        } catch (SSLPeerUnverifiedException e) {
            return null; // no certificate presented
        }
    }

    /** The CN of {@link #verifiedCertificate}, or null when there is none or it has no CN. */
    public static String verifiedCommonName(Channel channel) {
        X509Certificate cert = verifiedCertificate(channel);
        return cert == null ? null : commonName(cert.getSubjectX500Principal());
    }

    /**
     * The most specific (leftmost in RFC 2253 order) CN of a distinguished name, or null when it has none.
     */
    public static String commonName(X500Principal subject) {
        List<Rdn> rdns;
        try {
            rdns = new LdapName(subject.getName(X500Principal.RFC2253)).getRdns();
        } catch (InvalidNameException e) {
            return null; // the JDK printed it, so it parses; no CN to offer otherwise
        }
        // LdapName lists RDNs from the right (least specific) to the left.
        for (int i = rdns.size() - 1; i >= 0; i--) {
            // An RDN may be multi-valued ("CN=x+OU=y"): look the CN up among its attributes.
            Attribute cn = rdns.get(i).toAttributes().get("CN");
            try {
                if (cn != null && cn.get() instanceof String name && !name.isEmpty()) {
                    return name;
                }
            } catch (NamingException e) {
                return null; // cannot happen for in-memory attributes
            }
        }
        return null;
    }
}
