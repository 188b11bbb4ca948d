package io.deja.core.isa;

import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import static io.deja.core.isa.DataProcImmTest.assertUndefined;
import static io.deja.core.isa.SimdTesting.QC;
import static io.deja.core.isa.SimdTesting.q;
import static io.deja.core.isa.SimdTesting.regs;
import static io.deja.core.isa.SimdTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shifts by immediate, vector and scalar. Expected values are worked out from
 * the Arm ARM pseudocode (shift amounts, RoundingShiftRight, SatQ).
 */
class SimdShiftImmTest {
    static final long MIN = Long.MIN_VALUE, MAX = Long.MAX_VALUE;

    @Test
    void rightShiftsByTheWholeElementWidth() {
        long[] v = new long[64];
        v[0] = MIN;
        v[1] = MAX;
        v[14] = 0x1234_5678_9ABC_DEF0L; // V7, kept by SRI #64
        v[15] = 0x0FED_CBA9_8765_4321L;
        TestMachine m = run("""
                ushr v1.2d, v0.2d, #64
                sshr v2.2d, v0.2d, #64
                urshr v3.2d, v0.2d, #64
                srshr v4.2d, v0.2d, #64
                sshr v5.16b, v0.16b, #8
                ushr v6.8h, v0.8h, #16
                sri v7.2d, v0.2d, #64
                """, v);
        assertThat(q(m, 1)).containsExactly(0, 0);
        assertThat(q(m, 2)).containsExactly(-1, 0);
        assertThat(q(m, 3)).as("(x + 2^63) >> 64 is bit 63").containsExactly(1, 0);
        assertThat(q(m, 4)).as("(x + 2^63) >> 64, signed").containsExactly(0, 0);
        assertThat(q(m, 5)).containsExactly(0xFF00_0000_0000_0000L, 0x00FF_FFFF_FFFF_FFFFL);
        assertThat(q(m, 6)).containsExactly(0, 0);
        assertThat(q(m, 7)).containsExactly(0x1234_5678_9ABC_DEF0L, 0x0FED_CBA9_8765_4321L);
        assertThat(m.cpu.fpsr).isZero();
    }

    @Test
    void leftShiftsAndInsertsUpToTheLastBit() {
        long[] v = new long[64];
        v[0] = MIN;
        v[1] = MAX;
        v[2] = -1L; // V1: SLI keeps everything but bit 63 of each doubleword
        v[3] = 0x5555_5555_5555_5555L;
        TestMachine m = run("""
                sli v1.2d, v0.2d, #63
                shl v2.4s, v0.4s, #31
                shl d3, d0, #1
                ssra v1.2d, v0.2d, #1
                """, v);
        // SLI #63: bit 63 of each result is bit 0 of the source (0 for MIN, 1 for MAX); then SSRA adds x >> 1
        long sli0 = 0x7FFF_FFFF_FFFF_FFFFL, sli1 = 0xD555_5555_5555_5555L;
        assertThat(q(m, 1)).containsExactly(sli0 + (MIN >> 1), sli1 + (MAX >> 1));
        assertThat(q(m, 2)).containsExactly(0, 0x8000_0000_8000_0000L);
        assertThat(q(m, 3)).containsExactly(0, 0);
    }

    @Test
    void roundingNarrowingShiftsSaturateAndSetQc() {
        long[] v = regs(
                0x8000_FF00_00FF_00FDL, 0x7FFF_FFFF_0003_0001L,  // V0.8H
                0, 0,                                            // V1
                0x0080_0080_0080_0080L, 0x0080_0080_0080_0080L,  // V2.8H
                0, 0,                                            // V3
                0x0001_7FFF_FFFF_8000L, 0xFFFF_FFFF_7FFF_0000L,  // V4.4S
                0, 0,                                            // V5
                -1L, 0x0000_0001_8000_0000L,                     // V6.2D
                0, 0,                                            // V7
                0x7FFF_8000L, 0);                                // S8
        TestMachine m = run("""
                sqrshrn v1.8b, v0.8h, #1
                sqrshrn2 v1.16b, v2.8h, #8
                uqrshrn v3.4h, v4.4s, #16
                sqshrun v5.2s, v6.2d, #32
                sqrshrn h7, s8, #16
                """, v);
        // 253 -> 127; 255 -> 128 saturates; -256 -> -128; -32768 saturates; 1 -> 1; 3 -> 2; -1 -> 0; 32767 saturates
        assertThat(q(m, 1)).containsExactly(0x7F00_0201_8080_7F7FL, 0x0101_0101_0101_0101L);
        assertThat(q(m, 3)).containsExactly(0xFFFF_7FFF_0001_FFFFL, 0);
        assertThat(q(m, 5)).as("negative to unsigned is 0").containsExactly(0x0000_0001_0000_0000L, 0);
        assertThat(q(m, 7)).containsExactly(0x7FFF, 0);
        assertThat(m.cpu.fpsr).isEqualTo(QC);
    }

