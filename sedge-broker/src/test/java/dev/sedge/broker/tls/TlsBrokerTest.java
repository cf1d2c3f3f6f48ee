package dev.sedge.broker.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sedge.broker.BrokerConfig;
import dev.sedge.broker.BrokerSecurity;
import dev.sedge.broker.MqttBroker;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The broker's TLS listener against a real MQTT 5 client over real sockets on 127.0.0.1. */
@Timeout(120)
class TlsBrokerTest {

    private static TestPki pki;
    private MqttBroker broker;

    @BeforeAll
    static void makePki() throws Exception {
        pki = TestPki.shared();
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private void start(ClientAuthMode clientAuth) throws Exception {
        TlsConfig tls = new TlsConfig(
                pki.serverChainPem, pki.serverKeyPem, clientAuth == ClientAuthMode.NONE ? null : pki.caPem, clientAuth);
        broker = new MqttBroker(
                BrokerConfig.defaults().withPort(0),
                BrokerSecurity.NONE.withTls(new TlsListener("127.0.0.1", 0, tls.newServerContext())));
        broker.start();
    }

    private MqttClient connect(String id, SSLContext ssl) throws MqttException {
        MqttClient c = new MqttClient("ssl://127.0.0.1:" + broker.tlsPort(), id, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSocketFactory(ssl.getSocketFactory());
        o.setConnectionTimeout(10);
        c.connect(o);
        return c;
    }

    @Test
    void aClientWithACertificateFromTheCaPublishesAndSubscribesOverTls() throws Exception {
        start(ClientAuthMode.REQUIRED);
        assertThat(broker.tlsPort()).isPositive().isNotEqualTo(broker.port());
        SSLContext ssl = pki.clientContext(pki.client);
        BlockingQueue<String> got = new ArrayBlockingQueue<>(4);
        MqttClient sub = connect("tls-sub", ssl);
        sub.subscribe(
                new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
                    new org.eclipse.paho.mqttv5.common.MqttSubscription("sensors/+/temperature", 1)
                },
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {
                    (t, m) -> got.add(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8))
                });
        MqttClient pub = connect("tls-pub", ssl);
        MqttMessage m = new MqttMessage("21.5".getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        pub.publish("sensors/s1/temperature", m);

        assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("sensors/s1/temperature 21.5");
        assertThat(broker.connectedClients()).isEqualTo(2);
        pub.disconnect();
        sub.disconnect();
    }

    @Test
    void theHandshakeFailsForASelfSignedClientCertificateWhenCertificatesAreRequired() throws Exception {
        start(ClientAuthMode.REQUIRED);
        SSLContext rogue = pki.clientContext(pki.selfSigned); // claims CN=device-42, not signed by the CA
        assertThatThrownBy(() -> connect("rogue", rogue)).isInstanceOf(MqttException.class);
        assertThat(broker.connectedClients()).isZero();
    }

    @Test
    void theHandshakeFailsWithoutAClientCertificateWhenCertificatesAreRequired() throws Exception {
        start(ClientAuthMode.REQUIRED);
        SSLContext anonymous = pki.clientContext(null);
        assertThatThrownBy(() -> connect("no-cert", anonymous)).isInstanceOf(MqttException.class);
        assertThat(broker.connectedClients()).isZero();
    }

    @Test
    void optionalClientAuthenticationLetsAClientWithoutACertificateIn() throws Exception {
        start(ClientAuthMode.OPTIONAL);
        MqttClient c = connect("no-cert", pki.clientContext(null));
        assertThat(c.isConnected()).isTrue();
        c.disconnect();
    }

    @Test
    void optionalClientAuthenticationStillRefusesACertificateThatDoesNotVerify() throws Exception {
        // What PeerCertificates relies on: a certificate the handshake let through has been verified.
        start(ClientAuthMode.OPTIONAL);
        SSLContext rogue = pki.clientContext(pki.selfSigned);
        assertThatThrownBy(() -> connect("rogue", rogue)).isInstanceOf(MqttException.class);
        assertThat(broker.connectedClients()).isZero();
    }

    @Test
    void thePlainListenerKeepsWorkingBesideTheTlsOne() throws Exception {
        start(ClientAuthMode.NONE);
        MqttClient plain = new MqttClient("tcp://127.0.0.1:" + broker.port(), "plain", new MemoryPersistence());
        plain.connect();
        MqttClient tls = connect("tls", pki.clientContext(null));
        assertThat(broker.connectedClients()).isEqualTo(2);
        plain.disconnect();
        tls.disconnect();
    }
}
