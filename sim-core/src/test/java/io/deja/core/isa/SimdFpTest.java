package io.deja.core.isa;

import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import static io.deja.core.isa.DataProcImmTest.assertUndefined;
import static io.deja.core.isa.FpScalarTest.DN;
import static io.deja.core.isa.FpScalarTest.FZ;
import static io.deja.core.isa.FpScalarTest.IDC;
import static io.deja.core.isa.FpScalarTest.IOC;
import static io.deja.core.isa.FpScalarTest.IXC;
import static io.deja.core.isa.FpScalarTest.OFC;
import static io.deja.core.isa.FpScalarTest.RZ;
import static io.deja.core.isa.FpScalarTest.UFC;
import static io.deja.core.testing.TestMachine.CODE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Advanced SIMD floating point run as guest code. Expected values are worked
 * out from the Arm ARM pseudocode (FPMulX, FPRecipStepFused, FPConvert with
 * FPRounding_ODD, FPReduce, ...); the differential test compares every row
 * with QEMU on top of these.
 */
class SimdFpTest {
    static final int AHP = 1 << 26;
    static final long ONE_D = 0x3FF0_0000_0000_0000L, TWO_D = 0x4000_0000_0000_0000L;
    static final long INF_D = 0x7FF0_0000_0000_0000L;
    static final long ONE_S = 0x3F80_0000L, INF_S = 0x7F80_0000L;

    /** Runs asm with FP enabled and FPCR set; {@code v} holds (low, high) pairs for V0, V1, ... */
    static TestMachine run(int fpcr, String asm, long... v) {
        TestMachine m = TestMachine.withCode(asm);
        m.cpu.sys.cpacrEl1 = 3L << 20;
        m.cpu.fpcr = fpcr;
        System.arraycopy(v, 0, m.cpu.v, 0, v.length);
        long lines = DataProcImmTest.instructionCount(asm);
        m.step(lines);
        assertThat(m.cpu.pc).as("no exception").isEqualTo(CODE + 4 * lines);
        return m;
    }

    /** Two singles as one 64-bit half, element 0 in the low bits. */
    static long s2(float e0, float e1) {
        return bits(e0) | bits(e1) << 32;
    }

    static long bits(float f) {
        return Float.floatToRawIntBits(f) & 0xFFFF_FFFFL;
    }

    static long lo(TestMachine m, int n) {
        return m.cpu.v[2 * n];
    }

    static long hi(TestMachine m, int n) {
        return m.cpu.v[2 * n + 1];
    }

    @Test
    void fmulxOfZeroAndInfinityIsTwoWithTheProductsSign() {
        TestMachine m = run(0, """
                fmulx v2.2d, v0.2d, v1.2d
                fmulx d3, d1, d0
                """, 0, 1L << 63, INF_D, INF_D);
        assertThat(lo(m, 2)).isEqualTo(TWO_D);
        assertThat(hi(m, 2)).isEqualTo(TWO_D | 1L << 63);
        assertThat(lo(m, 3)).isEqualTo(TWO_D);
        assertThat(hi(m, 3)).as("scalar clears the rest").isZero();
        assertThat(m.cpu.fpsr).isZero();

        m = run(0, "fmul v2.2d, v0.2d, v1.2d", 0, 1L << 63, INF_D, INF_D);
        assertThat(lo(m, 2)).as("FMUL: default NaN").isEqualTo(0x7FF8_0000_0000_0000L);
        assertThat(m.cpu.fpsr).isEqualTo(IOC);
    }

    @Test
    void stepsOfInfinityTimesZeroAreTwoAndOnePointFiveWithoutInvalid() {
        TestMachine m = run(0, """
                frecps v2.4s, v0.4s, v1.4s
                frsqrts v3.4s, v0.4s, v1.4s
                """, s2(0f, Float.POSITIVE_INFINITY), s2(-0f, 2f), s2(Float.NEGATIVE_INFINITY, 0f), s2(1f, 0.5f));
        assertThat(lo(m, 2)).isEqualTo(s2(2f, 2f));
        assertThat(hi(m, 2)).as("2 - (-0*1), 2 - 2*0.5").isEqualTo(s2(2f, 1f));
        assertThat(lo(m, 3)).isEqualTo(s2(1.5f, 1.5f));
        assertThat(hi(m, 3)).as("(3 - 2*0.5)/2").isEqualTo(s2(1.5f, 1f));
        assertThat(m.cpu.fpsr).isZero();
    }

