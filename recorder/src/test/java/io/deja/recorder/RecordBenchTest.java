package io.deja.recorder;

import io.deja.core.testing.Kernels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the recording benchmarks (mvn -Pslow): prints the figures, asserts
 * only that they were measured (timing targets are reported, not asserted,
 * on shared machines).
 */
@Tag("slow")
class RecordBenchTest {
    @Test
    void measuresTheRecordingFigures() {
        RecordBench.Report r = RecordBench.run(Kernels.build(), 3, new PrintWriter(System.out, true));
        assertThat(r.exitsPerSecond()).isPositive();
        assertThat(r.fullInsnsPerSecond()).isPositive();
        assertThat(r.fullBytesPerInsn()).isBetween(0.5, 20.0);
    }
}
