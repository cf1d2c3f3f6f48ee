package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sedge.node.Node;
import dev.sedge.node.config.ConfigFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sedge up --config}: a bad configuration, users file or ACL file stops the start with one line
 * that names it; a good one starts the MQTT-over-TLS listener beside the plain one.
 */
@Timeout(120)
class SecurityConfigIT {

    @TempDir
    Path dir;

    private RunningNode.Cli up(String yaml) throws IOException {
        Path config = Files.writeString(dir.resolve("sedge.yaml"), yaml);
        return RunningNode.cliWithoutNode(
                "up",
                "--config",
                config.toString(),
                "--data-dir",
                dir.resolve("data").toString(),
                "--mqtt-port",
                "0",
                "--http-port",
                "0");
    }

    @Test
    void anUnknownFieldStopsTheStartWithFileLineAndField() throws IOException {
        RunningNode.Cli cli = up("mqtt:\n  port: 0\n  bnd: 0.0.0.0\n");
        assertThat(cli.exit()).isEqualTo(1);
        assertThat(cli.err())
                .isEqualTo("error: " + dir.resolve("sedge.yaml")
                        + ":3: unknown field \"mqtt.bnd\" (known here: bind, maxQueuedMessages, port)"
                        + System.lineSeparator());
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void aBadUsersFileLineStopsTheStartWithFileLineAndValue() throws IOException {
        Files.writeString(dir.resolve("users"), "# users\nalice:sha1$abc$def$ghi\n");
        RunningNode.Cli cli = up("auth: {usersFile: users}\n");
        assertThat(cli.exit()).isEqualTo(1);
        assertThat(cli.err().lines().toList())
                .containsExactly("error: cannot start: " + dir.resolve("users")
                        + ":2: user \"alice\": not a pbkdf2-sha256 hash \"sha1\" (expected"
                        + " pbkdf2-sha256$ITERATIONS$SALT$HASH; create entries with sedge passwd)");
        assertThat(dir.resolve("data")).as("nothing touched").doesNotExist();
    }

    @Test
    void aBadAclLineStopsTheStartWithFileLineAndValue() throws IOException {
        Files.writeString(dir.resolve("acl"), "everyone\ntopic read sensors/#\ntopic readwrite a/#/b\n");
        RunningNode.Cli cli = up("auth: {aclFile: acl}\n");
        assertThat(cli.exit()).isEqualTo(1);
        assertThat(cli.err().lines().toList())
                .containsExactly("error: cannot start: " + dir.resolve("acl")
                        + ":3: topic pattern \"a/#/b\": '#' must be the whole last level");
    }

    @Test
    void aMissingUsersFileIsNamedWithItsSetting() throws IOException {
        RunningNode.Cli cli = up("auth: {usersFile: nobody}\n");
        assertThat(cli.err().lines().toList())
                .containsExactly("error: cannot start: auth.usersFile: " + dir.resolve("nobody") + " does not exist");
    }

    @Test
    void theTlsListenerServesMqttWithClientCertificatesBesideThePlainListener() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSignedCertificate(cert, key);
        // The self-signed certificate is its own CA: the client presents it, the node trusts it as the CA.
        Path config = Files.writeString(dir.resolve("sedge.yaml"), """
                dataDir: data
                mqtt: {port: 0}
                http: {port: 0}
                tls: {port: 0, certFile: cert.pem, keyFile: key.pem, caFile: cert.pem, clientAuth: required}
                """);
        try (Node node = new Node(ConfigFile.read(config))) {
            node.start();
            assertThat(node.tlsPort()).isPositive().isNotEqualTo(node.mqttPort());
            String url = "ssl://127.0.0.1:" + node.tlsPort();

            BlockingQueue<String> got = new ArrayBlockingQueue<>(4);
            MqttClient sub = connect(url, "sub", clientContext(cert, key, true));
            sub.subscribe(new MqttSubscription[] {new MqttSubscription("sensors/#", 1)}, new IMqttMessageListener[] {
                (t, m) -> got.add(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8))
            });
            MqttClient plain = new MqttClient("tcp://127.0.0.1:" + node.mqttPort(), "plain", new MemoryPersistence());
            plain.connect();
            MqttMessage m = new MqttMessage("21".getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            plain.publish("sensors/s1", m);
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("sensors/s1 21");

            SSLContext noCertificate = clientContext(cert, key, false);
            assertThatThrownBy(() -> connect(url, "anonymous", noCertificate)).isInstanceOf(MqttException.class);
            plain.disconnect();
            sub.disconnect();
        }
    }

    private static MqttClient connect(String url, String id, SSLContext ssl) throws MqttException {
        MqttClient c = new MqttClient(url, id, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSocketFactory(ssl.getSocketFactory());
        o.setConnectionTimeout(10);
        c.connect(o);
        return c;
    }

    /** A self-signed EC certificate for 127.0.0.1 made with openssl; skips the test visibly without it. */
    private static void selfSignedCertificate(Path cert, Path key) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-subj",
                "/CN=localhost",
                "-days",
                "1",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString()));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "openssl is not installed: the node's TLS listener is not tested end to end");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static SSLContext clientContext(Path cert, Path key, boolean present) throws Exception {
        Certificate certificate;
        try (InputStream in = Files.newInputStream(cert)) {
            certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (present) {
            String pem = Files.readString(key);
            String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey privateKey = KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("me", privateKey, new char[] {'x'}, new Certificate[] {certificate});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[] {'x'});
        }
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ssl;
    }
}
