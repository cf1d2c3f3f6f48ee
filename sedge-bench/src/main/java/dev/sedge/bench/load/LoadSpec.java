package dev.sedge.bench.load;

/**
 * What the load generator sends. Immutable; validated on construction, with the bad value and the
 * allowed range in the message.
 *
 * @param publishers publisher connections, each on its own topic {@code topicPrefix/N}
 * @param qos 0 or 1
 * @param payloadBytes bytes of each message's payload
 * @param window QoS 1 messages a connection may have unacknowledged; ignored at QoS 0
 * @param topicPrefix the topics' first levels; subscribe to {@code topicPrefix/+} to get them all
 */
public record LoadSpec(int publishers, int qos, int payloadBytes, int window, String topicPrefix) {

    public static final int PUBLISHERS_DEFAULT = 8;
    public static final int QOS_DEFAULT = 1;
    public static final int PAYLOAD_BYTES_DEFAULT = 64;
    /** Deep enough to keep a broker busy across a loopback round trip, small enough to stay a closed loop. */
    public static final int WINDOW_DEFAULT = 64;

    public static final int MAX_PUBLISHERS = 1_000;
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    public static final int MAX_WINDOW = 10_000;

    public LoadSpec {
        check("--publishers", publishers, 1, MAX_PUBLISHERS);
        check("--qos", qos, 0, 1);
        check("--payload-bytes", payloadBytes, 0, MAX_PAYLOAD_BYTES);
        check("--window", window, 1, MAX_WINDOW);
        if (topicPrefix == null || topicPrefix.isEmpty() || topicPrefix.contains("+") || topicPrefix.contains("#")) {
            throw new IllegalArgumentException("topic prefix: \"" + topicPrefix + "\" is not a plain topic name");
        }
    }

    private static void check(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + ": " + value + " is out of range (" + min + ".." + max + ")");
        }
    }

    /** The filter that matches every publisher's topic. */
    public String filter() {
        return topicPrefix + "/+";
    }

    String topic(int publisher) {
        return topicPrefix + "/" + publisher;
    }
}
