package dev.sedge.bench.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ProcessCpuTest {

    @Test
    void readsUserAndSystemTicksAfterTheCommandName() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        // The command name holds a space and a ')' of its own: fields are counted after the last ')'.
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 75 0 0 20 0 30 0";
        assertThat(ProcessCpu.parseStat(stat)).isEqualTo((250 + 75) / 100.0);
    }

    @Test
    void refusesWhatIsNotAStatLine() {
        assertThatThrownBy(() -> ProcessCpu.parseStat("no parenthesis here"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessCpu.parseStat("1 (x) S 1 2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void measuresThisProcess() throws IOException {
        assertThat(ProcessCpu.self()).isPositive();
    }

    @Test
    void measuresHowLongThisProcessWaitedForACpu() throws IOException {
        assumeTrue(
                Files.exists(Path.of("/proc/self/schedstat")),
                "this kernel keeps no scheduler statistics (no /proc/self/schedstat)");
        assertThat(ProcessCpu.waitingSeconds(ProcessHandle.current().pid())).isNotNegative();
    }

    @Test
    void aProcessThatDoesNotExistIsAnIoError() {
        assertThatThrownBy(() -> ProcessCpu.seconds(Long.MAX_VALUE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("has ended");
        assertThatThrownBy(() -> ProcessCpu.waitingSeconds(Long.MAX_VALUE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("has ended");
    }
}
