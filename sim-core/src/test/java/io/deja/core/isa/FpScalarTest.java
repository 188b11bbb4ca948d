package io.deja.core.isa;

import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import static io.deja.core.isa.DataProcImmTest.C;
import static io.deja.core.isa.DataProcImmTest.N;
import static io.deja.core.isa.DataProcImmTest.V;
import static io.deja.core.isa.DataProcImmTest.Z;
import static io.deja.core.isa.DataProcImmTest.assertUndefined;
import static io.deja.core.isa.DataProcImmTest.flags;
import static io.deja.core.testing.TestMachine.CODE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scalar FP instructions run as guest code. Expected values come from Java's
 * own round-to-nearest arithmetic (Math.fma for the fused forms) or are worked
 * out by hand from the Arm ARM where rounding modes, flags or NaNs are involved.
 */
class FpScalarTest {
    static final int IOC = 1, DZC = 2, OFC = 4, UFC = 8, IXC = 16, IDC = 128;
    static final int RP = 1 << 22, RM = 2 << 22, RZ = 3 << 22, FZ = 1 << 24, DN = 1 << 25;

    /** Runs asm with FP enabled, FPCR set, V0..: the given D values, X0..: the given values. */
    static TestMachine run(int fpcr, String asm, long[] v, long... x) {
        TestMachine m = TestMachine.withCode(asm);
        m.cpu.sys.cpacrEl1 = 3L << 20;
        m.cpu.fpcr = fpcr;
        for (int i = 0; i < v.length; i++) m.cpu.v[2 * i] = v[i];
        for (int i = 0; i < x.length; i++) m.cpu.x[i] = x[i];
        long lines = DataProcImmTest.instructionCount(asm);
        m.step(lines);
        assertThat(m.cpu.pc).as("no exception").isEqualTo(CODE + 4 * lines);
        return m;
    }

    static long[] d(double... values) {
        long[] r = new long[values.length];
        for (int i = 0; i < r.length; i++) r[i] = Double.doubleToRawLongBits(values[i]);
        return r;
    }

    static long[] s(float... values) {
        long[] r = new long[values.length];
        for (int i = 0; i < r.length; i++) r[i] = Float.floatToRawIntBits(values[i]) & 0xFFFF_FFFFL;
        return r;
    }

    static long dreg(TestMachine m, int n) {
        return m.cpu.v[2 * n];
    }

    static double dval(TestMachine m, int n) {
        return Double.longBitsToDouble(m.cpu.v[2 * n]);
    }

    static float sval(TestMachine m, int n) {
        return Float.intBitsToFloat((int) m.cpu.v[2 * n]);
    }

    @Test
    void arithmeticRoundsToNearestLikeJava() {
        TestMachine m = run(0, """
                fadd d4, d0, d1
                fsub d5, d0, d1
                fmul d6, d0, d1
                fdiv d7, d0, d1
                fnmul d8, d0, d1
                fsqrt d9, d1
                """, d(1.0 / 3, 2.0 / 7));
        assertThat(dval(m, 4)).isEqualTo(1.0 / 3 + 2.0 / 7);
        assertThat(dval(m, 5)).isEqualTo(1.0 / 3 - 2.0 / 7);
        assertThat(dval(m, 6)).isEqualTo((1.0 / 3) * (2.0 / 7));
        assertThat(dval(m, 7)).isEqualTo((1.0 / 3) / (2.0 / 7));
        assertThat(dval(m, 8)).isEqualTo(-((1.0 / 3) * (2.0 / 7)));
        assertThat(dval(m, 9)).isEqualTo(Math.sqrt(2.0 / 7));
        assertThat(m.cpu.fpsr).isEqualTo(IXC);

        m = run(0, "fadd s2, s0, s1\nfdiv s3, s0, s1", s(1.5f, 2.25f));
        assertThat(sval(m, 2)).isEqualTo(3.75f);
        assertThat(sval(m, 3)).isEqualTo(1.5f / 2.25f);
        assertThat(m.cpu.fpsr).isEqualTo(IXC);
    }

