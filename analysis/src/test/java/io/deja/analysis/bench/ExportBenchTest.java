package io.deja.analysis.bench;

import io.deja.core.testing.Kernels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The analysis figures of the issue, measured (printed, not asserted: machines
 * are shared and noisy): export rows per second, and first_write over about
 * 10 M register writes. Also part of deja bench --recording. Run:
 * mvn -pl analysis -am test -Pslow -Dtest=ExportBenchTest -Dsurefire.failIfNoSpecifiedTests=false
 */
@Tag("slow")
class ExportBenchTest {
    static final long N = Long.getLong("deja.bench.insns", ExportBench.DEFAULT_INSTRUCTIONS);

    @Test
    void exportAndFirstWriteOnTenMillionInstructions() {
        ExportBench.Report r = ExportBench.run(Kernels.build(), 3, N, new PrintWriter(System.out, true));
        assertThat(r.rowsPerSecond()).isPositive();
        assertThat(r.regWrites()).isGreaterThan(N / 2);
        assertThat(r.firstWriteMillis()).isPositive();
    }
}