    @Test
    void stepsNegateTheFirstOperandBeforeNanProcessing() {
        long qnan = 0x7FC0_0001L;
        TestMachine m = run(0, "frecps s2, s0, s1\nfrsqrts s3, s1, s0", qnan, 0, ONE_S, 0);
        assertThat(lo(m, 2)).isEqualTo(0xFFC0_0001L);
        assertThat(lo(m, 3)).as("the second operand's NaN keeps its sign").isEqualTo(qnan);
    }

    @Test
    void fcvtxnRoundsToOdd() {
        long justAboveOne = ONE_D + 1, exactOne = ONE_D;
        TestMachine m = run(0, """
                fcvtxn v2.2s, v0.2d
                fcvtxn2 v2.4s, v1.2d
                fcvtxn s3, d0
                """, justAboveOne, exactOne, exactOne, 0x47F0_0000_0000_0000L);
        assertThat(lo(m, 2)).isEqualTo(0x3F80_0001L | ONE_S << 32);
        assertThat(hi(m, 2)).as("2^128 overflows to the largest normal").isEqualTo(ONE_S | 0x7F7F_FFFFL << 32);
        assertThat(lo(m, 3)).isEqualTo(0x3F80_0001L);
        assertThat(m.cpu.fpsr).isEqualTo(IXC | OFC);
    }

    @Test
    void fcvtnToHalfHonoursAhp() {
        long in = s2(1f, Float.POSITIVE_INFINITY) ;
        long in2 = s2(Float.NaN, -2f);
        TestMachine m = run(0, "fcvtn v2.4h, v0.4s", in, in2);
        assertThat(lo(m, 2)).isEqualTo(0x3C00L | 0x7C00L << 16 | 0x7E00L << 32 | 0xC000L << 48);
        assertThat(m.cpu.fpsr).isZero();
        m = run(AHP, "fcvtn2 v2.8h, v0.4s", in, in2, 0, 0, 0x1234, 0x5678);
        assertThat(lo(m, 2)).as("the low half is kept").isEqualTo(0x1234);
        assertThat(hi(m, 2)).as("AHP: infinity saturates, NaN is zero")
                .isEqualTo(0x3C00L | 0x7FFFL << 16 | 0x0000L << 32 | 0xC000L << 48);
        assertThat(m.cpu.fpsr).isEqualTo(IOC);
    }

    @Test
    void fcvtlLengthensTheSelectedHalf() {
        TestMachine m = run(AHP, "fcvtl v1.4s, v0.4h\nfcvtl2 v2.2d, v0.4s", 0x7C00L | 0x3C00L << 16, s2(1f, -0.5f));
        assertThat(lo(m, 1)).as("AHP: 0x7C00 is 65536").isEqualTo(s2(65536f, 1f));
        assertThat(hi(m, 1)).isZero();
        assertThat(lo(m, 2)).isEqualTo(ONE_D);
        assertThat(hi(m, 2)).isEqualTo(Double.doubleToRawLongBits(-0.5));
    }

    @Test
    void pairwiseTakesAdjacentPairsOfNThenM() {
        TestMachine m = run(0, """
                faddp v2.4s, v0.4s, v1.4s
                faddp s3, v0.2s
                fmaxp v4.2s, v0.2s, v1.2s
                """, s2(1f, 2f), s2(3f, 4f), s2(10f, 20f), s2(30f, 40f));
        assertThat(lo(m, 2)).isEqualTo(s2(3f, 7f));
        assertThat(hi(m, 2)).isEqualTo(s2(30f, 70f));
        assertThat(lo(m, 3)).isEqualTo(bits(3f));
        assertThat(lo(m, 4)).isEqualTo(s2(2f, 20f));
        assertThat(hi(m, 4)).isZero();
    }

    @Test
    void fmaxnmvPrefersNumbersToQuietNansButNotToSignallingOnes() {
        long qnan = 0x7FC0_0000L, snan = 0x7F80_0001L;
        TestMachine m = run(0, "fmaxnmv s1, v0.4s\nfminnmv s2, v0.4s", qnan | ONE_S << 32, bits(-5f) | qnan << 32);
        assertThat(lo(m, 1)).isEqualTo(ONE_S);
        assertThat(lo(m, 2)).isEqualTo(bits(-5f));
        assertThat(m.cpu.fpsr).isZero();
        // (sNaN, 1) gives the quieted NaN with IOC, which (2, 3)'s maximum then beats
        m = run(0, "fmaxnmv s1, v0.4s", snan | ONE_S << 32, s2(2f, 3f));
        assertThat(lo(m, 1)).isEqualTo(bits(3f));
        assertThat(m.cpu.fpsr).isEqualTo(IOC);
        m = run(DN, "fmaxv s1, v0.4s", snan | ONE_S << 32, s2(2f, 3f));
        assertThat(lo(m, 1)).as("FMAXV propagates, DN").isEqualTo(qnan);
    }

