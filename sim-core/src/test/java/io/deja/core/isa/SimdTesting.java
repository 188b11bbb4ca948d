package io.deja.core.isa;

import io.deja.core.testing.TestMachine;

import static io.deja.core.testing.TestMachine.CODE;
import static org.assertj.core.api.Assertions.assertThat;

/** Runs Advanced SIMD guest code with FP enabled and V registers seeded and read as (low, high) pairs. */
final class SimdTesting {
    private SimdTesting() {}

    static final long QC = 1L << 27;

    /** Runs asm; v holds V0, V1, ... as low, high, low, high, ...; returns the machine. */
    static TestMachine run(String asm, long... v) {
        return run(asm, v, new long[0]);
    }

    /** Runs asm; v holds V0, V1, ... as low, high pairs; X0.. get x. */
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

    /** V[n] is (low, high). */
    static void assertV(TestMachine m, int n, long low, long high) {
        assertThat(lo(m, n)).as("V%d low", n).isEqualTo(low);
        assertThat(hi(m, n)).as("V%d high", n).isEqualTo(high);
    }

    /** An allocated Advanced SIMD word with CPACR_EL1.FPEN = 0 takes the FP access trap (EC 0x07). */
    static void assertFpTrap(int word) {
        TestMachine m = TestMachine.withCode(".inst 0x" + Integer.toHexString(word));
        m.cpu.vbarEl1 = DataProcImmTest.VBAR;
        m.step(1);
        assertThat(m.cpu.pc).isEqualTo(DataProcImmTest.VBAR + 0x200);
        assertThat(m.cpu.esrEl1 >>> 26).isEqualTo(0x07);
    }
}
