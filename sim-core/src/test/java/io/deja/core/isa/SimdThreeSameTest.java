package io.deja.core.isa;

import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import static io.deja.core.isa.DataProcImmTest.assertUndefined;
import static io.deja.core.isa.SimdTesting.QC;
import static io.deja.core.isa.SimdTesting.assertFpTrap;
import static io.deja.core.isa.SimdTesting.assertV;
import static io.deja.core.isa.SimdTesting.lo;
import static io.deja.core.isa.SimdTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

/** Advanced SIMD three same (vector and scalar); expected values worked out from the Arm ARM pseudocode. */
class SimdThreeSameTest {
    static final long MAX = Long.MAX_VALUE, MIN = Long.MIN_VALUE;

    @Test
    void saturatingAddClampsEachLaneAndSetsQc() {
        // 8H lanes from lane 0: 2+3, 1+1, 0x8000+0xFFFF (-32769: clamps), 0x7FFF+1 (clamps)
        TestMachine m = run("sqadd v2.4h, v0.4h, v1.4h", 0x7FFF_8000_0001_0002L, 7, 0x0001_FFFF_0001_0003L, 7);
        assertV(m, 2, 0x7FFF_8000_0002_0005L, 0);
        assertThat(m.cpu.fpsr).isEqualTo(QC);

        m = run("sqadd v2.2d, v0.2d, v1.2d\nuqadd v3.2d, v0.2d, v1.2d", MAX, -1, 1, -1);
        assertV(m, 2, MAX, -2);
        assertV(m, 3, MIN, -1);
        assertThat(m.cpu.fpsr).isEqualTo(QC);

        m = run("uqsub d2, d0, d1\nsqsub s3, s0, s1", 1, 0, 2, 0);
        assertV(m, 2, 0, 0);
        assertV(m, 3, 0xFFFF_FFFFL, 0);
        assertThat(m.cpu.fpsr).isEqualTo(QC);
    }

    @Test
    void qcStaysClearWithoutSaturationAndIsCumulative() {
        TestMachine m = run("sqadd v2.4s, v0.4s, v0.4s\nuqsub v3.16b, v0.16b, v1.16b", 0x0000_0001_0000_0002L, 5, 0, 0);
        assertThat(m.cpu.fpsr).isZero();
        m = TestMachine.withCode("sqadd b2, b0, b0\nsqadd b3, b1, b1");
        m.cpu.sys.cpacrEl1 = 3L << 20;
        m.cpu.v[0] = 0x40;
        m.cpu.v[2] = 1;
        m.step(2);
        assertThat(m.cpu.fpsr).as("QC survives a later non-saturating instruction").isEqualTo(QC);
        assertV(m, 2, 0x7F, 0);
        assertV(m, 3, 2, 0);
    }

    @Test
    void roundingShiftsWorkInInfinitePrecision() {
        // Lane 0: -1 (all ones) by -64; lane 1: MAX by -1 (MAX + 1 must not wrap).
        TestMachine m = run("srshl v2.2d, v0.2d, v1.2d\nurshl v3.2d, v0.2d, v1.2d", -1, MAX, 0xC0, 0xFF);
        assertV(m, 2, 0, 1L << 62);
        assertV(m, 3, 1, 1L << 62);
        assertThat(m.cpu.fpsr).isZero();
    }

    @Test
    void shiftCountIsTheSignedLowByteOfEachLane() {
        // 16B: lane 0 = 0x81 by -128 (0x80): sign fill; lane 1 = 0x7F by -128: 0; lane 2 = 0x01 by 8: gone;
        // lane 3 = 0x03 by 1; lane 4 = 0x80 by -1 (arithmetic); lanes 5-7 unchanged (shift 0).
        long n = 0x0000_0080_0301_7F81L, s = 0x0000_00FF_0108_8080L;
        TestMachine m = run("sshl v2.8b, v0.8b, v1.8b\nushl v3.8b, v0.8b, v1.8b", n, 0, s, 0);
        assertV(m, 2, 0x0000_00C0_0600_00FFL, 0);
        assertV(m, 3, 0x0000_0040_0600_0000L, 0);
        // 8H with shift 0x0101: only the low byte counts, so the shift is 1, not 257.
        m = run("ushl v2.8h, v0.8h, v1.8h", 0x0003, 0, 0x0101, 0);
        assertV(m, 2, 6, 0);
    }

    @Test
    void saturatingShiftsClampLeftShiftsOnly() {
        // 4S lanes: 1 << 31 (clamps), -1 << 31 (fits: INT_MIN), 0 << 127 (0), 0x40000001 >> 1 rounded up.
        TestMachine m = run("sqrshl v2.4s, v0.4s, v1.4s",
                0xFFFF_FFFF_0000_0001L, 0x4000_0001_0000_0000L, 0x0000_001F_0000_001FL, 0x0000_00FF_0000_007FL);
        assertV(m, 2, 0x8000_0000_7FFF_FFFFL, 0x2000_0001_0000_0000L);
        assertThat(m.cpu.fpsr).isEqualTo(QC);

        m = run("uqshl d2, d0, d1\nuqshl d3, d4, d1\nsqshl d5, d6, d1", 1, 0, 63, 0, 0, 0, 0, 0, 2, 0, 0, 0, -1, 0);
        assertV(m, 2, MIN, 0);
        assertV(m, 3, -1, 0);
        assertV(m, 5, MIN, 0);
        assertThat(m.cpu.fpsr).isEqualTo(QC);
    }

