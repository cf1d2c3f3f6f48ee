package dev.sedge.node.descriptor;

import static dev.sedge.node.descriptor.DescriptorFields.duration;
import static dev.sedge.node.descriptor.DescriptorFields.integer;
import static dev.sedge.node.descriptor.DescriptorFields.known;
import static dev.sedge.node.descriptor.DescriptorFields.optionalInteger;
import static dev.sedge.node.descriptor.DescriptorFields.optionalObject;
import static dev.sedge.node.descriptor.DescriptorFields.optionalScalar;
import static dev.sedge.node.descriptor.DescriptorFields.optionalString;
import static dev.sedge.node.descriptor.DescriptorFields.requiredObject;
import static dev.sedge.node.descriptor.DescriptorFields.requiredString;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sedge.broker.router.Topics;
import dev.sedge.dataplane.Overflow;
import dev.sedge.dataplane.RetryPolicy;
import dev.sedge.node.descriptor.FunctionDescriptor.Ack;
import dev.sedge.node.descriptor.FunctionDescriptor.MqttTrigger;
import dev.sedge.node.descriptor.FunctionDescriptor.Queue;
import dev.sedge.node.descriptor.FunctionDescriptor.Scale;
import dev.sedge.scaling.ScaleSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates function descriptors, in YAML or JSON. Every refusal is one line naming the field
 * path and the value. Thread-safe.
 */
public final class DescriptorParser {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Set<String> RUNTIMES = Set.of("jvm", "wasm", "process");
    private static final Set<String> ORDER_BY = Set.of("none", "topic", "client");
    private static final Pattern CPU = Pattern.compile("(\\d+)m|(\\d+(?:\\.\\d{1,3})?)");

    private final ObjectMapper yaml = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .build();

    /** Parses YAML or JSON text (JSON is YAML). */
    public FunctionDescriptor parse(String text) throws DescriptorException {
        return parse(tree(text));
    }