    @Test
    void flushToZeroFlushesVectorInputs() {
        long denormal = 1, minusDenormal = 0x8000_0001L;
        String asm = "fadd v2.4s, v0.4s, v1.4s\nfcmeq v3.4s, v0.4s, #0.0";
        TestMachine m = run(FZ, asm, denormal | minusDenormal << 32, 0, 0, 0);
        assertThat(lo(m, 2)).as("+0 + +0, -0 + +0").isZero();
        assertThat(lo(m, 3)).as("a flushed denormal equals zero").isEqualTo(-1L);
        assertThat(m.cpu.fpsr).isEqualTo(IDC);
        m = run(0, asm, denormal | minusDenormal << 32, 0, 0, 0);
        assertThat(lo(m, 2)).isEqualTo(denormal | minusDenormal << 32);
        assertThat(lo(m, 3)).isZero();
        assertThat(m.cpu.fpsr).isZero();
    }

    @Test
    void comparisonsGiveLaneMasksAndSignalOnNans() {
        long qnan = 0x7FC0_0000L;
        TestMachine m = run(0, """
                fcmgt v2.4s, v0.4s, v1.4s
                fcmeq v3.4s, v0.4s, v1.4s
                facge v4.4s, v0.4s, v1.4s
                """, s2(2f, 1f), s2(-3f, 0f), s2(1f, 1f), s2(3f, -0f));
        assertThat(lo(m, 2)).isEqualTo(0xFFFF_FFFFL);
        assertThat(hi(m, 2)).isZero();
        assertThat(lo(m, 3)).isEqualTo(0xFFFF_FFFFL << 32);
        assertThat(hi(m, 3)).as("-0 == 0").isEqualTo(0xFFFF_FFFFL << 32);
        assertThat(lo(m, 4)).isEqualTo(-1L);
        assertThat(hi(m, 4)).isEqualTo(-1L);
        assertThat(m.cpu.fpsr).isZero();
        m = run(0, "fcmeq s2, s0, s1", qnan, 0, 0, 0);
        assertThat(m.cpu.fpsr).as("EQ is quiet on quiet NaNs").isZero();
        m = run(0, "fcmge s2, s0, s1", qnan, 0, 0, 0);
        assertThat(lo(m, 2)).isZero();
        assertThat(m.cpu.fpsr).isEqualTo(IOC);
    }

    @Test
    void estimatesFollowTheArmTables() {
        TestMachine m = run(0, """
                frecpe v1.4s, v0.4s
                frsqrte v2.4s, v0.4s
                frecpx s3, s0
                """, s2(1f, 2f), s2(4f, 0f));
        assertThat(lo(m, 1)).isEqualTo(0x3F7F_8000L | 0x3EFF_8000L << 32);
        assertThat(hi(m, 1)).isEqualTo(0x3E7F_8000L | INF_S << 32);
        assertThat(lo(m, 2)).as("1/sqrt(1), 1/sqrt(2)").isEqualTo(0x3F7F_8000L | 0x3F34_8000L << 32);
        assertThat(hi(m, 2)).isEqualTo(0x3EFF_8000L | INF_S << 32);
        assertThat(lo(m, 3)).isEqualTo(0x4000_0000L);
        assertThat(m.cpu.fpsr).as("reciprocals of zero").isEqualTo(FpScalarTest.DZC);
    }

