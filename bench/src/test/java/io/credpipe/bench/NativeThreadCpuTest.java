package io.credpipe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NativeThreadCpuTest {

    @Test
    void threadsAreGroupedByTheirLinuxNames() {
        assertThat(NativeThreadCpu.group("GC Thread#1")).isEqualTo(NativeThreadCpu.GC);
        assertThat(NativeThreadCpu.group("G1 Conc#0")).isEqualTo(NativeThreadCpu.GC);
        assertThat(NativeThreadCpu.group("C2 CompilerThre")).isEqualTo(NativeThreadCpu.JIT);
        assertThat(NativeThreadCpu.group("C1 CompilerThre")).isEqualTo(NativeThreadCpu.JIT);
        assertThat(NativeThreadCpu.group("rocksdb:low")).isEqualTo(NativeThreadCpu.ROCKSDB);
        assertThat(NativeThreadCpu.group("kafka-producer-")).as("a Java thread: ThreadCpu counts it").isNull();
    }

    @Test
    void ticksAreUserPlusSystemTimeCountedFromTheLastParenthesis() {
        // A stat line of proc(5); the name holds a space and a ')' of its own.
        String stat = "4242 (G1 Conc) x) S 1 4200 4200 0 -1 4194368 12 0 0 0 731 45 0 0 20 0 60 0 1234 0 0";

        assertThat(NativeThreadCpu.ticks(stat)).isEqualTo(731 + 45);
    }
}