    @Test
    void scalarWriteClearsTheRestOfTheVectorRegister() {
        TestMachine m = TestMachine.withCode("fadd s2, s0, s1");
        m.cpu.sys.cpacrEl1 = 3L << 20;
        m.cpu.v[4] = -1L;
        m.cpu.v[5] = -1L;
        m.cpu.v[0] = 0xFFFF_FFFF_3F80_0000L; // 1.0f under garbage in bits 63:32
        m.cpu.v[2] = 0x3F80_0000L;
        m.step(1);
        assertThat(m.cpu.v[4]).isEqualTo(0x4000_0000L);
        assertThat(m.cpu.v[5]).isZero();
    }

    @Test
    void directedRoundingFollowsFpcr() {
        long third = Double.doubleToRawLongBits(1.0 / 3); // 0x3FD5555555555555, rounded down
        assertThat(dreg(run(RP, "fdiv d2, d0, d1", d(1, 3)), 2)).isEqualTo(third + 1);
        assertThat(dreg(run(RM, "fdiv d2, d0, d1", d(1, 3)), 2)).isEqualTo(third);
        assertThat(dreg(run(RZ, "fdiv d2, d0, d1", d(-1, 3)), 2)).isEqualTo(third | 1L << 63);
        assertThat(dreg(run(RM, "fdiv d2, d0, d1", d(-1, 3)), 2)).isEqualTo((third + 1) | 1L << 63);
        // x - x is +0, except -0 when rounding toward minus infinity
        assertThat(dreg(run(0, "fsub d2, d0, d0", d(5)), 2)).isZero();
        assertThat(dreg(run(RM, "fsub d2, d0, d0", d(5)), 2)).isEqualTo(1L << 63);
        // overflow: infinity to nearest, the largest finite value toward zero
        TestMachine m = run(0, "fmul d2, d0, d0", d(Double.MAX_VALUE));
        assertThat(dval(m, 2)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(m.cpu.fpsr).isEqualTo(OFC | IXC);
        m = run(RZ, "fmul d2, d0, d0", d(Double.MAX_VALUE));
        assertThat(dval(m, 2)).isEqualTo(Double.MAX_VALUE);
        assertThat(m.cpu.fpsr).isEqualTo(OFC | IXC);
    }

    @Test
    void fusedMultiplyAddRoundsOnce() {
        double a = 1 + 0x1p-27, b = 1 - 0x1p-27, c = -1;
        TestMachine m = run(0, """
                fmadd d4, d0, d1, d2
                fmsub d5, d0, d1, d2
                fnmadd d6, d0, d1, d2
                fnmsub d7, d0, d1, d2
                """, d(a, b, c));
        assertThat(dval(m, 4)).isEqualTo(Math.fma(a, b, c)).isEqualTo(-0x1p-54);
        assertThat(dval(m, 5)).isEqualTo(Math.fma(-a, b, c));
        assertThat(dval(m, 6)).isEqualTo(Math.fma(-a, b, -c));
        assertThat(dval(m, 7)).isEqualTo(Math.fma(a, b, -c));
        assertThat(m.cpu.fpsr).as("-2^-54 is exact; the others are not").isEqualTo(IXC);
    }

    @Test
    void nanPropagationAndDefaultNan() {
        long snan = 0x7FF0_0000_0000_0001L, qnan = 0x7FF8_0000_0000_0002L;
        TestMachine m = run(0, "fadd d2, d0, d1\nfadd d3, d1, d0", new long[] {qnan, snan});
        assertThat(dreg(m, 2)).as("the signalling NaN wins, quieted").isEqualTo(0x7FF8_0000_0000_0001L);
        assertThat(dreg(m, 3)).isEqualTo(0x7FF8_0000_0000_0001L);
        assertThat(m.cpu.fpsr).isEqualTo(IOC);
        m = run(DN, "fadd d2, d0, d1", new long[] {qnan, snan});
        assertThat(dreg(m, 2)).isEqualTo(0x7FF8_0000_0000_0000L);
        m = run(0, "fnmul s2, s0, s1", new long[] {0x7FC0_0001L, 0x3F80_0000L});
        assertThat(dreg(m, 2)).as("FNMUL negates a NaN result too").isEqualTo(0xFFC0_0001L);
        m = run(0, "fmul d2, d0, d1", d(Double.POSITIVE_INFINITY, 0));
        assertThat(dreg(m, 2)).isEqualTo(0x7FF8_0000_0000_0000L);
        assertThat(m.cpu.fpsr).isEqualTo(IOC);
        m = run(0, "fdiv d2, d0, d1", d(-1, 0));
        assertThat(dval(m, 2)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(m.cpu.fpsr).isEqualTo(DZC);
    }

    @Test
    void maxMinAndTheirNumberForms() {
        long qnan = 0x7FF8_0000_0000_0002L;
        TestMachine m = run(0, """
                fmax d3, d0, d1
                fmin d4, d0, d1
                fmaxnm d5, d0, d2
                fminnm d6, d2, d1
                fmax d7, d0, d2
                """, new long[] {Double.doubleToRawLongBits(-0.0), 0, qnan});
        assertThat(dreg(m, 3)).isZero();
        assertThat(dreg(m, 4)).isEqualTo(1L << 63);
        assertThat(dreg(m, 5)).as("the number wins over a quiet NaN").isEqualTo(1L << 63);
        assertThat(dreg(m, 6)).isZero();
        assertThat(dreg(m, 7)).isEqualTo(qnan);
        assertThat(m.cpu.fpsr).isZero();
    }

    @Test
    void flushToZeroFlushesInputsAndOutputs() {
        TestMachine m = run(FZ, "fadd s2, s0, s1", new long[] {1, 0x3F80_0000L});
        assertThat(sval(m, 2)).isEqualTo(1.0f);
        assertThat(m.cpu.fpsr).isEqualTo(IDC);
        m = run(FZ, "fmul s2, s0, s0", s(0x1p-70f));
        assertThat(dreg(m, 2)).isZero();
        assertThat(m.cpu.fpsr).as("flush to zero: UFC without IXC").isEqualTo(UFC);
        m = run(0, "fmul s2, s0, s0", s(0x1p-70f));
        assertThat(sval(m, 2)).isEqualTo(0x1p-140f);
        assertThat(m.cpu.fpsr).as("exact denormal: no underflow").isZero();
        m = run(0, "fmul s2, s0, s1", s(0x1p-100f, 0x1p-30f / 3));
        assertThat(sval(m, 2)).isEqualTo(0x1p-100f * (0x1p-30f / 3));
        assertThat(m.cpu.fpsr).isEqualTo(UFC | IXC);
    }

    @Test
    void compareSetsNzcvAsTheArmArmTable() {
        TestMachine m = run(0, "fcmp d0, d1", d(1, 2));
        assertThat(flags(m)).isEqualTo(N);
        m = run(0, "fcmp d0, d1", d(2, 1));
        assertThat(flags(m)).isEqualTo(C);
        m = run(0, "fcmp d0, #0.0", d(-0.0));
        assertThat(flags(m)).isEqualTo(Z | C);
        m = run(0, "fcmp s0, s1", new long[] {0x3F80_0000L, 0x7FC0_0000L});
        assertThat(flags(m)).isEqualTo(C | V);
        assertThat(m.cpu.fpsr).as("FCMP is quiet on a quiet NaN").isZero();
        m = run(0, "fcmpe s0, #0.0", new long[] {0x7FC0_0000L});
        assertThat(flags(m)).isEqualTo(C | V);
        assertThat(m.cpu.fpsr).isEqualTo(IOC);
        // FCCMP: condition EQ fails after CMP of unequal values, so NZCV = #imm
        m = run(0, "cmp x0, x1\nfccmp d0, d1, #0b1010, eq\nfccmpe d0, d1, #0, ne", d(1, 1), 1, 2);
        assertThat(flags(m)).isEqualTo(Z | C);
        m = run(0, "cmp x0, x1\nfccmp d0, d1, #0b1010, eq", d(1, 1), 1, 2);
        assertThat(flags(m)).isEqualTo(N | C);
    }

    @Test
    void selectAndMoves() {
        TestMachine m = run(0, """
                cmp x0, x0
                fcsel d2, d0, d1, eq
                fcsel s3, s0, s1, ne
                fmov d4, #-1.25
                fmov s5, #0.5
                fmov x6, d0
                fmov d7, x2
                fmov v7.d[1], x3
                fmov x8, v7.d[1]
                fmov w9, s1
                fmov s10, w3
                fmov d11, d0
                fabs d12, d4
                fneg s13, s5
                """, d(1.5, -2.0), 7, 0, 0x4000_0000_0000_0000L, 0xABCD_0000_3F80_0000L);
        assertThat(dval(m, 2)).isEqualTo(1.5);
        assertThat(dreg(m, 3)).isEqualTo(0); // low 32 bits of -2.0
        assertThat(dval(m, 4)).isEqualTo(-1.25);
        assertThat(sval(m, 5)).isEqualTo(0.5f);
        assertThat(m.x(6)).isEqualTo(Double.doubleToRawLongBits(1.5));
        assertThat(dval(m, 7)).isEqualTo(2.0);
        assertThat(m.cpu.v[15]).isEqualTo(0xABCD_0000_3F80_0000L);
        assertThat(m.x(8)).isEqualTo(0xABCD_0000_3F80_0000L);
        assertThat(m.x(9)).isZero();
        assertThat(sval(m, 10)).isEqualTo(1.0f);
        assertThat(dval(m, 11)).isEqualTo(1.5);
        assertThat(dval(m, 12)).isEqualTo(1.25);
        assertThat(sval(m, 13)).isEqualTo(-0.5f);
    }

    @Test
    void roundToIntegral() {
        TestMachine m = run(RP, """
                frintn d8, d0
                frinta d9, d0
                frintm d10, d1
                frintp d11, d1
                frintz d12, d2
                frinti d13, d0
                frintx s14, s3
                """, new long[] {Double.doubleToRawLongBits(2.5), Double.doubleToRawLongBits(-0.5),
                Double.doubleToRawLongBits(-7.9), Float.floatToRawIntBits(2.5f)});
        assertThat(dval(m, 8)).isEqualTo(2.0);
        assertThat(dval(m, 9)).isEqualTo(3.0);
        assertThat(dval(m, 10)).isEqualTo(-1.0);
        assertThat(dreg(m, 11)).as("-0.5 rounded up is -0").isEqualTo(1L << 63);
        assertThat(dval(m, 12)).isEqualTo(-7.0);
        assertThat(dval(m, 13)).isEqualTo(3.0);
        assertThat(sval(m, 14)).isEqualTo(3.0f);
        assertThat(m.cpu.fpsr).as("only FRINTX raises inexact").isEqualTo(IXC);
    }

    @Test
    void conversionsToIntegers() {
        TestMachine m = run(0, """
                fcvtns x8, d0
                fcvtas x9, d1
                fcvtms w10, d1
                fcvtps x11, d2
                fcvtzs w12, d3
                fcvtzu x13, d4
                fcvtzs w14, s5, #8
                fcvtau w15, d0
                fcvtmu x16, d2
                fcvtpu w17, d1
                fcvtnu x18, d0
                fcvtzs x19, d6
                """, new long[] {Double.doubleToRawLongBits(2.5), Double.doubleToRawLongBits(-2.5),
                Double.doubleToRawLongBits(2.1), Double.doubleToRawLongBits(1e10),
                Double.doubleToRawLongBits(-1.0), Float.floatToRawIntBits(1.5f) & 0xFFFF_FFFFL,
                0x7FF8_0000_0000_0000L});
        assertThat(m.x(8)).isEqualTo(2);
        assertThat(m.x(9)).isEqualTo(-3);
        assertThat(m.x(10)).isEqualTo(0xFFFF_FFFDL);
        assertThat(m.x(11)).isEqualTo(3);
        assertThat(m.x(12)).isEqualTo(0x7FFF_FFFFL);
        assertThat(m.x(13)).isZero();
        assertThat(m.x(14)).isEqualTo(384);
        assertThat(m.x(15)).isEqualTo(3);
        assertThat(m.x(16)).isEqualTo(2);
        assertThat(m.x(17)).isZero();
        assertThat(m.x(18)).isEqualTo(2);
        assertThat(m.x(19)).isZero();
        assertThat(m.cpu.fpsr).isEqualTo(IOC | IXC);
    }

    @Test
    void conversionsFromIntegersAndBetweenPrecisions() {
        TestMachine m = run(0, """
                scvtf d8, w0
                ucvtf d9, w0
                scvtf s10, x1, #4
                ucvtf d11, x0
                scvtf s12, x2
                fcvt s13, d0
                fcvt d14, s1
                """, new long[] {Double.doubleToRawLongBits(1.0 / 3), 0x7F80_0001L},
                0xFFFF_FFFFL, 40, (1L << 24) + 1);
        assertThat(dval(m, 8)).isEqualTo(-1.0);
        assertThat(dval(m, 9)).isEqualTo(4294967295.0);
        assertThat(sval(m, 10)).isEqualTo(2.5f);
        assertThat(dval(m, 11)).isEqualTo(4294967295.0);
        assertThat(sval(m, 12)).isEqualTo(16777216f);
        assertThat(sval(m, 13)).isEqualTo((float) (1.0 / 3));
        assertThat(dreg(m, 14)).as("signalling NaN quieted, payload kept").isEqualTo(0x7FF8_0000_2000_0000L);
        assertThat(m.cpu.fpsr).isEqualTo(IOC | IXC);
        m = run(RM, "scvtf s0, x0", new long[0], (1L << 24) + 1);
        assertThat(sval(m, 0)).isEqualTo(16777216f);
        m = run(RP, "scvtf s0, x0", new long[0], (1L << 24) + 1);
        assertThat(sval(m, 0)).isEqualTo(16777218f);
    }

    @Test
    void halfPrecisionConversions() {
        TestMachine m = run(0, """
                fcvt h8, d0
                fcvt s9, h8
                fcvt d10, h8
                fcvt h11, s1
                """, new long[] {Double.doubleToRawLongBits(-0.3), 0x7F80_0000L});
        assertThat(m.cpu.v[16]).isEqualTo(0xB4CDL); // -0.3 to the nearest half: -0x1.334p-2
        assertThat(sval(m, 9)).isEqualTo(-0x1.334p-2f);
        assertThat(dval(m, 10)).isEqualTo(-0x1.334p-2);
        assertThat(m.cpu.v[22]).isEqualTo(0x7C00L);
        assertThat(m.cpu.fpsr).isEqualTo(IXC);
        m = run(1 << 26, "fcvt h2, s1", new long[] {0, 0x7F80_0000L});
        assertThat(m.cpu.v[4]).as("AHP: no infinity, the largest value and IOC").isEqualTo(0x7FFFL);
        assertThat(m.cpu.fpsr).isEqualTo(IOC);
    }

    @Test
    void fpAccessTrapsWhenCpacrFpenForbidsIt() {
        TestMachine m = TestMachine.withCode("fadd d0, d1, d2");
        m.cpu.vbarEl1 = DataProcImmTest.VBAR;
        m.step(1);
        assertThat(m.cpu.pc).isEqualTo(DataProcImmTest.VBAR + 0x200);
        assertThat(m.cpu.esrEl1 >>> 26).isEqualTo(0x07);
        assertThat(m.cpu.elrEl1).isEqualTo(CODE);
    }

    @Test
    void halfPrecisionAndMismatchedMovesAreUndefined() {
        assertUndefined(0x1EE0_2800); // fadd h0, h0, h0 (FEAT_FP16)
        assertUndefined(0x1E66_0000); // fmov w0 from a D register: sf=0 with ftype=01
        assertUndefined(0x1E23_4000); // fcvt with opc 10: reserved
        assertUndefined(0x1E02_0000); // scvtf s0, w0, #64: scale < 32 in a 32-bit form
    }
}
