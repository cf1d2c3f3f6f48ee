package dev.sedge.bench.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class JvmGcTest {

    @Test
    void readsTheHeapInUseFromHeapInfo() throws IOException {
        String info = "4242:\n"
                + "garbage-first heap   total reserved 6172672K, committed 28672K, used 2914K [0x0000000687400000,"
                + " 0x0000000800000000)\n region size 4096K, 0 young (0K), 0 survivors (0K)\n";
        assertThat(JvmGc.parseUsedKib(info)).isEqualTo(2914);
        assertThatThrownBy(() -> JvmGc.parseUsedKib("4242:\nCommand executed successfully\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("heap");
    }

    @Test
    void collectsInAnotherJvmAndReadsItsHeap() throws Exception {
        assumeTrue(Files.isExecutable(JvmGc.jcmd()), "this JDK has no jcmd");
        // This JVM is another JVM to jcmd: the same attach mechanism as for a node.
        long self = ProcessHandle.current().pid();
        JvmGc.run(self, Duration.ofSeconds(30));
        assertThat(JvmGc.heapUsedBytes(self, Duration.ofSeconds(30))).isPositive();
    }
}
