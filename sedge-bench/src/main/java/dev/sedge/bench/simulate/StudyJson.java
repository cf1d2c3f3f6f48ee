package dev.sedge.bench.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.scaling.sim.PolicyResult;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Writes a {@link StudyResult} as one JSON object on one line, so that several traces make a JSON Lines
 * stream: the trace, the settings, and one row per policy in run order. Stateless.
 */
final class StudyJson {

    // Plain numbers (1500.0, not 1.5E3), as the bench reports write them.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private StudyJson() {}

    static String line(StudyResult study) {
        ObjectNode root = JSON.createObjectNode();
        root.put("trace", study.trace().name());
        root.put("key", study.key());
        root.put("functions", study.trace().functions().size());
        root.put("events", study.trace().events());
        root.put("memory_mib", study.context().memoryMib());
        root.put("node_memory_mib", study.context().nodeMemoryMib());
        root.put("cold_start_ms", study.context().coldStartMillis());
        ArrayNode rows = root.putArray("rows");
        for (PolicyResult r : study.rows()) {
            ObjectNode o = rows.addObject();
            o.put("policy", r.policy());
            o.put("invocations", r.invocations());
            o.put("cold_starts", r.coldStarts());
            o.put("avoidable_cold_starts", r.avoidableColdStarts());
            o.put("cold_start_ratio", plain(r.coldStartRatio(), 6));
            o.put("wasted_gib_s", plain(r.wastedGibSeconds(), 4));
            o.put("prewarms", r.prewarms());
            o.put("added_latency_p50_ms", plain(r.addedLatencyP50Millis(), 3));
            o.put("added_latency_p99_ms", plain(r.addedLatencyP99Millis(), 3));
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values is always writable", e);
        }
    }

    /** {@code value} to {@code decimals} places, without trailing zeros but with one decimal: 0.0, 12.5. */
    static BigDecimal plain(double value, int decimals) {
        BigDecimal d = BigDecimal.valueOf(value)
                .setScale(decimals, RoundingMode.HALF_EVEN)
                .stripTrailingZeros();
        return d.scale() < 1 ? d.setScale(1) : d;
    }
}