    /** Reads YAML or JSON text into a tree, without validating it. */
    public JsonNode tree(String text) throws DescriptorException {
        try {
            return yaml.readTree(text);
        } catch (JacksonException e) {
            throw new DescriptorException("descriptor: not valid YAML or JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    /** Validates a parsed tree. */
    public FunctionDescriptor parse(JsonNode root) throws DescriptorException {
        if (root == null || !root.isObject()) {
            throw new DescriptorException("descriptor: must be a mapping with apiVersion, kind, metadata and spec");
        }
        known(root, "", "apiVersion", "kind", "metadata", "spec");
        String apiVersion = requiredString(root, "", "apiVersion");
        if (!apiVersion.equals(FunctionDescriptor.API_VERSION)) {
            throw new DescriptorException(
                    "apiVersion: unsupported \"" + apiVersion + "\" (use " + FunctionDescriptor.API_VERSION + ")");
        }
        String kind = requiredString(root, "", "kind");
        if (!kind.equals(FunctionDescriptor.KIND)) {
            throw new DescriptorException("kind: unsupported \"" + kind + "\" (use Function)");
        }
        JsonNode metadata = requiredObject(root, "", "metadata");
        known(metadata, "metadata", "name", "labels", "annotations");
        String name = requiredString(metadata, "metadata", "name");
        if (!DNS_LABEL.matcher(name).matches()) {
            throw new DescriptorException(
                    "metadata.name: invalid \"" + name
                            + "\" (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63)");
        }

        JsonNode spec = requiredObject(root, "", "spec");
        known(
                spec,
                "spec",
                "runtime",
                "artifact",
                "handler",
                "timeout",
                "resources",
                "concurrency",
                "scale",
                "retry",
                "queue",
                "env",
                "triggers");
        String runtime = requiredString(spec, "spec", "runtime");
        if (!RUNTIMES.contains(runtime)) {
            throw new DescriptorException("spec.runtime: unknown \"" + runtime + "\" (use jvm, wasm or process)");
        }
        String artifact = requiredString(spec, "spec", "artifact");
        if (artifact.isBlank()) {
            throw new DescriptorException("spec.artifact: must not be empty");
        }
        String handler = optionalString(spec, "spec", "handler", null);
        Duration timeout = duration(spec, "spec", "timeout", FunctionDescriptor.TIMEOUT_DEFAULT);
        if (timeout.isZero()) {
            throw new DescriptorException("spec.timeout: must be more than 0");
        }

        long memory = 0;
        long cpu = 0;
        JsonNode resources = optionalObject(spec, "spec", "resources");
        if (resources != null) {
            known(resources, "spec.resources", "memory", "cpu");
            String mem = optionalScalar(resources, "spec.resources", "memory");
            if (mem != null) {
                try {
                    memory = Quantities.bytes(mem);
                } catch (IllegalArgumentException | ArithmeticException e) {
                    throw new DescriptorException("spec.resources.memory: " + e.getMessage());
                }
            }
            String cpuText = optionalScalar(resources, "spec.resources", "cpu");
            if (cpuText != null) {
                var m = CPU.matcher(cpuText);
                if (!m.matches()) {
                    throw new DescriptorException(
                            "spec.resources.cpu: invalid \"" + cpuText + "\" (use cores or millicores: 0.5, 500m)");
                }
                cpu = m.group(1) != null
                        ? Long.parseLong(m.group(1))
                        : Math.round(Double.parseDouble(m.group(2)) * 1000);
            }
        }

        int concurrency = integer(spec, "spec", "concurrency", FunctionDescriptor.CONCURRENCY_DEFAULT, 1, 10_000);
        Scale scale = scale(spec);
        RetryPolicy retry = retry(spec);
        Queue queue = queue(spec);
        Map<String, String> env = env(spec);

        List<MqttTrigger> triggers = new ArrayList<>();
        JsonNode list = spec.get("triggers");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new DescriptorException("spec.triggers: must be a list");
            }
            for (int i = 0; i < list.size(); i++) {
                triggers.add(trigger(list.get(i), "spec.triggers[" + i + "]", name));
            }
        }
        return new FunctionDescriptor(
                name,
                runtime,
                artifact,
                handler,
                timeout,
                memory,
                cpu,
                concurrency,
                scale,
                retry,
                queue,
                env,
                triggers);
    }

    private Scale scale(JsonNode spec) throws DescriptorException {
        JsonNode node = optionalObject(spec, "spec", "scale");
        if (node == null) {
            return Scale.UNSET;
        }
        String p = "spec.scale";
        known(
                node,
                p,
                "min",
                "max",
                "initial",
                "target",
                "utilization",
                "window",
                "panicWindowPercentage",
                "panicThresholdPercentage",
                "retention",
                "scaleDownDelay",
                "prewarm");
        Double target = null;
        JsonNode t = node.get("target");
        if (t != null && !t.isNull()) {
            if (!t.isNumber()) {
                throw new DescriptorException(p + ".target: must be a number 0.01..10000, was " + t);
            }
            target = t.doubleValue();
        }
        JsonNode pw = node.get("prewarm");
        // YAML 1.1 reads a bare off as false.
        String prewarm = pw != null && pw.isBoolean() && !pw.asBoolean()
                ? Prewarm.OFF
                : optionalString(node, p, "prewarm", null);
        if (prewarm != null) {
            try {
                Prewarm.check(p + ".prewarm", prewarm);
            } catch (IllegalArgumentException e) {
                throw new DescriptorException(e.getMessage());
            }
        }
        Scale scale = new Scale(
                optionalInteger(node, p, "min"),
                optionalInteger(node, p, "max"),
                optionalInteger(node, p, "initial"),
                target,
                optionalInteger(node, p, "utilization"),
                duration(node, p, "window", null),
                optionalInteger(node, p, "panicWindowPercentage"),
                optionalInteger(node, p, "panicThresholdPercentage"),
                duration(node, p, "retention", null),
                duration(node, p, "scaleDownDelay", null),
                prewarm);
        // Each field on its own, against Knative's limits; against the node's defaults at deploy.
        try {
            scale.over(ScaleSettings.DEFAULTS);
        } catch (IllegalArgumentException e) {
            throw new DescriptorException(p + "." + e.getMessage());
        }
        return scale;
    }

    private RetryPolicy retry(JsonNode spec) throws DescriptorException {
        JsonNode node = optionalObject(spec, "spec", "retry");
        if (node == null) {
            return RetryPolicy.NONE;
        }
        String p = "spec.retry";
        known(node, p, "max", "backoff", "maxBackoff");
        try {
            return new RetryPolicy(
                    integer(node, p, "max", RetryPolicy.MAX_RETRIES_DEFAULT, 0, 100),
                    duration(node, p, "backoff", RetryPolicy.BACKOFF_DEFAULT),
                    duration(node, p, "maxBackoff", RetryPolicy.MAX_BACKOFF_DEFAULT));
        } catch (IllegalArgumentException e) {
            throw new DescriptorException(p + "." + e.getMessage());
        }
    }

    private Queue queue(JsonNode spec) throws DescriptorException {
        JsonNode node = optionalObject(spec, "spec", "queue");
        if (node == null) {
            return Queue.DEFAULT;
        }
        String p = "spec.queue";
        known(node, p, "max", "overflow");
        int max = integer(node, p, "max", Queue.DEFAULT.max(), 1, 10_000_000);
        String overflow =
                optionalString(node, p, "overflow", Queue.DEFAULT.overflow().text());
        for (Overflow o : Overflow.values()) {
            if (o.text().equals(overflow)) {
                return new Queue(max, o);
            }
        }
        throw new DescriptorException(p + ".overflow: unknown \"" + overflow + "\" (use backpressure or dead-letter)");
    }

    private Map<String, String> env(JsonNode spec) throws DescriptorException {
        JsonNode node = optionalObject(spec, "spec", "env");
        Map<String, String> env = new LinkedHashMap<>();
        if (node != null) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw new DescriptorException("spec.env." + e.getKey() + ": must be a string");
                }
                env.put(e.getKey(), e.getValue().asText());
            }
        }
        return env;
    }

    private MqttTrigger trigger(JsonNode node, String path, String functionName) throws DescriptorException {
        if (node == null || !node.isObject()) {
            throw new DescriptorException(path + ": must be a mapping such as {mqtt: {filter: ...}}");
        }
        known(node, path, "mqtt");
        JsonNode mqtt = requiredObject(node, path, "mqtt");
        String p = path + ".mqtt";
        known(mqtt, p, "filter", "qos", "group", "ack", "orderBy", "response", "errorTopic", "maxRetries");
        String filter = requiredString(mqtt, p, "filter");
        String error = Topics.filterError(filter);
        if (error != null) {
            throw new DescriptorException(p + ".filter: invalid topic filter \"" + filter + "\": " + error);
        }
        if (filter.startsWith("$share/")) {
            throw new DescriptorException(p + ".filter: \"" + filter
                    + "\" is a shared subscription; give the plain filter and set group instead");
        }
        int qos = integer(mqtt, p, "qos", 1, 0, 2);
        String group = optionalString(mqtt, p, "group", null);
        if (group != null && (group.isEmpty() || group.contains("/") || group.contains("+") || group.contains("#"))) {
            throw new DescriptorException(p + ".group: invalid \"" + group + "\" (no '/', '+' or '#')");
        }
        String ackText = optionalString(mqtt, p, "ack", qos == 0 ? "on-receipt" : "on-complete");
        Ack ack = switch (ackText) {
            case "on-complete" -> Ack.ON_COMPLETE;
            case "on-receipt" -> Ack.ON_RECEIPT;
            default ->
                throw new DescriptorException(p + ".ack: unknown \"" + ackText + "\" (use on-complete or on-receipt)");
        };
        String orderBy = optionalString(mqtt, p, "orderBy", "none");
        if (!ORDER_BY.contains(orderBy)) {
            throw new DescriptorException(p + ".orderBy: unknown \"" + orderBy + "\" (use none, topic or client)");
        }
        ResponseTemplate response = null;
        JsonNode resp = optionalObject(mqtt, p, "response");
        if (resp != null) {
            known(resp, p + ".response", "topic");
            String template = requiredString(resp, p + ".response", "topic");
            try {
                response = ResponseTemplate.parse(template);
            } catch (IllegalArgumentException e) {
                throw new DescriptorException(p + ".response.topic: " + e.getMessage());
            }
        }
        String errorTopic = optionalString(mqtt, p, "errorTopic", "$sedge/dlq/" + functionName);
        String topicError = Topics.nameError(errorTopic);
        if (topicError != null) {
            throw new DescriptorException(p + ".errorTopic: invalid topic \"" + errorTopic + "\": " + topicError);
        }
        int maxRetries = integer(mqtt, p, "maxRetries", -1, 0, 100);
        return new MqttTrigger(filter, qos, group, ack, orderBy, response, errorTopic, maxRetries);
    }
}
