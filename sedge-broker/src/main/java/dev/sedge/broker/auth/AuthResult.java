package dev.sedge.broker.auth;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import java.util.Objects;

/** What an {@link Authenticator} decided about one CONNECT. Immutable. */
public sealed interface AuthResult {

    /** An anonymous client was allowed. */
    AuthResult ANONYMOUS = new Allowed(null);

    /**
     * The client may connect.
     *
     * @param user the effective user name that ACLs see: the verified certificate's CN or the
     *     authenticated User Name; null for an anonymous client
     */
    record Allowed(String user) implements AuthResult {

        public boolean anonymous() {
            return user == null;
        }
    }

    /**
     * The client may not connect; the broker answers with a CONNACK carrying the reason, then closes.
     *
     * @param reason why, as the MQTT reason
     */
    record Refused(RefusalReason reason) implements AuthResult {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static AuthResult allowed(String user) {
        return new Allowed(Objects.requireNonNull(user, "user"));
    }

    static AuthResult refused(RefusalReason reason) {
        return new Refused(reason);
    }

    /** The MQTT reasons for refusing a CONNECT on authentication grounds. */
    enum RefusalReason {
        /** Unknown user, wrong password, or a password without a user name. */
        BAD_USER_NAME_OR_PASSWORD(
                MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
                MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD),
        /** No credentials and anonymous clients are not allowed. */
        NOT_AUTHORIZED(
                MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5);

        private final MqttConnectReturnCode mqtt3;
        private final MqttConnectReturnCode mqtt5;

        RefusalReason(MqttConnectReturnCode mqtt3, MqttConnectReturnCode mqtt5) {
            this.mqtt3 = mqtt3;
            this.mqtt5 = mqtt5;
        }

        /**
         * The CONNACK code for the client's protocol: 0x04 / 0x05 for MQTT 3.1.1 (section 3.2.2.3),
         * 0x86 / 0x87 for MQTT 5 (section 3.2.2.2).
         *
         * @param protocolVersion the protocol level of the CONNECT: 3, 4 or 5
         */
        public MqttConnectReturnCode connectReturnCode(int protocolVersion) {
            return protocolVersion >= 5 ? mqtt5 : mqtt3;
        }
    }
}
