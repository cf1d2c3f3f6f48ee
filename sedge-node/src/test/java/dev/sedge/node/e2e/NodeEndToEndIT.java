package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sedge.node.config.NodeConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walkthrough of the README, for real: a node on free ports, the example deployed with the CLI,
 * readings published with mosquitto_pub and replies read with mosquitto_sub, then MQTT 5
 * request/response with a Java client.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeEndToEndIT {

    @TempDir
    static Path dataDir;

    static RunningNode node;
    static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void startAndDeploy() throws Exception {
        // Knative's scale to zero: the tests read the instance an event left warm.
        node = new RunningNode(RunningNode.knative(new NodeConfig(dataDir, "127.0.0.1", 0, 0, null)));
        RunningNode.Cli deploy = node.cli("deploy", RunningNode.EXAMPLE.toString());
        assertThat(deploy.err()).contains("Function 'temperature-alert' deployed.");
        assertThat(deploy.exit()).as(deploy.err()).isZero();
        assertThat(deploy.out()).contains("temperature-alert").contains("mqtt:sensors/+/temperature");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void mosquittoPubTriggersTheFunctionAndMosquittoSubGetsTheReply() throws Exception {
        Mosquitto.assumeInstalled();
        try (Mosquitto.Sub sub = new Mosquitto.Sub(node.mqttPort(), "alerts/#")) {
            Mosquitto.publish(node.mqttPort(), "sensors/s1/temperature", "{\"celsius\": 42.5}", 1);
            assertThat(sub.next(20)).isEqualTo("alerts/s1 {\"sensor\":\"s1\",\"celsius\":42.5,\"alert\":true}");

            Mosquitto.publish(node.mqttPort(), "sensors/porch/temperature", "{\"celsius\": 21}", 0, "-V", "mqttv5");
            assertThat(sub.next(20)).isEqualTo("alerts/porch {\"sensor\":\"porch\",\"celsius\":21.0,\"alert\":false}");

            Mosquitto.publish(node.mqttPort(), "sensors/kitchen/temperature", "not json", 1, "-V", "mqttv311");
            String error = sub.next(20);
            assertThat(error).startsWith("alerts/kitchen {\"error\":\"payload is not valid JSON");

            Mosquitto.publish(node.mqttPort(), "sensors/attic/humidity", "{\"celsius\": 99}", 1);
            Mosquitto.publish(node.mqttPort(), "sensors/attic/temperature", "{\"kelvin\": 300}", 1);
            // The humidity reading matches no trigger, so the next reply is the attic's temperature one.
            assertThat(sub.next(20))
                    .isEqualTo("alerts/attic {\"error\":\"payload has no numeric \\\"celsius\\\" field\"}");
        }
    }

    @Test
    @Order(2)
    void anMqtt5ResponseTopicAndCorrelationDataWinOverTheTemplate() throws Exception {
        String url = "tcp://127.0.0.1:" + node.mqttPort();
        MqttClient client = new MqttClient(url, "requester", new MemoryPersistence());
        try {
            client.connect(new MqttConnectionOptions());
            CompletableFuture<MqttMessage> reply = new CompletableFuture<>();
            client.subscribe(
                    new MqttSubscription[] {new MqttSubscription("replies/requester", 1)},
                    new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(t, m) -> reply.complete(m)});
            MqttMessage request = new MqttMessage("{\"celsius\": 31}".getBytes(StandardCharsets.UTF_8));
            request.setQos(1);
            MqttProperties props = new MqttProperties();
            props.setResponseTopic("replies/requester");
            props.setCorrelationData("req-17".getBytes(StandardCharsets.UTF_8));
            request.setProperties(props);
            client.publish("sensors/s2/temperature", request);

            MqttMessage m = reply.get(20, TimeUnit.SECONDS);
            assertThat(new String(m.getPayload(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"sensor\":\"s2\",\"celsius\":31.0,\"alert\":true}");
            assertThat(new String(m.getProperties().getCorrelationData(), StandardCharsets.UTF_8))
                    .isEqualTo("req-17");
            assertThat(m.getProperties().getContentType()).isEqualTo("application/json");
        } finally {
            client.disconnect();
            client.close();
        }
    }

    @Test
    @Order(3)
    void theCliListsDescribesAndInvokesInEveryFormat() throws Exception {
        RunningNode.Cli list = node.cli("list", "-o", "json");
        assertThat(list.exit()).isZero();
        JsonNode functions = JSON.readTree(list.out());
        assertThat(functions).hasSize(1);
        assertThat(functions.get(0).path("name").asText()).isEqualTo("temperature-alert");
        JsonNode status = functions.get(0).path("status");
        assertThat(status.path("warm").asBoolean()).isTrue();
        assertThat(status.path("instances").path("ready").asInt()).isEqualTo(1);
        assertThat(status.path("instances").path("desired").asInt()).isEqualTo(1);
        assertThat(status.path("queue").asInt()).isZero();
        assertThat(status.path("panic").asBoolean()).isFalse();
        assertThat(status.path("decision").path("reason").asText()).isNotEmpty();
        assertThat(status.path("decision").path("at").asText()).isNotEmpty();
        assertThat(functions.get(0).path("status").path("invocations").asLong()).isGreaterThanOrEqualTo(1);

        RunningNode.Cli describe = node.cli("describe", "temperature-alert", "-o", "yaml");
        assertThat(describe.exit()).isZero();
        JsonNode d = new YAMLMapper().readTree(describe.out());
        assertThat(d.path("descriptor").path("spec").path("handler").asText())
                .isEqualTo("dev.sedge.examples.temperature.TemperatureAlert");

        RunningNode.Cli table = node.cli("describe", "temperature-alert");
        assertThat(table.out())
                .contains("Name:         temperature-alert")
                .contains("reply to alerts/{topic.1}")
                .contains("Keep-alive:   knative");

        RunningNode.Cli invoke = node.cli(
                "invoke",
                "temperature-alert",
                "--subject",
                "sensors/cli/temperature",
                "--data",
                "{\"celsius\": 12.5}",
                "-o",
                "json");
        assertThat(invoke.exit()).as(invoke.err()).isZero();
        JsonNode result = JSON.readTree(invoke.out());
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("coldStart").asBoolean()).isFalse();
        assertThat(result.path("result").toString()).isEqualTo("{\"sensor\":\"cli\",\"celsius\":12.5,\"alert\":false}");

        RunningNode.Cli plain = node.cli("invoke", "temperature-alert", "--data", "{\"celsius\": 50}");
        assertThat(plain.out()).isEqualTo("{\"sensor\":null,\"celsius\":50.0,\"alert\":true}\n");
    }

    @Test
    @Order(4)
    void metricsCountInvocationsPerFunction() throws Exception {
        HttpResponse<String> metrics = node.get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("sedge_invocations_total{function=\"temperature-alert\"}")
                .contains("sedge_invocation_duration_seconds_count{function=\"temperature-alert\"}")
                // Deployed with Knative's initial scale of 1: one instance, started before any event.
                .contains("sedge_function_instances{function=\"temperature-alert\",state=\"ready\"} 1.0")
                .contains("sedge_function_instances_desired{function=\"temperature-alert\"} 1.0")
                .contains("sedge_function_queue_depth{function=\"temperature-alert\"} 0.0")
                .contains("sedge_function_panic{function=\"temperature-alert\"} 0.0")
                // The node's own health on the same page.
                .contains("jvm_memory_used_bytes{")
                .contains("jvm_gc_")
                .contains("process_cpu_usage")
                .contains("process_uptime_seconds");
        assertThat(node.get("/healthz").body()).contains("\"status\":\"ok\"");
    }

    @Test
    @Order(5)
    void deleteStopsTheTrigger() throws Exception {
        RunningNode.Cli delete = node.cli("delete", "temperature-alert");
        assertThat(delete.exit()).isZero();
        assertThat(delete.out()).contains("Function 'temperature-alert' deleted.");
        RunningNode.Cli again = node.cli("delete", "temperature-alert");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("error: function \"temperature-alert\" not found\n");
        assertThat(node.cli("list", "-o", "json").out().trim()).isEqualTo("[ ]");
        RunningNode.Cli invoke = node.cli("invoke", "temperature-alert");
        assertThat(invoke.exit()).isEqualTo(1);
        assertThat(invoke.err()).contains("not found");
    }
}
