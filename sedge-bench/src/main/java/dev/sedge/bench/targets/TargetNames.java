package dev.sedge.bench.targets;

import java.util.List;

/** The names {@code --target} takes in the MQTT scenarios, and the error for any other. */
public final class TargetNames {

    /** Every target of {@code mqtt-throughput} and {@code mqtt-latency}, in the order the help lists them. */
    public static final List<String> MQTT =
            List.of(SedgeTarget.NAME, MosquittoTarget.NAME, HiveMqTarget.NAME, ServerfulTarget.NAME);

    private TargetNames() {}

    /** {@code --target: unknown target "x" (use a, b or c)}. */
    public static IllegalArgumentException unknown(String name, List<String> known) {
        String choices = known.size() == 1
                ? known.getFirst()
                : String.join(", ", known.subList(0, known.size() - 1)) + " or " + known.getLast();
        return new IllegalArgumentException("--target: unknown target \"" + name + "\" (use " + choices + ")");
    }
}
