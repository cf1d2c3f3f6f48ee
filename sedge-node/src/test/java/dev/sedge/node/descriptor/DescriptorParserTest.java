package dev.sedge.node.descriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sedge.dataplane.Overflow;
import dev.sedge.dataplane.RetryPolicy;
import dev.sedge.node.descriptor.FunctionDescriptor.Ack;
import dev.sedge.scaling.ScaleSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DescriptorParserTest {

    private final DescriptorParser parser = new DescriptorParser();

    private static final String VALID = """
            apiVersion: sedge.dev/v1alpha1
            kind: Function
            metadata: {name: temp-alert}
            spec:
              runtime: jvm
              artifact: ./fn.jar
              handler: com.example.Fn
              timeout: 5s
              resources: {memory: 64Mi, cpu: 500m}
              concurrency: 4
              scale: {min: 0, max: 10, target: 3, window: 60s, retention: 30s, prewarm: auto}
              env: {LEVEL: debug}
              triggers:
              - mqtt:
                  filter: sensors/+/temperature
                  qos: 1
                  group: temp-alert
                  ack: on-complete
                  orderBy: topic
                  response: {topic: "alerts/{topic.1}"}
                  errorTopic: $sedge/dlq/temp-alert
                  maxRetries: 3
            """;

    @Test
    void readsEveryFieldOfTheDesignExample() throws Exception {
        FunctionDescriptor d = parser.parse(VALID);
        assertThat(d.name()).isEqualTo("temp-alert");
        assertThat(d.runtime()).isEqualTo("jvm");
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.memoryBytes()).isEqualTo(64L << 20);
        assertThat(d.cpuMillis()).isEqualTo(500);
        assertThat(d.concurrency()).isEqualTo(4);
        assertThat(d.scale().target()).isEqualTo(3);
        assertThat(d.env()).containsEntry("LEVEL", "debug");
        FunctionDescriptor.MqttTrigger t = d.triggers().getFirst();
        assertThat(t.filter()).isEqualTo("sensors/+/temperature");
        assertThat(t.ack()).isEqualTo(Ack.ON_COMPLETE);
        assertThat(t.response().render("sensors/s1/temperature")).isEqualTo("alerts/s1");
        assertThat(t.maxRetries()).isEqualTo(3);
    }

    @Test
    void theShippedExampleIsValid() throws Exception {
        Path example = Path.of("..", "examples", "temperature-alert", "function.yaml");
        FunctionDescriptor d = parser.parse(Files.readString(example));
        assertThat(d.name()).isEqualTo("temperature-alert");
        assertThat(d.triggers().getFirst().response().render("sensors/kitchen/temperature"))
                .isEqualTo("alerts/kitchen");
    }

    @Test
    void fillsDefaults() throws Exception {
        FunctionDescriptor d = parser.parse("""
                apiVersion: sedge.dev/v1alpha1
                kind: Function
                metadata: {name: f}
                spec:
                  runtime: jvm
                  artifact: f.jar
                  triggers: [{mqtt: {filter: "a/#"}}]
                """);
        assertThat(d.timeout()).isEqualTo(FunctionDescriptor.TIMEOUT_DEFAULT);
        assertThat(d.concurrency()).isEqualTo(1);
        FunctionDescriptor.MqttTrigger t = d.triggers().getFirst();
        assertThat(t.qos()).isEqualTo(1);
        assertThat(t.ack()).isEqualTo(Ack.ON_COMPLETE);
        assertThat(t.errorTopic()).isEqualTo("$sedge/dlq/f");
        assertThat(t.response()).isNull();
    }

    @Test
    void readsScalingRetriesAndTheQueueLeavingWhatIsNotWrittenToTheNode() throws Exception {
        FunctionDescriptor d = parser.parse(VALID.replace(
                "  env: {LEVEL: debug}\n",
                "  env: {LEVEL: debug}\n  retry: {max: 4, backoff: 50ms, maxBackoff: 2s}\n"
                        + "  queue: {max: 500, overflow: dead-letter}\n"));
        assertThat(d.retry()).isEqualTo(new RetryPolicy(4, Duration.ofMillis(50), Duration.ofSeconds(2)));
        assertThat(d.queue()).isEqualTo(new FunctionDescriptor.Queue(500, Overflow.DEAD_LETTER));
        ScaleSettings node = ScaleSettings.DEFAULTS.withWindow(Duration.ofSeconds(30), Duration.ofSeconds(5));
        ScaleSettings s = d.scale().over(node);
        assertThat(s.target()).isEqualTo(3.0);
        assertThat(s.window()).isEqualTo(Duration.ofSeconds(60)); // written
        assertThat(s.retention()).isEqualTo(Duration.ofSeconds(30)); // written
        assertThat(s.initial()).isEqualTo(node.initial()); // not written: the node's
        assertThat(s.scaleToZeroGracePeriod()).isEqualTo(node.scaleToZeroGracePeriod());
    }

    @ParameterizedTest
    @CsvSource({"auto", "off", "knative", "fixed-1m", "fixed-240m", "sedge", "hybrid-histogram", "faascache"})
    void prewarmNamesAPolicyTheNodeCanRun(String value) throws Exception {
        assertThat(parser.parse(VALID.replace("prewarm: auto", "prewarm: " + value))
                        .scale()
                        .prewarm())
                .isEqualTo(value);
    }

    @Test
    void aDescriptorWithoutPrewarmLeavesItToTheNode() throws Exception {
        assertThat(parser.parse(VALID.replace(", prewarm: auto", "")).scale().prewarm())
                .isNull();
        assertThat(Prewarm.policy("off")).as("the autoscaler alone").isNull();
        assertThat(Prewarm.policy("knative")).isNull();
        assertThat(Prewarm.policy("fixed-5m")).isEqualTo("fixed-5m");
        assertThat(Prewarm.policy("auto")).isEqualTo(Prewarm.policy(Prewarm.AUTO_POLICY));
    }

    @Test
    void aTriggerWithoutMaxRetriesTakesTheFunctions() throws Exception {
        FunctionDescriptor d = parser.parse(VALID.replace("      maxRetries: 3\n", ""));
        assertThat(d.triggers().getFirst().maxRetries()).isEqualTo(-1);
        assertThat(d.retry()).isEqualTo(RetryPolicy.NONE);
        assertThat(d.queue()).isEqualTo(FunctionDescriptor.Queue.DEFAULT);
    }

    @Test
    void qos0DefaultsToAcknowledgeOnReceipt() throws Exception {
        FunctionDescriptor d = parser.parse(VALID.replace("qos: 1", "qos: 0").replace("      ack: on-complete\n", ""));
        assertThat(d.triggers().getFirst().ack()).isEqualTo(Ack.ON_RECEIPT);
    }

    /** Each bad input is refused with one line naming the field and the value. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            commentCharacter = ';',
            value = {
                "timeout: 5s                | timeout: 5 sec        | spec.timeout: invalid duration \"5 sec\" (use a number and a unit ms, s, m or h: 500ms, 5s, 1m30s)",
                "timeout: 5s                | timeot: 5s            | spec.timeot: unknown field (known: runtime, artifact, handler, timeout, resources, concurrency, scale, retry, queue, env, triggers)",
                "filter: sensors/+/temperature | filter: sensors/#/temperature | spec.triggers[0].mqtt.filter: invalid topic filter \"sensors/#/temperature\": '#' must be the whole last level",
                "filter: sensors/+/temperature | filter: sensors/t+ | spec.triggers[0].mqtt.filter: invalid topic filter \"sensors/t+\": '+' must be a whole level",
                "runtime: jvm               | runtime: docker       | spec.runtime: unknown \"docker\" (use jvm, wasm or process)",
                "name: temp-alert           | name: Temp_Alert      | metadata.name: invalid \"Temp_Alert\" (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63)",
                "qos: 1                     | qos: 3                | spec.triggers[0].mqtt.qos: 3 is out of range 0..2",
                "concurrency: 4             | concurrency: four     | spec.concurrency: must be a whole number 1..10000, was \"four\"",
                "memory: 64Mi               | memory: 64MB          | spec.resources.memory: invalid size \"64MB\" (use bytes or a unit Ki, Mi, Gi, k, M, G: 64Mi)",
                "ack: on-complete           | ack: later            | spec.triggers[0].mqtt.ack: unknown \"later\" (use on-complete or on-receipt)",
                "\"alerts/{topic.1}\"       | \"alerts/{device}\"   | spec.triggers[0].mqtt.response.topic: unknown placeholder \"{device}\" in \"alerts/{device}\" (allowed: {topic.N})",
                "\"alerts/{topic.1}\"       | \"alerts/+/{topic.1}\" | spec.triggers[0].mqtt.response.topic: invalid topic \"alerts/+/{topic.1}\": wildcards '+' and '#' are not allowed in a topic name",
                "window: 60s                | window: soon          | spec.scale.window: invalid duration \"soon\" (use a number and a unit ms, s, m or h: 500ms, 5s, 1m30s)",
                "min: 0                     | min: 20               | spec.scale.min: 20 is more than max 10",
                "window: 60s                | window: 3s            | spec.scale.window: 3s is out of range 6s..1h",
                "target: 3                  | target: lots          | spec.scale.target: must be a number 0.01..10000, was \"lots\"",
                "prewarm: auto              | prewarm: auto, utilization: 0 | spec.scale.utilization: 0 is out of range 1..100",
                "prewarm: auto              | prewarm: auto, panicThresholdPercentage: 100 | spec.scale.panicThresholdPercentage: 100 is out of range 110..1000",
                "prewarm: auto              | prewarm: always       | spec.scale.prewarm: unknown \"always\" (known: auto, off, sedge, hybrid-histogram, faascache, icebreaker, hotc, knative, fixed-<minutes>m)",
                "prewarm: auto              | prewarm: oracle       | spec.scale.prewarm: unknown \"oracle\" (known: auto, off, sedge, hybrid-histogram, faascache, icebreaker, hotc, knative, fixed-<minutes>m)",
                "prewarm: auto              | prewarm: fixed-0m     | spec.scale.prewarm: unknown \"fixed-0m\" (known: auto, off, sedge, hybrid-histogram, faascache, icebreaker, hotc, knative, fixed-<minutes>m)",
                "prewarm: auto              | prewarm: 5            | spec.scale.prewarm: must be a string, was 5",
                "prewarm: auto              | prewarm: auto, maxScaleUpRate: 3 | spec.scale.maxScaleUpRate: unknown field (known: min, max, initial, target, utilization, window, panicWindowPercentage, panicThresholdPercentage, retention, scaleDownDelay, prewarm)",
                "env: {LEVEL: debug}        | retry: {max: 3, backoff: 1s, maxBackoff: 500ms} | spec.retry.maxBackoff: 500ms is out of range backoff (1000ms)..1h",
                "env: {LEVEL: debug}        | retry: {max: 101}     | spec.retry.max: 101 is out of range 0..100",
                "env: {LEVEL: debug}        | queue: {overflow: drop} | spec.queue.overflow: unknown \"drop\" (use backpressure or dead-letter)",
                "env: {LEVEL: debug}        | queue: {max: 0}       | spec.queue.max: 0 is out of range 1..10000000",
                "apiVersion: sedge.dev/v1alpha1 | apiVersion: v1     | apiVersion: unsupported \"v1\" (use sedge.dev/v1alpha1)",
                "errorTopic: $sedge/dlq/temp-alert | errorTopic: dlq/# | spec.triggers[0].mqtt.errorTopic: invalid topic \"dlq/#\": wildcards '+' and '#' are not allowed in a topic name",
            })
    void refusesBadInputNamingTheFieldAndValue(String from, String to, String message) {
        String bad = VALID.replace(from, to);
        assertThat(bad).as("the replacement applied").isNotEqualTo(VALID);
        assertThatThrownBy(() -> parser.parse(bad))
                .isInstanceOf(DescriptorException.class)
                .hasMessage(message);
    }

    @Test
    void refusesAMissingArtifact() {
        assertThatThrownBy(() -> parser.parse(VALID.replace("  artifact: ./fn.jar\n", "")))
                .isInstanceOf(DescriptorException.class)
                .hasMessage("spec.artifact: required");
    }

    @Test
    void refusesADuplicateKey() {
        assertThatThrownBy(() -> parser.parse(VALID.replace("  timeout: 5s\n", "  timeout: 5s\n  timeout: 6s\n")))
                .isInstanceOf(DescriptorException.class)
                .hasMessageStartingWith("descriptor: not valid YAML or JSON: Duplicate field 'timeout'");
    }

    @Test
    void refusesSomethingThatIsNotADescriptor() {
        assertThatThrownBy(() -> parser.parse("- just\n- a list\n"))
                .isInstanceOf(DescriptorException.class)
                .hasMessage("descriptor: must be a mapping with apiVersion, kind, metadata and spec");
    }

    @Test
    void readsJsonToo() throws Exception {
        FunctionDescriptor d = parser.parse("""
                {"apiVersion": "sedge.dev/v1alpha1", "kind": "Function", "metadata": {"name": "j"},
                 "spec": {"runtime": "jvm", "artifact": "a.jar", "timeout": "250ms"}}""");
        assertThat(d.timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(d.triggers()).isEmpty();
    }
}
