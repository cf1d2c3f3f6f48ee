package dev.sedge.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sedge.broker.auth.AclFile;
import dev.sedge.broker.auth.Authenticator;
import dev.sedge.broker.auth.PasswordAuthenticator;
import dev.sedge.broker.auth.PasswordHash;
import dev.sedge.broker.auth.UsersFile;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users and ACLs enforced through the connection, against real MQTT 5 and 3.1.1 clients (Eclipse Paho)
 * over real sockets: the broker reads a users file and an ACL file written here, as a node does.
 */
@Timeout(60)
class SecurityEndToEndTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private MqttBroker broker;
    private String url;

    @BeforeEach
    void start() throws Exception {
        start(authenticator -> authenticator);
    }

    /** Starts a broker whose authenticator is the users file's, as {@code wrap} may wrap it. */
    private void start(UnaryOperator<Authenticator> wrap) throws Exception {
        if (broker != null) {
            broker.close();
        }
        Path users = dir.resolve("users");
        Files.write(
                users,
                List.of(
                        "# users of the test broker",
                        "alice:" + hash("alice-pw"),
                        "bob:" + hash("bob-pw"),
                        "ops:" + hash("ops-pw")));
        Path acl = dir.resolve("acl");
        Files.write(
                acl,
                List.of(
                        "# alice owns her sensor tree and reads alerts; bob writes his tree and reads alice's",
                        "user alice",
                        "topic readwrite sensors/alice/#",
                        "topic read alerts/#",
                        "user bob",
                        "topic write sensors/bob/#",
                        "topic read sensors/alice/#",
                        "user ops",
                        "topic write alerts/#",
                        "topic write sensors/alice/#"));
        Authenticator passwords = new PasswordAuthenticator(UsersFile.read(users), false, true, RANDOM);
        broker = new MqttBroker(
                BrokerConfig.defaults().withPort(0).withSysIntervalSeconds(0),
                new BrokerSecurity(wrap.apply(passwords), AclFile.read(acl), null));
        broker.start();
        url = "tcp://127.0.0.1:" + broker.port();
    }

    private static String hash(String password) {
        return PasswordHash.create(password.getBytes(StandardCharsets.UTF_8), PasswordHash.ITERATIONS_MIN, RANDOM)
                .encoded();
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static MqttConnectionOptions as(String user, String password) {
        MqttConnectionOptions o = PahoClient.clean();
        if (user != null) {
            o.setUserName(user);
        }
        if (password != null) {
            o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        return o;
    }

    private PahoClient client(String id, String user, String password) throws MqttException {
        return new PahoClient(url, id).connect(as(user, password));
    }

    private org.eclipse.paho.client.mqttv3.MqttClient client311(String id, MqttConnectOptions o)
            throws org.eclipse.paho.client.mqttv3.MqttException {
        org.eclipse.paho.client.mqttv3.MqttClient c =
                new org.eclipse.paho.client.mqttv3.MqttClient(url, id, new MemoryPersistence());
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setConnectionTimeout(10);
        c.connect(o);
        return c;
    }

    private static MqttConnectOptions as311(String user, String password) {
        MqttConnectOptions o = new MqttConnectOptions();
        if (user != null) {
            o.setUserName(user);
        }
        if (password != null) {
            o.setPassword(password.toCharArray());
        }
        return o;
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIsRefusedWith0x86() {
        for (String[] who : new String[][] {{"alice", "bob-pw"}, {"mallory", "alice-pw"}}) {
            assertThatThrownBy(() -> client("c-" + who[0], who[0], who[1]))
                    .as("%s with password %s", who[0], who[1])
                    .isInstanceOfSatisfying(
                            MqttException.class,
                            e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
        }
        assertThat(broker.connectedClients()).isZero();
    }

    @Test
    void aClientWithoutCredentialsIsRefusedWith0x87WhenAnonymousClientsAreNot() {
        assertThatThrownBy(() -> client("nobody", null, null))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x87));
    }

    @Test
    void anMqtt311ClientGetsReturnCode4ForAWrongPasswordAnd5WithoutCredentials() {
        assertThatThrownBy(() -> client311("c311", as311("alice", "wrong")))
                .isInstanceOfSatisfying(
                        MqttSecurityException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(4)); // bad user name or password
        assertThatThrownBy(() -> client311("c311", as311(null, null)))
                .isInstanceOfSatisfying(
                        MqttSecurityException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(5)); // not authorized
    }

    @Test
    void anAllowedUserPublishesAndSubscribesWhereTheAclAllows() throws Exception {
        try (PahoClient alice = client("alice-1", "alice", "alice-pw");
                PahoClient bob = client("bob-1", "bob", "bob-pw")) {
            IMqttToken own =
                    alice.client.subscribe(new MqttSubscription[] {new MqttSubscription("sensors/alice/#", 1)});
            IMqttToken others =
                    bob.client.subscribe(new MqttSubscription[] {new MqttSubscription("sensors/alice/+", 1)});
            assertThat(own.getReasonCodes()).containsExactly(1); // granted QoS 1
            assertThat(others.getReasonCodes()).containsExactly(1);
            alice.publish("sensors/alice/temperature", "21.5", 1, false);
            assertThat(alice.next().text()).isEqualTo("21.5");
            PahoClient.Received atBob = bob.next();
            assertThat(atBob.topic()).isEqualTo("sensors/alice/temperature");
            assertThat(atBob.text()).isEqualTo("21.5");
        }
    }

    @Test
    void aSubscriptionTheAclDoesNotCoverGets0x87AndTheOthersInThePacketAreGranted() throws Exception {
        try (PahoClient alice = client("alice-2", "alice", "alice-pw")) {
            IMqttToken t = alice.client.subscribe(new MqttSubscription[] {
                new MqttSubscription("sensors/alice/#", 1),
                new MqttSubscription("sensors/#", 1), // wider than her tree
                new MqttSubscription("sensors/bob/+", 0) // bob's tree
            });
            assertThat(t.getReasonCodes()).containsExactly(1, 0x87, 0x87);
        }
        org.eclipse.paho.client.mqttv3.MqttClient old = client311("alice-311", as311("alice", "alice-pw"));
        try {
            org.eclipse.paho.client.mqttv3.IMqttToken t =
                    old.subscribeWithResponse(new String[] {"alerts/#", "sensors/#"}, new int[] {1, 1});
            assertThat(t.getGrantedQos()).containsExactly(1, 0x80); // 3.1.1 says failure, no reason
        } finally {
            old.disconnect();
            old.close();
        }
    }

    @Test
    void aDeniedQos1PublishGetsPuback0x87AndReachesNoSubscriber() throws Exception {
        MqttAsyncClient bob =
                new MqttAsyncClient(url, "bob-3", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        try (PahoClient alice = client("alice-3", "alice", "alice-pw");
                PahoClient ops = client("ops-3", "ops", "ops-pw")) {
            bob.connect(as("bob", "bob-pw")).waitForCompletion(10_000);
            alice.subscribe("alerts/#", 1);
            MqttMessage forged = new MqttMessage("forged".getBytes(StandardCharsets.UTF_8));
            forged.setQos(1);
            // bob may not write alerts: the PUBACK carries 0x87 (not authorized), and nothing is routed.
            IMqttToken t = bob.publish("alerts/fire", forged);
            try {
                t.waitForCompletion(10_000);
            } catch (MqttException refused) {
                assertThat(refused.getReasonCode()).isEqualTo(0x87);
            }
            assertThat(t.isComplete()).isTrue();
            assertThat(t.getReasonCodes()).containsExactly(0x87);
            ops.publish("alerts/marker", "marker", 1, false);
            // The marker was published after the refusal was acknowledged: had the forged message been
            // routed, it would have come first.
            assertThat(alice.next().text()).isEqualTo("marker");
            assertThat(alice.received).isEmpty();
        } finally {
            bob.disconnect().waitForCompletion(10_000);
            bob.close();
        }
    }

    @Test
    void aDeniedPublishFromAn311ClientIsAcknowledgedAndDropped() throws Exception {
        try (PahoClient alice = client("alice-4", "alice", "alice-pw");
                PahoClient ops = client("ops-4", "ops", "ops-pw")) {
            alice.subscribe("alerts/#", 1);
            org.eclipse.paho.client.mqttv3.MqttClient bob = client311("bob-311", as311("bob", "bob-pw"));
            try {
                bob.publish("alerts/fire", "forged".getBytes(StandardCharsets.UTF_8), 1, false); // PUBACK, no reason
            } finally {
                bob.disconnect();
                bob.close();
            }
            ops.publish("alerts/marker", "marker", 1, false);
            assertThat(alice.next().text()).isEqualTo("marker");
        }
    }

    @Test
    void aWillOnATopicTheUserMayNotWriteIsRefusedAtConnect() throws Exception {
        MqttConnectionOptions o = as("bob", "bob-pw");
        o.setWill("alerts/bob-gone", new MqttMessage("gone".getBytes(StandardCharsets.UTF_8), 1, false, null));
        assertThatThrownBy(() -> new PahoClient(url, "bob-will").connect(o))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x87));

        MqttConnectOptions o311 = as311("bob", "bob-pw");
        o311.setWill("alerts/bob-gone", "gone".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThatThrownBy(() -> client311("bob-will-311", o311))
                .isInstanceOfSatisfying(
                        MqttSecurityException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(5));

        // A will where its user may write is accepted, and published when the client drops.
        try (PahoClient watcher = client("alice-5", "alice", "alice-pw")) {
            MqttConnectionOptions allowed = as("ops", "ops-pw");
            allowed.setWill(
                    "alerts/ops-gone", new MqttMessage("gone".getBytes(StandardCharsets.UTF_8), 1, false, null));
            watcher.subscribe("alerts/#", 1);
            PahoClient dropping = new PahoClient(url, "ops-will").connect(allowed);
            dropping.drop();
            assertThat(watcher.next().text()).isEqualTo("gone");
        }
    }

    @Test
    void aClientThatLeavesWhileItsPasswordIsCheckedLeavesNoSessionBehind() throws Exception {
        CountDownLatch checking = new CountDownLatch(1);
        CountDownLatch decide = new CountDownLatch(1);
        AtomicBoolean holdOnce = new AtomicBoolean();
        start(passwords -> (clientId, username, password, cn) -> {
            if (clientId.equals("victim") && holdOnce.compareAndSet(false, true)) {
                checking.countDown();
                try {
                    decide.await(30, TimeUnit.SECONDS); // the password check takes until the client has left
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return passwords.authenticate(clientId, username, password, cn);
        });
        try (PahoClient watcher = client("bob-6", "bob", "bob-pw")) {
            watcher.subscribe("sensors/alice/#", 1);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", broker.port()), 5_000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write(concat(CONNECT_VICTIM, PUBLISH_HELD));
                assertThat(checking.await(10, TimeUnit.SECONDS))
                        .as("authentication started")
                        .isTrue();
                s.shutdownOutput();
                // The broker closes its side when it sees ours: its channelInactive then has run, or is
                // queued on the channel's event loop ahead of whatever authentication queues next.
                assertThat(s.getInputStream().read())
                        .as("the broker closes without answering")
                        .isEqualTo(-1);
            }
            decide.countDown();

            org.eclipse.paho.client.mqttv3.MqttClient again =
                    new org.eclipse.paho.client.mqttv3.MqttClient(url, "victim", new MemoryPersistence());
            MqttConnectOptions o = as311("alice", "alice-pw");
            o.setCleanSession(false);
            o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            try {
                org.eclipse.paho.client.mqttv3.IMqttToken t = again.connectWithResult(o);
                assertThat(t.getSessionPresent())
                        .as("a session left by the client that went away during authentication")
                        .isFalse();
                again.publish("sensors/alice/marker", "marker".getBytes(StandardCharsets.UTF_8), 1, false);
                // The PUBLISH sent during authentication was never read: the marker is the first message.
                assertThat(watcher.next().text()).isEqualTo("marker");
                assertThat(broker.connectedClients()).isEqualTo(2);
            } finally {
                again.disconnect();
                again.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.connectedClients() == 0);
    }

    /** CONNECT, MQTT 3.1.1, keep the session, keep-alive off, client "victim", user alice, her password. */
    private static final byte[] CONNECT_VICTIM = bytes(
            0x10,
            35, //                      CONNECT, remaining length 35
            0x00,
            0x04,
            'M',
            'Q',
            'T',
            'T', //       protocol name
            0x04, //                          protocol level 4 = 3.1.1
            0xC0, //                          flags: user name, password; clean session off
            0x00,
            0x00, //                    keep-alive off
            0x00,
            0x06,
            'v',
            'i',
            'c',
            't',
            'i',
            'm', // client identifier
            0x00,
            0x05,
            'a',
            'l',
            'i',
            'c',
            'e', //  user name
            0x00,
            0x08,
            'a',
            'l',
            'i',
            'c',
            'e',
            '-',
            'p',
            'w' // password
            );

    /** PUBLISH, QoS 1, to sensors/alice/held, packet identifier 1, payload "held". */
    private static final byte[] PUBLISH_HELD = concat(
            bytes(0x32, 26, 0x00, 18), //      PUBLISH QoS 1, remaining length 26, topic length 18
            "sensors/alice/held".getBytes(StandardCharsets.US_ASCII),
            bytes(0x00, 0x01), //              packet identifier 1
            "held".getBytes(StandardCharsets.US_ASCII));

    private static byte[] bytes(int... b) {
        byte[] a = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            a[i] = (byte) b[i];
        }
        return a;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