    @Test
    void frecpeOfTinyValuesOverflowsByTheRoundingMode() {
        long tiny = 1, minusTiny = 0x8000_0001L;
        TestMachine m = run(0, "frecpe v1.2s, v0.2s", tiny | minusTiny << 32);
        assertThat(lo(m, 1)).isEqualTo(INF_S | (INF_S | 1L << 31) << 32);
        assertThat(m.cpu.fpsr).isEqualTo(OFC | IXC);
        m = run(RZ, "frecpe v1.2s, v0.2s", tiny | minusTiny << 32);
        assertThat(lo(m, 1)).isEqualTo(0x7F7F_FFFFL | 0xFF7F_FFFFL << 32);
        // 2^126: a denormal estimate, or zero under FZ
        m = run(0, "frecpe s1, s0", 0x7E80_0000L);
        assertThat(lo(m, 1)).isEqualTo(0x007F_C000L);
        m = run(FZ, "frecpe s1, s0", 0x7E80_0000L);
        assertThat(lo(m, 1)).isZero();
        assertThat(m.cpu.fpsr).isEqualTo(UFC);
    }

    @Test
    void unsignedEstimatesSaturateSmallInputs() {
        TestMachine m = run(0, "urecpe v1.4s, v0.4s\nursqrte v2.4s, v0.4s",
                0x7FFF_FFFFL | 0x8000_0000L << 32, 0x4000_0000L | 0x3FFF_FFFFL << 32);
        assertThat(lo(m, 1)).isEqualTo(0xFFFF_FFFFL | 0xFF80_0000L << 32);
        assertThat(hi(m, 1)).isEqualTo(0xFFFF_FFFFL | 0xFFFF_FFFFL << 32);
        assertThat(lo(m, 2)).isEqualTo(0xB500_0000L | 0xB480_0000L << 32);
        assertThat(hi(m, 2)).isEqualTo(0xFF80_0000L | 0xFFFF_FFFFL << 32);
    }

    @Test
    void byElementUsesOneLaneOfVm() {
        TestMachine m = run(0, """
                fmla v2.4s, v0.4s, v1.s[2]
                fmls s6, s0, v1.s[3]
                fmul d3, d4, v5.d[1]
                fmulx v7.2d, v5.2d, v4.d[0]
                """, s2(1f, 2f), s2(3f, 4f), s2(9f, 9f), s2(10f, 0.5f), s2(1f, 1f), s2(1f, 1f), 0, 0,
                Double.doubleToRawLongBits(0.0), 0, Double.doubleToRawLongBits(3.0), INF_D, bits(8f), 0);
        assertThat(lo(m, 2)).isEqualTo(s2(1f + 10f, 1f + 20f));
        assertThat(hi(m, 2)).isEqualTo(s2(1f + 30f, 1f + 40f));
        assertThat(lo(m, 6)).as("8 - 1*0.5").isEqualTo(bits(7.5f));
        assertThat(hi(m, 6)).isZero();
        assertThat(m.cpu.v[6]).as("0 * infinity").isEqualTo(0x7FF8_0000_0000_0000L);
        assertThat(lo(m, 7)).as("3 * 0").isZero();
        assertThat(hi(m, 7)).as("FMULX: infinity * 0").isEqualTo(TWO_D);
        assertThat(m.cpu.fpsr).isEqualTo(IOC);
    }

    @Test
    void fixedPointConversionsScaleByFbits() {
        TestMachine m = run(0, """
                fcvtzs v1.4s, v0.4s, #4
                scvtf v2.2d, v3.2d, #1
                ucvtf s4, s5, #32
                """, s2(1.5f, -2.0625f), s2(-0.03f, 1e10f), 0, 0, 0, 0, 3, -3, 0, 0, 0x8000_0000L, 0);
        assertThat(lo(m, 1)).isEqualTo(24L | (-33L & 0xFFFF_FFFFL) << 32);
        assertThat(hi(m, 1)).isEqualTo(0L | 0x7FFF_FFFFL << 32);
        assertThat(lo(m, 2)).isEqualTo(Double.doubleToRawLongBits(1.5));
        assertThat(hi(m, 2)).isEqualTo(Double.doubleToRawLongBits(-1.5));
        assertThat(lo(m, 4)).isEqualTo(bits(0.5f));
        assertThat(m.cpu.fpsr).as("-0.03 inexact, 1e10 saturates").isEqualTo(IXC | IOC);
    }

