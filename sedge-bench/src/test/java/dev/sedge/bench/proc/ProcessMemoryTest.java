package dev.sedge.bench.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ProcessMemoryTest {

    @Test
    void readsTheResidentSetOfAStatusText() {
        String status =
                "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  250000 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 100000 kB\n";
        assertThat(ProcessMemory.parseRssKib(status)).isEqualTo(123_456);
    }

    @Test
    void aStatusWithoutAResidentSetIsRefused() {
        assertThatThrownBy(() -> ProcessMemory.parseRssKib("Name:\tkthreadd\nState:\tS (sleeping)\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VmRSS");
    }

    @Test
    void measuresThisProcessAndFailsForOneThatDoesNotExist() throws IOException {
        assertThat(ProcessMemory.rssBytes(ProcessHandle.current().pid())).isGreaterThan(1024 * 1024);
        assertThatThrownBy(() -> ProcessMemory.rssBytes(Long.MAX_VALUE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("has ended");
    }
}