    @Test
    void unsignedRoundingOfAllOnesByOneSaturates() {
        // (2^64 - 1 + 1) >> 1 = 2^63: past 32 bits, although negative as a Java long
        TestMachine m = run("""
                uqrshrn s1, d0, #1
                uqrshrn v2.2s, v0.2d, #1
                """, regs(-1L, 2));
        assertThat(q(m, 1)).containsExactly(0xFFFF_FFFFL, 0);
        assertThat(q(m, 2)).containsExactly(0x0000_0001_FFFF_FFFFL, 0);
        assertThat(m.cpu.fpsr).isEqualTo(QC);
    }

    @Test
    void narrowingWithoutSaturationLeavesQcClear() {
        TestMachine m = run("""
                shrn v1.8b, v0.8h, #8
                rshrn2 v1.16b, v0.8h, #4
                uqrshrn b2, h0, #8
                """, regs(0x8000_7FF8_00FF_1234L, 0x0000_0000_0000_0108L));
        assertThat(q(m, 1)).containsExactly(0x0000_0001_807F_0012L, 0x0000_0011_0000_1023L);
        assertThat(q(m, 2)).containsExactly(0x12, 0);
        assertThat(m.cpu.fpsr).isZero();
    }

    @Test
    void saturatingLeftShifts() {
        long[] v = regs(0x4000_0000_0000_0000L, 0xC000_0000_0000_0000L, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0x80, 0);
        TestMachine m = run("""
                uqshl d2, d0, #1
                sqshl v1.2d, v0.2d, #1
                """, v);
        assertThat(q(m, 2)).containsExactly(MIN, 0);
        assertThat(q(m, 1)).containsExactly(MAX, MIN);
        assertThat(m.cpu.fpsr).isEqualTo(QC);

        m = run("uqshl d3, d4, #63", v);
        assertThat(q(m, 3)).containsExactly(-1, 0);
        assertThat(m.cpu.fpsr).isEqualTo(QC);
        m = run("sqshlu b5, b6, #0", v);
        assertThat(q(m, 5)).as("-128 to unsigned").containsExactly(0, 0);
        assertThat(m.cpu.fpsr).isEqualTo(QC);
        m = run("sqshlu v5.4h, v4.4h, #14", v);
        assertThat(q(m, 5)).as("2 << 14 fits in 16 unsigned bits").containsExactly(0x8000, 0);
        assertThat(m.cpu.fpsr).isZero();
    }

    @Test
    void longShiftsWidenTheSelectedHalf() {
        TestMachine m = run("""
                sshll2 v1.8h, v0.16b, #7
                uxtl v2.2d, v0.2s
                sxtl v3.4s, v0.4h
                """, regs(0x8000_0001_FFFF_7F80L, 0x0102_0304_0580_FF7FL));
        assertThat(q(m, 1)).containsExactly(0x0280_C000_FF80_3F80L, 0x0080_0100_0180_0200L);
        assertThat(q(m, 2)).containsExactly(0xFFFF_7F80L, 0x8000_0001L);
        assertThat(q(m, 3)).containsExactly(0xFFFF_FFFF_0000_7F80L, 0xFFFF_8000_0000_0001L);
    }

    @Test
    void reservedEncodingsAreUndefined() {
        assertUndefined(0x0F400400); // SSHR Vd.2D with Q = 0
        assertUndefined(0x0F408400); // SHRN with immh = 1xxx
        assertUndefined(0x0F008C00); // RSHRN with immh = 0000 (o2 = 1: no modified immediate either)
        assertUndefined(0x0F40A400); // SSHLL with immh = 1xxx
        assertUndefined(0x5F009400); // SQSHRN (scalar) with immh = 0000
        assertUndefined(0x5F409400); // SQSHRN (scalar) with immh = 1xxx
    }
}
