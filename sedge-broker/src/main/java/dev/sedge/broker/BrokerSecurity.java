package dev.sedge.broker;

import dev.sedge.broker.auth.Authenticator;
import dev.sedge.broker.auth.Authorizer;
import dev.sedge.broker.auth.PasswordAuthenticator;
import dev.sedge.broker.tls.TlsListener;
import java.util.Objects;

/**
 * Who may connect to the broker, what they may do, and the optional TLS listener. Immutable; the parts
 * are thread-safe. The node builds it from its configuration and hands it to {@link MqttBroker}.
 *
 * @param authenticator decides each CONNECT
 * @param authorizer decides each PUBLISH and each subscription
 * @param tls a second listener that speaks TLS, or null for none
 */
public record BrokerSecurity(Authenticator authenticator, Authorizer authorizer, TlsListener tls) {

    /** Anyone may connect and do anything; no TLS listener. */
    public static final BrokerSecurity NONE =
            new BrokerSecurity(PasswordAuthenticator.open(), Authorizer.ALLOW_ALL, null);

    public BrokerSecurity {
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(authorizer, "authorizer");
    }

    public BrokerSecurity withTls(TlsListener listener) {
        return new BrokerSecurity(authenticator, authorizer, listener);
    }
}
