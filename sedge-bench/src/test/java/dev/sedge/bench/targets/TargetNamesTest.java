package dev.sedge.bench.targets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.node.cli.SedgeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"mqtt-throughput", "mqtt-latency"})
    void anUnknownTargetIsRefusedWithEveryName(String scenario) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = SedgeCli.run(
                new String[] {"bench", scenario, "--target", "sedge,nats"},
                new PrintWriter(out, true),
                new PrintWriter(err, true));

        assertThat(exit).isNotZero();
        assertThat(err.toString())
                .contains("--target: unknown target \"nats\" (use sedge, mosquitto, hivemq-ce or serverful)");
        assertThat(out.toString()).isEmpty();
    }
}