    @Test
    void doublingMultiplyHighSaturatesOnlyIntMinTimesIntMin() {
        TestMachine m = run("sqdmulh v2.4s, v0.4s, v1.4s",
                0x4000_0000_8000_0000L, 0, 0x4000_0000_8000_0000L, 0);
        assertV(m, 2, 0x2000_0000_7FFF_FFFFL, 0);
        assertThat(m.cpu.fpsr).isEqualTo(QC);

        // 0x0001 * 0x4000 doubled is 0x8000: the high half is 0, rounded it is 1.
        m = run("sqrdmulh h2, h0, h1\nsqdmulh h3, h0, h1", 0x0001, 0, 0x4000, 0);
        assertV(m, 2, 1, 0);
        assertV(m, 3, 0, 0);
        assertThat(m.cpu.fpsr).isZero();
    }

    @Test
    void halvingAddsAndAbsoluteDifferences() {
        // bytes: 0xFF, 0x01 -> UHADD 0x80, SHADD 0x00 ((-1 + 1) >> 1), URHADD 0x80, SRHADD 0x00
        TestMachine m = run("""
                uhadd v2.8b, v0.8b, v1.8b
                shadd v3.8b, v0.8b, v1.8b
                shsub v4.8b, v1.8b, v0.8b
                uabd v5.8b, v0.8b, v1.8b
                sabd v6.8b, v0.8b, v1.8b
                """, 0xFF, 0, 0x01, 0);
        assertThat(lo(m, 2) & 0xFF).isEqualTo(0x80);
        assertThat(lo(m, 3) & 0xFF).isEqualTo(0x00);
        assertThat(lo(m, 4) & 0xFF).isEqualTo(0x01);
        assertThat(lo(m, 5) & 0xFF).isEqualTo(0xFE);
        assertThat(lo(m, 6) & 0xFF).isEqualTo(0x02);
    }

    @Test
    void pairwiseOperationsTakePairsOfRnThenRm() {
        TestMachine m = run("""
                addp v2.4s, v0.4s, v1.4s
                addp v3.2s, v0.2s, v1.2s
                umaxp v4.8b, v0.8b, v1.8b
                addp d5, v1.2d
                addp v6.2d, v0.2d, v1.2d
                """, 0x0000_0002_0000_0001L, 0x0000_0004_0000_0003L, 0x0000_0014_0000_000AL, 0x0000_0028_0000_001EL);
        assertV(m, 2, 0x0000_0007_0000_0003L, 0x0000_0046_0000_001EL);
        assertV(m, 3, 0x0000_001E_0000_0003L, 0);
        assertV(m, 4, 0x0014_000A_0002_0001L, 0);
        assertV(m, 5, 0x0000_003C_0000_0028L, 0);
        assertV(m, 6, 0x0000_0006_0000_0004L, 0x0000_003C_0000_0028L);
    }

    @Test
    void bitwiseSelectsAndRdAliasingAnOperand() {
        long n = 0x1111_1111_1111_1111L, mm = 0x2222_2222_2222_2222L, sel = 0xFFFF_0000_FFFF_0000L;
        TestMachine m = run("""
                bsl v2.16b, v0.16b, v1.16b
                bit v3.16b, v0.16b, v4.16b
                bif v5.16b, v0.16b, v4.16b
                orn v6.8b, v0.8b, v0.8b
                eor v0.16b, v0.16b, v1.16b
                """, n, n, mm, mm, sel, sel, mm, mm, sel, 0, mm, mm);
        assertV(m, 2, 0x1111_2222_1111_2222L, 0x1111_2222_1111_2222L);
        assertV(m, 3, 0x1111_2222_1111_2222L, 0x2222_2222_2222_2222L);
        assertV(m, 5, 0x2222_1111_2222_1111L, 0x1111_1111_1111_1111L);
        assertV(m, 6, -1, 0);
        assertV(m, 0, 0x3333_3333_3333_3333L, 0x3333_3333_3333_3333L);
    }

    @Test
    void multiplyAccumulateAndPolynomialMultiply() {
        TestMachine m = run("""
                mla v2.8h, v0.8h, v1.8h
                mls v3.4s, v0.4s, v1.4s
                pmul v4.8b, v0.8b, v1.8b
                """, 0x00FF, 0, 0x00FF, 0, 1, 0, 0x0000_FE01L + 0x0001, 0);
        assertThat(lo(m, 2) & 0xFFFF).isEqualTo(0xFE02);
        assertThat(lo(m, 3) & 0xFFFF_FFFFL).isEqualTo(1);
        assertThat(lo(m, 4) & 0xFF).as("0xFF clmul 0xFF = 0x5555, low byte").isEqualTo(0x55);
    }

    @Test
    void compareResultsAreAllOnesOrZero() {
        TestMachine m = run("""
                cmgt v2.2d, v0.2d, v1.2d
                cmhi v3.2d, v0.2d, v1.2d
                cmtst d4, d0, d1
                cmeq v5.4s, v0.4s, v0.4s
                """, -1, 5, 1, 5);
        assertV(m, 2, 0, 0);
        assertV(m, 3, -1, 0);
        assertV(m, 4, -1, 0);
        assertV(m, 5, -1, -1);
    }

    @Test
    void reservedSizesAreUndefinedBeforeTheFpTrap() {
        assertUndefined(0x0EE08400);   // ADD Vd.1D (size 11, Q = 0)
        assertUndefined(0x4EE00400);   // SHADD size 11
        assertUndefined(0x6E609C00);   // PMUL size 01
        assertUndefined(0x4E20B400);   // SQDMULH size 00
        assertUndefined(0x5EA08400);   // ADD (scalar) size 10
        assertUndefined(0x5EE0B400);   // SQDMULH (scalar) size 11
        assertFpTrap(0x4EE08400);      // ADD Vd.2D: allocated, FPEN = 0
    }
}
