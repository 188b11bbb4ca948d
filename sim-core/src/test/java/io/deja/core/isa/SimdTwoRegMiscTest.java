package io.deja.core.isa;

import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import static io.deja.core.isa.DataProcImmTest.assertUndefined;
import static io.deja.core.isa.SimdTesting.QC;
import static io.deja.core.isa.SimdTesting.assertV;
import static io.deja.core.isa.SimdTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

/** Advanced SIMD two-register miscellaneous, integer (vector and scalar); values from the Arm ARM pseudocode. */
class SimdTwoRegMiscTest {
    static final long MAX = Long.MAX_VALUE, MIN = Long.MIN_VALUE;

    @Test
    void saturatingNarrowsClampAndTheUpperFormKeepsTheLowerHalf() {
        // 4S -> 4H lanes: 0x12345 (too big), -70000 (too small), 5, -5
        long lo = 0xFFFE_EE90_0001_2345L, hi = 0xFFFF_FFFB_0000_0005L;
        TestMachine m = run("""
                xtn v2.4h, v0.4s
                sqxtn v3.4h, v0.4s
                uqxtn v4.4h, v0.4s
                sqxtun v5.4h, v0.4s
                sqxtn2 v6.8h, v0.4s
                """, lo, hi, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xAAAA, 0xBBBB);
        assertV(m, 2, 0xFFFB_0005_EE90_2345L, 0);
        assertV(m, 3, 0xFFFB_0005_8000_7FFFL, 0);
        assertV(m, 4, 0xFFFF_0005_FFFF_FFFFL, 0);
        assertV(m, 5, 0x0000_0005_0000_FFFFL, 0);
        assertV(m, 6, 0xAAAA, 0xFFFB_0005_8000_7FFFL);
        assertThat(m.cpu.fpsr).isEqualTo(QC);

        m = run("sqxtn s1, d0\nuqxtn h2, s0", 0x0000_0000_0000_FFFFL, 0);
        assertV(m, 1, 0xFFFF, 0);
        assertV(m, 2, 0xFFFF, 0);
        assertThat(m.cpu.fpsr).isZero();
    }

    @Test
    void absoluteAndNegateSaturateOnlyTheMostNegativeValue() {
        TestMachine m = run("""
                sqabs v2.2d, v0.2d
                abs v3.2d, v0.2d
                sqneg d4, d1
                neg d5, d1
                """, MIN, -3, 5, 0);
        assertV(m, 2, MAX, 3);
        assertV(m, 3, MIN, 3);
        assertV(m, 4, -5, 0);
        assertV(m, 5, -5, 0);
        assertThat(m.cpu.fpsr).isEqualTo(QC);

        m = run("sqneg b1, b0", 0x80, 0);
        assertV(m, 1, 0x7F, 0);
        assertThat(m.cpu.fpsr).isEqualTo(QC);
    }

    @Test
    void mixedSignSaturatingAccumulates64Bit() {
        // SUQADD: -1 + (2^64 - 1) = 2^64 - 2 > MAX; MIN + (2^63 + 5) = 5.
        TestMachine m = run("suqadd v0.2d, v1.2d", -1, MIN, -1, MIN + 5);
        assertV(m, 0, MAX, 5);
        assertThat(m.cpu.fpsr).isEqualTo(QC);
        // USQADD: 5 + (-6) clamps to 0; (2^64 - 1) + 1 clamps to 2^64 - 1; 2^63 + (-1).
        m = run("usqadd v0.2d, v1.2d\nusqadd d2, d1", 5, -1, -6, 1, MIN, 0);
        assertV(m, 0, 0, -1);
        assertV(m, 2, MIN - 6, 0);
        assertThat(m.cpu.fpsr).isEqualTo(QC);
    }

    @Test
    void bitCountsAndReversals() {
        TestMachine m = run("""
                cls v2.8b, v0.8b
                clz v3.4h, v0.4h
                cnt v4.8b, v0.8b
                rbit v5.8b, v0.8b
                rev16 v6.8b, v0.8b
                rev64 v7.4s, v0.4s
                """, 0x0000_0000_00FF_0180L, 0x1111_2222_3333_4444L);
        assertV(m, 2, 0x0707_0707_0707_0600L, 0);
        assertV(m, 3, 0x0010_0010_0008_0007L, 0);
        assertV(m, 4, 0x0000_0000_0008_0101L, 0);
        assertV(m, 5, 0x0000_0000_00FF_8001L, 0);
        assertV(m, 6, 0x0000_0000_FF00_8001L, 0);
        assertV(m, 7, 0x00FF_0180_0000_0000L, 0x3333_4444_1111_2222L);
    }

    @Test
    void pairwiseLongAddsAndShiftLeftLong() {
        TestMachine m = run("""
                saddlp v2.4h, v0.8b
                uadalp v3.4h, v0.8b
                shll2 v4.4s, v0.8h, #16
                cmlt v5.8b, v0.8b, #0
                """, 0x0000_0000_0002_FFFFL, 0x0000_0000_0001_8000L, 0, 0, 0, 0, 1, 7);
        assertV(m, 2, 0x0000_0000_0002_FFFEL, 0);
        assertV(m, 3, 0x0000_0000_0002_01FFL, 0);
        assertV(m, 4, 0x0001_0000_8000_0000L, 0);
        assertV(m, 5, 0xFFFF, 0);
    }

    @Test
    void reservedSizesAreUndefined() {
        assertUndefined(0x0E605800);   // CNT size 01
        assertUndefined(0x0E601800);   // REV16 size 01
        assertUndefined(0x0EE12800);   // XTN size 11
        assertUndefined(0x0EE0B800);   // ABS Vd.1D (size 11, Q = 0)
        assertUndefined(0x5E20B800);   // ABS (scalar) size 00
        assertUndefined(0x6EE05800);   // RBIT size 11
    }
}