    @Test
    void conversionsAndRoundingPerLane() {
        TestMachine m = run(0, """
                fcvtas v1.4s, v0.4s
                fcvtms v2.4s, v0.4s
                frintn v3.4s, v0.4s
                ucvtf v4.4s, v1.4s
                """, s2(2.5f, -2.5f), s2(0.5f, -1e-3f));
        assertThat(lo(m, 1)).isEqualTo(3L | (-3L & 0xFFFF_FFFFL) << 32);
        assertThat(hi(m, 1)).isEqualTo(1L);
        assertThat(lo(m, 2)).isEqualTo(2L | (-3L & 0xFFFF_FFFFL) << 32);
        assertThat(hi(m, 2)).isEqualTo(0L | 0xFFFF_FFFFL << 32);
        assertThat(lo(m, 3)).isEqualTo(s2(2f, -2f));
        assertThat(hi(m, 3)).isEqualTo(s2(0f, -0f));
        assertThat(lo(m, 4)).isEqualTo(s2(3f, 4294967296f));
    }

    @Test
    void reservedEncodingsAreUndefinedBeforeTheFpTrap() {
        assertUndefined(0x0E60D400); // FADD .1D (sz = 1, Q = 0)
        assertUndefined(0x2E30F800); // FMAXV .2S (Q = 0)
        assertUndefined(0x6E70F800); // FMAXV .2D (sz = 1)
        assertUndefined(0x4FE09000); // FMUL .2D by element with L = 1
        assertUndefined(0x4EE1C800); // URECPE .2D
        assertUndefined(0x2E216800); // FCVTXN from singles
        assertUndefined(0x0F7DFC00); // FCVTZS .1D, #3
        assertUndefined(0x4F10FC00); // FCVTZS .8H, #16: half precision (FEAT_FP16)
        assertUndefined(0x4E401400); // FADD .8H (FEAT_FP16)
    }

    @Test
    void sixtyFourBitVectorFormsWriteTheLowHalfAndClearTheHighOne() {
        long ones = 0xFFFF_FFFF_FFFF_FFFFL;
        // V0 = (1, 2 | garbage), V1 = (4, 8 | garbage), V2..V9 start as garbage
        long v0 = s2(1f, 2f), v1 = s2(4f, 8f);
        TestMachine m = run(0, """
                fneg v2.2s, v0.2s
                fabs v3.2s, v2.2s
                fadd v4.2s, v0.2s, v1.2s
                fmla v5.2s, v0.2s, v1.2s
                fsqrt v6.2s, v1.2s
                faddp v7.2s, v0.2s, v1.2s
                fmls v8.2s, v0.2s, v1.s[1]
                scvtf v9.2s, v1.2s
                """, v0, ones, v1, ones, ones, ones, ones, ones, ones, ones, s2(1f, 1f), ones,
                ones, ones, ones, ones, s2(0.5f, 0.25f), ones, ones, ones);
        assertThat(lo(m, 2)).isEqualTo(s2(-1f, -2f));
        assertThat(lo(m, 3)).isEqualTo(v0);
        assertThat(lo(m, 4)).isEqualTo(s2(5f, 10f));
        assertThat(lo(m, 5)).as("1 + 1*4, 1 + 2*8").isEqualTo(s2(5f, 17f));
        assertThat(lo(m, 6)).isEqualTo(s2(2f, (float) Math.sqrt(8)));
        assertThat(lo(m, 7)).as("pairs of Vn, then of Vm").isEqualTo(s2(3f, 12f));
        assertThat(lo(m, 8)).as("0.5 - 1*8, 0.25 - 2*8").isEqualTo(s2(-7.5f, -15.75f));
        assertThat(lo(m, 9)).as("the integers 0x40800000 and 0x41000000")
                .isEqualTo(s2(0x4080_0000, 0x4100_0000));
        for (int n = 2; n <= 9; n++) assertThat(hi(m, n)).as("V%d high half", n).isZero();
        assertThat(m.cpu.fpsr).as("only the square root of 8 is inexact").isEqualTo(IXC);
    }

    @Test
    void pairwiseAddTakesAdjacentPairsOfVnThenOfVm() {
        TestMachine m = run(0, "faddp v2.4s, v0.4s, v1.4s", s2(1f, 2f), s2(4f, 8f), s2(16f, 32f), s2(64f, 128f));
        assertThat(lo(m, 2)).isEqualTo(s2(3f, 12f));
        assertThat(hi(m, 2)).isEqualTo(s2(48f, 192f));
        m = run(0, "faddp v3.2d, v0.2d, v1.2d", ONE_D, TWO_D, TWO_D, TWO_D);
        assertThat(lo(m, 3)).isEqualTo(0x4008_0000_0000_0000L); // 3
        assertThat(hi(m, 3)).isEqualTo(0x4010_0000_0000_0000L); // 4
    }
}
