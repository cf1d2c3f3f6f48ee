package dev.sedge.node.descriptor;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A validated function descriptor ({@code apiVersion: sedge.dev/v1alpha1}, {@code kind: Function}).
 * Immutable; produced only by {@link DescriptorParser}, which checks every field.
 *
 * @param name {@code metadata.name}, a DNS-1123 label
 * @param runtime {@code spec.runtime}: jvm, wasm or process
 * @param artifact {@code spec.artifact} as written: a path, resolved by whoever reads the file
 * @param handler {@code spec.handler}, the entry point (a class for jvm), or null
 * @param timeout {@code spec.timeout}
 * @param memoryBytes {@code spec.resources.memory}, 0 for no limit
 * @param cpuMillis {@code spec.resources.cpu} in millicores, 0 for no limit
 * @param concurrency {@code spec.concurrency}: events one instance handles at once
 * @param scale {@code spec.scale}
 * @param env {@code spec.env}
 * @param triggers {@code spec.triggers}
 */
public record FunctionDescriptor(
        String name,
        String runtime,
        String artifact,
        String handler,
        Duration timeout,
        long memoryBytes,
        long cpuMillis,
        int concurrency,
        Scale scale,
        Map<String, String> env,
        List<MqttTrigger> triggers) {

    public static final String API_VERSION = "sedge.dev/v1alpha1";
    public static final String KIND = "Function";
    public static final Duration TIMEOUT_DEFAULT = Duration.ofSeconds(30);
    public static final int CONCURRENCY_DEFAULT = 1;

    public FunctionDescriptor {
        env = Map.copyOf(env);
        triggers = List.copyOf(triggers);
    }

    /**
     * {@code spec.scale}, with Knative's names.
     *
     * @param min instances kept even when idle
     * @param max instances at most
     * @param target concurrent events per instance the autoscaler aims for
     * @param window the stable window the autoscaler averages over
     * @param retention how long an idle instance is kept before scaling to zero
     * @param prewarm {@code auto} (learned from arrivals) or {@code off}
     */
    public record Scale(int min, int max, int target, Duration window, Duration retention, String prewarm) {
        public static final Scale DEFAULT = new Scale(0, 10, 1, Duration.ofSeconds(60), Duration.ofSeconds(30), "auto");
    }

    /** How a trigger's publisher is acknowledged. */
    public enum Ack {
        /** After the function finished or its failure went to the error topic: nothing acknowledged is lost. */
        ON_COMPLETE("on-complete"),
        /** As soon as the broker has the message: lower latency, lost if the node dies first. */
        ON_RECEIPT("on-receipt");

        private final String text;

        Ack(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /**
     * One {@code spec.triggers[].mqtt}.
     *
     * @param filter the topic filter
     * @param qos the subscription's maximum QoS
     * @param group the shared-subscription group across nodes, or null
     * @param ack when the publisher is acknowledged
     * @param orderBy none, topic or client
     * @param response the reply topic template, or null for replies only to an MQTT 5 response topic
     * @param errorTopic where failed events go
     * @param maxRetries attempts after the first
     */
    public record MqttTrigger(
            String filter,
            int qos,
            String group,
            Ack ack,
            String orderBy,
            ResponseTemplate response,
            String errorTopic,
            int maxRetries) {}
}
