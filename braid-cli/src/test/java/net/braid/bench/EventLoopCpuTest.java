package net.braid.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventLoopCpuTest {
    @Test
    void countsUserAndSystemTicksOfEventLoopThreadsOnly() {
        // proc(5): pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String loop = "4242 (multiThreadIoEv) R 4200 4200 4200 0 -1 4194368 120 0 3 0 731 266 0 0 20 0 30 0";
        String jit = "4243 (C2 CompilerThre) S 4200 4200 4200 0 -1 4194368 120 0 3 0 900 100 0 0 20 0 30 0";
        assertThat(EventLoopCpu.ticks(loop)).isEqualTo(731 + 266);
        assertThat(EventLoopCpu.ticks(jit)).isZero();
    }

    @Test
    void aCommandWithParenthesesAndSpacesDoesNotShiftTheFields() {
        String odd = "7 (multiThreadIoEv) x) S 1 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0";
        assertThat(EventLoopCpu.ticks(odd)).isEqualTo(11);
    }
}
