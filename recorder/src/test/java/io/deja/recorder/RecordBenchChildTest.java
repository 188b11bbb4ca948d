package io.deja.recorder;

import io.deja.core.testing.Kernels;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The overhead benchmark's fresh JVMs start as this one did, run one side each, and report what they measured. */
class RecordBenchChildTest {
    @Test
    void eachSideRunsInAJvmOfItsOwn() {
        long[] recorded = RecordBench.child(Kernels.build().resolve("timer_irq.raw"), "recorded", Long.MAX_VALUE, 1);
        long[] plain = RecordBench.child(Kernels.build().resolve("timer_irq.raw"), "plain", Long.MAX_VALUE, 1);
        // nanoseconds, checkpoint nanoseconds, open+close nanoseconds, events, bytes, instructions
        assertThat(recorded).hasSize(6);
        assertThat(recorded[0]).isPositive();
        assertThat(recorded[1]).isPositive().isLessThan(recorded[0]);
        assertThat(recorded[3]).isGreaterThan(100);
        assertThat(recorded[4]).isGreaterThan(recorded[3]);
        assertThat(recorded[5]).isBetween(500L, 5_000L);
        assertThat(plain[0]).isPositive();
        assertThat(plain[3]).isZero();
    }
}
