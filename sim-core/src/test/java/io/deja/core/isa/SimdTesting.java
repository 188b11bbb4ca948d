package io.deja.core.isa;

import io.deja.core.testing.TestMachine;

import static io.deja.core.testing.TestMachine.CODE;
import static org.assertj.core.api.Assertions.assertThat;

/** Runs Advanced SIMD guest code with FP enabled and reads V registers as (low, high) pairs. */
final class SimdTesting {
    private SimdTesting() {}

    static final long QC = 1L << 27;

    /** Runs asm with FP enabled; v holds V0, V1, ... as low, high pairs; X0.. get x. */
    static TestMachine run(String asm, long[] v, long... x) {
        TestMachine m = TestMachine.withCode(asm);
        m.cpu.sys.cpacrEl1 = 3L << 20;
        System.arraycopy(v, 0, m.cpu.v, 0, v.length);
        System.arraycopy(x, 0, m.cpu.x, 0, x.length);
        long lines = DataProcImmTest.instructionCount(asm);
        m.step(lines);
        assertThat(m.cpu.pc).as("no exception").isEqualTo(CODE + 4 * lines);
        return m;
    }

    static long[] regs(long... lowHighPairs) {
        return lowHighPairs;
    }

    static long lo(TestMachine m, int n) {
        return m.cpu.v[2 * n];
    }

    static long hi(TestMachine m, int n) {
        return m.cpu.v[2 * n + 1];
    }

    /** V[n] as {low, high}. */
    static long[] q(TestMachine m, int n) {
        return new long[] {m.cpu.v[2 * n], m.cpu.v[2 * n + 1]};
    }
}
