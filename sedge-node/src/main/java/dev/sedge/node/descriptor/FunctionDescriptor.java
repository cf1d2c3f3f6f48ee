package dev.sedge.node.descriptor;

import dev.sedge.dataplane.Overflow;
import dev.sedge.dataplane.RetryPolicy;
import dev.sedge.scaling.ScaleSettings;
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
 * @param scale {@code spec.scale}, as written: what it leaves out comes from the node's defaults
 * @param retry {@code spec.retry}
 * @param queue {@code spec.queue}
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
        RetryPolicy retry,
        Queue queue,
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
     * {@code spec.scale} as written, with Knative's names; a null field takes the node's default. The rates
     * and the scale-to-zero grace period are node-wide only, as in Knative.
     *
     * @param min instances kept even when idle
     * @param max instances at most, 0 for no limit
     * @param initial instances started at activation
     * @param target concurrent events per instance the autoscaler aims for, before utilisation
     * @param utilization the share of the target aimed for, in percent
     * @param window the stable window the autoscaler averages over
     * @param panicWindowPercentage the panic window, in percent of the stable window
     * @param panicThresholdPercentage the panic threshold, in percent of what the ready instances carry
     * @param retention how long the last instance stays once the function is idle
     * @param scaleDownDelay how long a higher count is kept before a decrease
     * @param prewarm the keep-alive policy of the step between zero and one instance ({@link Prewarm})
     */
    public record Scale(
            Integer min,
            Integer max,
            Integer initial,
            Double target,
            Integer utilization,
            Duration window,
            Integer panicWindowPercentage,
            Integer panicThresholdPercentage,
            Duration retention,
            Duration scaleDownDelay,
            String prewarm) {

        public static final Scale UNSET = new Scale(null, null, null, null, null, null, null, null, null, null, null);

        /**
         * The settings this block gives over the node's defaults.
         *
         * @throws IllegalArgumentException naming the field (without {@code spec.scale.}) and the value
         */
        public ScaleSettings over(ScaleSettings d) {
            return new ScaleSettings(
                    min != null ? min : d.min(),
                    max != null ? max : (min != null && d.max() != 0 ? Math.max(d.max(), min) : d.max()),
                    initial != null ? initial : d.initial(),
                    target != null ? target : d.target(),
                    utilization != null ? utilization : d.utilizationPercentage(),
                    window != null ? window : d.window(),
                    panicWindowPercentage != null ? panicWindowPercentage : d.panicWindowPercentage(),
                    panicThresholdPercentage != null ? panicThresholdPercentage : d.panicThresholdPercentage(),
                    d.maxScaleUpRate(),
                    d.maxScaleDownRate(),
                    retention != null ? retention : d.retention(),
                    d.scaleToZeroGracePeriod(),
                    scaleDownDelay != null ? scaleDownDelay : d.scaleDownDelay());
        }
    }

    /**
     * {@code spec.queue}: the events that may wait for an instance.
     *
     * @param max events waiting before the queue counts as full
     * @param overflow what a full queue does: slow the publishers down, or dead-letter
     */
    public record Queue(int max, Overflow overflow) {
        public static final Queue DEFAULT =
                new Queue(dev.sedge.dataplane.DispatcherConfig.MAX_QUEUED_DEFAULT, Overflow.BACKPRESSURE);
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
     * @param maxRetries attempts after the first for this trigger's events, or -1 for {@code spec.retry.max}
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
