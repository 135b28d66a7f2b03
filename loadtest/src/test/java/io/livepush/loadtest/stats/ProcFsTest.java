package io.livepush.loadtest.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ProcFsTest {

    @Test
    void cpuTicksAreUtimePlusStimeCountedAfterTheCommandName() throws IOException {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
        String stat = "4755 (a (b) c) R 4748 4748 2995 0 -1 4194304 117 0 0 0 250 31 0 0 20 0 1 0";

        assertThat(ProcFs.cpuTicks(stat)).isEqualTo(281);
        assertThatThrownBy(() -> ProcFs.cpuTicks("4755 (cut")).isInstanceOf(IOException.class);
    }

    @Test
    void thisProcessHasUsedCpuAndHoldsMemory() throws IOException {
        long self = ProcessHandle.current().pid();

        assertThat(ProcFs.cpuNanos(self)).isPositive();
        assertThat(ProcFs.rssBytes(self)).isGreaterThan(1 << 20);
    }
}
