package dev.sedge.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeMetricsTest {

    @Test
    void prewarmsAreCountedPerFunction() {
        try (NodeMetrics metrics = new NodeMetrics()) {
            metrics.prewarmed("porch");
            metrics.prewarmed("porch");
            metrics.prewarmed("attic");
            assertThat(metrics.scrape())
                    .contains("sedge_prewarms_total{function=\"porch\"} 2.0")
                    .contains("sedge_prewarms_total{function=\"attic\"} 1.0");
        }
    }
}
