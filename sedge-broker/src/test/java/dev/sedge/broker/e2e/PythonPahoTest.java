package dev.sedge.broker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.broker.BrokerConfig;
import dev.sedge.broker.MqttBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker against Eclipse paho-mqtt for Python (the Debian package python3-paho-mqtt, run by the
 * system's {@code /usr/bin/python3}): each test runs one scenario of {@code e2e/paho_scenarios.py},
 * which prints one JSON line of what its clients saw, and asserts on it. Skipped, with the reason,
 * where Python or paho-mqtt is missing.
 */
@Timeout(60)
class PythonPahoTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path scripts;

    private static Path script;
    private MqttBroker broker;

    @BeforeAll
    static void pahoInstalled() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), PYTHON + " not found: install the Debian package python3");
        Process check = new ProcessBuilder(PYTHON.toString(), "-c", "import paho.mqtt.client")
                .redirectErrorStream(true)
                .start();
        assumeTrue(
                check.waitFor(20, TimeUnit.SECONDS) && check.exitValue() == 0,
                "paho-mqtt is not importable by " + PYTHON + ": install the Debian package python3-paho-mqtt");
        script = scripts.resolve("paho_scenarios.py");
        try (InputStream in = PythonPahoTest.class.getResourceAsStream("/e2e/paho_scenarios.py")) {
            Files.copy(in, script);
        }
    }

    @BeforeEach
    void start() throws InterruptedException {
        broker = new MqttBroker(BrokerConfig.defaults().withPort(0).withSysIntervalSeconds(0));
        broker.start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /**
     * Runs one scenario and returns its JSON line; fails with what Python printed if it did not finish.
     * An "AWAIT session-gone ID" line from the script is answered "ok" once the broker holds no session
     * for ID (or "timeout" after 10 s).
     */
    private JsonNode scenario(String name) throws IOException, InterruptedException {
        Path stderr = scripts.resolve(name + ".stderr");
        Process p = new ProcessBuilder(
                        PYTHON.toString(), script.toString(), name, "127.0.0.1", String.valueOf(broker.port()))
                .redirectError(stderr.toFile())
                .start();
        // A Python that hangs is killed after 45 s, which ends the reading below.
        CompletableFuture<Void> watchdog =
                CompletableFuture.runAsync(p::destroyForcibly, CompletableFuture.delayedExecutor(45, TimeUnit.SECONDS));
        List<String> out = new ArrayList<>();
        try (BufferedReader lines =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                Writer answers = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                out.add(line);
                if (line.startsWith("AWAIT session-gone ")) {
                    String clientId = line.substring("AWAIT session-gone ".length());
                    answers.write(sessionGone(clientId) ? "ok\n" : "timeout\n");
                    answers.flush();
                }
            }
        }
        boolean exited = p.waitFor(5, TimeUnit.SECONDS);
        if (!watchdog.cancel(false) || !exited) {
            p.destroyForcibly();
            throw new AssertionError(
                    "scenario " + name + " did not finish in 45 s; stderr:\n" + Files.readString(stderr));
        }
        String last = out.isEmpty() ? "" : out.getLast();
        if (p.exitValue() != 0 || !last.startsWith("{")) {
            throw new AssertionError("scenario " + name + " exited " + p.exitValue() + ":\n" + String.join("\n", out)
                    + "\nstderr:\n" + Files.readString(stderr));
        }
        return JSON.readTree(last);
    }

    private boolean sessionGone(String clientId) {
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.sessions().get(clientId) == null);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    private static List<String> texts(JsonNode array) {
        return array.valueStream().map(JsonNode::asText).toList();
    }

    @Test
    void mqtt5CleanStartAndSessionExpiryDecideWhetherASessionIsKept() throws Exception {
        JsonNode r = scenario("mqtt5-session");
        assertThat(r.get("reason_codes").toString()).isEqualTo("[0,0,0,0]");
        assertThat(r.get("first_present").asInt()).as("a new session").isZero();
        assertThat(r.get("resumed_present").asInt()).as("kept for 300 s").isOne();
        assertThat(texts(r.get("queued"))).as("queued while away").containsExactly("m1", "m2");
        assertThat(r.get("clean_start_present").asInt())
                .as("Clean Start discards it")
                .isZero();
        assertThat(r.get("after_expiry_0_present").asInt())
                .as("expiry 0 keeps none")
                .isZero();
    }

    @Test
    void qos1AndQos2MessagesMakeTheRoundTripOnceEachInOrder() throws Exception {
        JsonNode r = scenario("qos");
        assertThat(r.get("granted").toString()).isEqualTo("[2]");
        assertThat(texts(r.get("qos1"))).containsExactly(numbered("one-", 10));
        assertThat(r.get("qos1_levels").toString()).isEqualTo("[1]");
        assertThat(texts(r.get("qos2"))).containsExactly(numbered("two-", 10));
        assertThat(r.get("qos2_levels").toString()).isEqualTo("[2]");
        assertThat(r.get("after").asText()).as("no duplicate before the marker").isEqualTo("end");
    }

    @Test
    void aSharedSubscriptionSplitsMessagesBetweenTwoPythonClients() throws Exception {
        JsonNode r = scenario("shared");
        assertThat(r.get("a").asInt()).isPositive();
        assertThat(r.get("b").asInt()).isPositive();
        assertThat(r.get("a").asInt() + r.get("b").asInt()).isEqualTo(20);
        assertThat(r.get("distinct").asInt())
                .as("each message to exactly one member")
                .isEqualTo(20);
    }

    @Test
    void aRetainedMessageReachesLaterSubscribersUntilCleared() throws Exception {
        JsonNode r = scenario("retained");
        assertThat(r.at("/kept/payload").asText()).isEqualTo("on");
        assertThat(r.at("/kept/retain").asBoolean()).isTrue();
        assertThat(r.at("/after_clear/payload").asText())
                .as("nothing retained before the marker")
                .isEqualTo("marker");
        assertThat(r.at("/after_clear/retain").asBoolean()).isFalse();
    }

    @Test
    void aWillIsPublishedForAKilledClientAndNotForADisconnectedOne() throws Exception {
        JsonNode r = scenario("will");
        assertThat(r.get("device").asText()).isEqualTo("connected");
        assertThat(r.at("/abrupt/topic").asText()).isEqualTo("py/wills/device");
        assertThat(r.at("/abrupt/payload").asText()).isEqualTo("gone");
        assertThat(r.get("after_polite").asText())
                .as("no will before the marker")
                .isEqualTo("marker");
    }

    @Test
    void anMqtt311PersistentSessionKeepsQos1MessagesWhileAway() throws Exception {
        JsonNode r = scenario("mqtt311-session");
        assertThat(r.get("first_present").asInt()).isZero();
        assertThat(r.get("resumed_present").asInt()).isOne();
        assertThat(texts(r.get("queued"))).containsExactly("q-0", "q-1", "q-2");
    }

    private static String[] numbered(String prefix, int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = prefix + i;
        }
        return out;
    }
}
