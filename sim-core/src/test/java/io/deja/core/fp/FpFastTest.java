package io.deja.core.fp;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static io.deja.core.fp.FpStatus.DN;
import static io.deja.core.fp.FpStatus.FZ;
import static io.deja.core.fp.FpStatus.IOC;
import static io.deja.core.fp.FpStatus.IXC;
import static io.deja.core.fp.FpStatus.OFC;
import static io.deja.core.fp.FpStatus.UFC;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The boundary between FpFast and the exact path: where the fast path applies
 * and where it must not, and that across it FpArith's results and flags are
 * those of the BigInteger reference of {@link FpArithTest} (round to nearest,
 * the only mode the fast path takes) and of the exact path under FZ and DN.
 * Hand-picked values are worked out from IEEE 754 / the Arm ARM's FPRound.
 */
class FpFastTest {
    private static final int RM_BITS = FpStatus.RM << FpStatus.RMODE_SHIFT;

    static long d(double v) {
        return Double.doubleToRawLongBits(v);
    }

    static long s(float v) {
        return Float.floatToRawIntBits(v) & 0xFFFF_FFFFL;
    }

    static FpStatus st(int fpcr) {
        FpStatus st = new FpStatus();
        st.fpcr = fpcr;
        return st;
    }

    // ---- where the fast path applies --------------------------------------------------

    @Test
    void doubleOperandsInsideTwoToThePlusMinus480TakeTheFastPath() {
        long inside = d(Math.scalb(1.5, 479)), outside = d(Math.scalb(1.0, 480));
        long low = d(Math.scalb(1.0, -480)), below = d(Math.scalb(1.5, -481));
        assertThat(FpFast.mul(inside, low, true, st(0))).isEqualTo(d(Math.scalb(1.5, -1)));
        assertThat(FpFast.mul(outside, low, true, st(0))).isEqualTo(FpFast.SLOW);
        assertThat(FpFast.add(inside, below, true, st(0))).isEqualTo(FpFast.SLOW);
        assertThat(FpFast.div(low, inside, true, st(0))).isNotEqualTo(FpFast.SLOW);
        assertThat(FpFast.sqrt(low, true, st(0))).isEqualTo(d(Math.scalb(1.0, -240)));
        assertThat(FpFast.mulAdd(d(1.0), inside, low, true, st(0))).isEqualTo(d(1.75));
    }

    @Test
    void otherRoundingModesZeroAndSpecialOperandsTakeTheExactPath() {
        assertThat(FpFast.add(d(1.0), d(2.0), true, st(RM_BITS))).isEqualTo(FpFast.SLOW);
        assertThat(FpFast.add(s(1f), s(2f), false, st(1 << FpStatus.RMODE_SHIFT))).isEqualTo(FpFast.SLOW);
        for (double special : new double[] {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NaN, Double.MIN_VALUE}) {
            assertThat(FpFast.mul(d(special), d(3.0), true, st(0))).as("%s", special).isEqualTo(FpFast.SLOW);
            assertThat(FpFast.mulAdd(d(1.0), d(3.0), d(special), true, st(0))).as("%s", special).isEqualTo(FpFast.SLOW);
        }
        for (float special : new float[] {0f, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE}) {
            assertThat(FpFast.div(s(3f), s(special), false, st(0))).as("%s", special).isEqualTo(FpFast.SLOW);
        }
        assertThat(FpFast.sqrt(d(-4.0), true, st(0))).isEqualTo(FpFast.SLOW);
        assertThat(FpFast.sqrt(s(-4f), false, st(0))).isEqualTo(FpFast.SLOW);
    }

    // ---- inexact detection ------------------------------------------------------------

    @Test
    void inexactIsRaisedExactlyWhenTheResultWasRounded() {
        expect(0, st -> FpArith.add(d(1.0), d(0x1p-53), true, st), d(1.0), IXC);
        expect(0, st -> FpArith.add(d(1.0), d(0x1p-52), true, st), d(1.0 + 0x1p-52), 0);
        expect(0, st -> FpArith.sub(d(0x1p400), d(0x1p-400), true, st), d(0x1p400), IXC);
        expect(0, st -> FpArith.div(d(1.0), d(3.0), true, st), d(1.0 / 3), IXC);
        expect(0, st -> FpArith.div(d(1.0), d(0x1p-400), true, st), d(0x1p400), 0);
        expect(0, st -> FpArith.sqrt(d(2.0), true, st), d(Math.sqrt(2.0)), IXC);
        expect(0, st -> FpArith.sqrt(d(0x1.21p0), true, st), d(0x1.1p0), 0);
        // (1 + 2^-52)(1 - 2^-52) = 1 - 2^-104: rounded to 1 by the multiply, exact in the fma
        double up = 1.0 + 0x1p-52, down = 1.0 - 0x1p-52;
        expect(0, st -> FpArith.mul(d(up), d(down), true, st), d(1.0), IXC);
        expect(0, st -> FpArith.mulAdd(d(-1.0), d(up), d(down), true, st), d(-0x1p-104), 0);
        // 1 - 2^-104 + 2^-200: the sum needs 148 bits
        expect(0, st -> FpArith.mulAdd(d(0x1p-200), d(up), d(down), true, st), d(1.0), IXC);
        // singles: 1 + 2^-24 is a tie, to even; 1 + 2^-23 is exact; u = 1 + 2^-22, u^2 = 1 + 2^-21 + 2^-44
        expect(0, st -> FpArith.add(s(1f), s(0x1p-24f), false, st), s(1f), IXC);
        expect(0, st -> FpArith.add(s(1f), s(0x1p-23f), false, st), s(1f + 0x1p-23f), 0);
        float u = 1f + 0x1p-22f;
        expect(0, st -> FpArith.mul(s(u), s(u), false, st), s(1f + 0x1p-21f), IXC);
        expect(0, st -> FpArith.mulAdd(s(-1f), s(u), s(u), false, st), s(0x1p-21f + 0x1p-44f), 0);
        expect(0, st -> FpArith.mulAdd(s(0x1p-60f), s(u), s(u), false, st), s(1f + 0x1p-21f), IXC);
        expect(0, st -> FpArith.div(s(1f), s(3f), false, st), s(1f / 3), IXC);
        expect(0, st -> FpArith.div(s(6f), s(0.75f), false, st), s(8f), 0);
        expect(0, st -> FpArith.sqrt(s(2.25f), false, st), s(1.5f), 0);
        expect(0, st -> FpArith.sqrt(s(3f), false, st), s((float) Math.sqrt(3.0)), IXC);
    }

    // ---- the edges of overflow and underflow -------------------------------------------

    @Test
    void singleResultsAtTheEdgeOfOverflow() {
        float max = Float.MAX_VALUE;
        expect(0, st -> FpArith.mul(s(max), s(1f), false, st), s(max), 0);
        // max * (1 + 2^-23) = 2^128 + 2^104 - 2^81: rounds to 2^128, an overflow
        expect(0, st -> FpArith.mul(s(max), s(1f + 0x1p-23f), false, st), s(Float.POSITIVE_INFINITY), OFC | IXC);
        expect(0, st -> FpArith.mul(s(max), s(2f), false, st), s(Float.POSITIVE_INFINITY), OFC | IXC);
        expect(0, st -> FpArith.add(s(max), s(0x1p103f), false, st), s(Float.POSITIVE_INFINITY), OFC | IXC);
        expect(0, st -> FpArith.add(s(max), s(0x1.fffffep102f), false, st), s(max), IXC);
        expect(0, st -> FpArith.mulAdd(s(-max), s(max), s(2f), false, st), s(max), 0);
    }

    @Test
    void resultsAtTheEdgeOfUnderflow() {
        float min = Float.MIN_NORMAL; // 2^-126
        expect(0, st -> FpArith.mul(s(0x1p-63f), s(0x1p-63f), false, st), s(min), 0);
        // 2^-127 is a denormal, exact: no UFC (tininess needs inexactness too); FZ flushes it
        expect(0, st -> FpArith.mul(s(0x1p-64f), s(0x1p-63f), false, st), s(0x1p-127f), 0);
        expect(FZ, st -> FpArith.mul(s(0x1p-64f), s(0x1p-63f), false, st), 0, UFC);
        // (2^-126 - 2^-150) rounded: tiny before rounding, so UFC even though it rounds to 2^-126
        float justBelow = 1f - 0x1p-24f;
        expect(0, st -> FpArith.mul(s(min), s(justBelow), false, st), s(min), UFC | IXC);
        // the smallest normal plus a little: not tiny
        expect(0, st -> FpArith.mul(s(min), s(1f + 0x1p-23f), false, st), s(Math.nextUp(min)), 0);
        expect(FZ, st -> FpArith.div(s(min), s(2f), false, st), 0, UFC);
        // subtraction down to a denormal is exact
        expect(0, st -> FpArith.sub(s(1.5f * min), s(min), false, st), s(0.5f * min), 0);
        // doubles: sums of in-range operands cancel exactly, down to a normal or zero
        expect(FZ, st -> FpArith.sub(d(0x1.000001p-480), d(0x1p-480), true, st), d(0x1p-504), 0);
        // an fma that cancels to below the smallest normal goes to the exact path
        double a = 0x1.0000000000001p-480, b = 0x1p-480;
        expect(0, st -> FpArith.mulAdd(d(-0x1p-960), d(a), d(b), true, st), d(0x1p-1012), 0);
        expect(FZ, st -> FpArith.mulAdd(d(-0x1p-960), d(a), d(b), true, st), d(0x1p-1012), 0);
        // (1 + 2^-52)^2 * 2^-960 - (1 + 2^-51) * 2^-960 = 2^-1064: a denormal, exact; FZ flushes it
        double g = 0x1.0000000000001p-480;
        expect(0, st -> FpArith.mulAdd(d(-0x1.0000000000002p-960), d(g), d(g), true, st), d(0x1p-1064), 0);
        expect(FZ, st -> FpArith.mulAdd(d(-0x1.0000000000002p-960), d(g), d(g), true, st), 0, UFC);
    }

    // ---- signed zeros and NaNs ----------------------------------------------------------

    @Test
    void signedZerosAndNaNsAreThoseOfTheArmArm() {
        expect(0, st -> FpArith.add(d(1.5), d(-1.5), true, st), d(0.0), 0);
        expect(RM_BITS, st -> FpArith.add(d(1.5), d(-1.5), true, st), d(-0.0), 0);
        expect(0, st -> FpArith.sub(s(2f), s(2f), false, st), s(0f), 0);
        expect(0, st -> FpArith.mulAdd(d(-6.0), d(2.0), d(3.0), true, st), d(0.0), 0);
        expect(RM_BITS, st -> FpArith.mulAdd(d(-6.0), d(2.0), d(3.0), true, st), d(-0.0), 0);
        expect(0, st -> FpArith.mul(d(-0.0), d(3.0), true, st), d(-0.0), 0);
        long qnan = 0x7FF8_0000_0000_1234L, snan = 0x7FF0_0000_0000_1234L;
        expect(0, st -> FpArith.add(d(1.0), qnan, true, st), qnan, 0);
        expect(0, st -> FpArith.mul(snan, d(1.0), true, st), qnan, IOC);
        expect(DN, st -> FpArith.div(d(1.0), qnan, true, st), 0x7FF8_0000_0000_0000L, 0);
        expect(0, st -> FpArith.sqrt(s(-1f), false, st), 0x7FC0_0000L, IOC);
        expect(0, st -> FpArith.mulAdd(0x7FC0_0042L, s(1f), s(2f), false, st), 0x7FC0_0042L, 0);
    }

    // ---- both paths agree across the boundary ------------------------------------------

    /** Operands at the edges of the fast path's range and of the results it hands over. */
    static long edgeOperand(SplittableRandom r, boolean d) {
        int f = d ? 52 : 23, bias = d ? 1023 : 127;
        long frac = r.nextLong() & ((1L << f) - 1);
        if (r.nextInt(3) == 0) frac &= -1L << r.nextInt(f); // short significands: exact results
        if (r.nextInt(8) == 0) frac = r.nextBoolean() ? 0 : (1L << f) - 1;
        long exp = switch (r.nextInt(d ? 5 : 4)) {
            case 0 -> bias - 2 + r.nextInt(5); // near 1: cancellation, exact and inexact sums
            case 1 -> d ? bias + 477 + r.nextInt(6) : 254 - r.nextInt(3); // the top edge
            case 2 -> d ? bias - 483 + r.nextInt(6) : 1 + r.nextInt(3); // the bottom edge
            case 3 -> d ? bias + (r.nextInt(961) - 480) : bias + (r.nextInt(127) - 63); // products near the limits
            default -> bias - 1022 + r.nextInt(r.nextInt(3) + 1); // near the smallest double normal
        };
        long sign = r.nextBoolean() ? 1 : 0;
        return (sign << (d ? 63 : 31)) | (exp << f) | frac;
    }

    interface Both {
        long fast(long a, long b, long c, boolean d, FpStatus st);

        long exact(long a, long b, long c, boolean d, FpStatus st);
    }

    static void agree(String name, Both op) {
        SplittableRandom r = new SplittableRandom(name.hashCode());
        FpStatus fs = new FpStatus(), es = new FpStatus();
        int taken = 0;
        for (int i = 0; i < 40_000; i++) {
            boolean d = (i & 1) == 0;
            long a = edgeOperand(r, d), b = edgeOperand(r, d), c = edgeOperand(r, d);
            fs.fpcr = es.fpcr = (i & 2) != 0 ? FZ : 0;
            fs.flags = es.flags = 0;
            long got = op.fast(a, b, c, d, fs), want = op.exact(a, b, c, d, es);
            if (FpFast.SLOW != switch (name) {
                case "add" -> FpFast.add(a, b, d, new FpStatus());
                case "mul" -> FpFast.mul(a, b, d, new FpStatus());
                case "div" -> FpFast.div(a, b, d, new FpStatus());
                case "sqrt" -> FpFast.sqrt(FpFormat.abs(a, d), d, new FpStatus());
                default -> FpFast.mulAdd(a, b, c, d, new FpStatus());
            }) taken++;
            String what = String.format("%s %s fpcr %x of %x %x %x", name, d ? "double" : "single", fs.fpcr, a, b, c);
            assertThat(Long.toHexString(got)).as(what).isEqualTo(Long.toHexString(want));
            assertThat(fs.flags).as(what + " flags").isEqualTo(es.flags);
        }
        assertThat(taken).as(name + ": cases on the fast path").isGreaterThan(4_000);
    }

    @Test
    void fastAndExactPathsAgreeAtTheEdges() {
        agree("add", new Both() {
            public long fast(long a, long b, long c, boolean d, FpStatus st) {
                return FpArith.add(a, b, d, st);
            }

            public long exact(long a, long b, long c, boolean d, FpStatus st) {
                return FpArith.addSub(a, b, false, d, st);
            }
        });
        agree("mul", new Both() {
            public long fast(long a, long b, long c, boolean d, FpStatus st) {
                return FpArith.mul(a, b, d, st);
            }

            public long exact(long a, long b, long c, boolean d, FpStatus st) {
                return FpArith.mulExact(a, b, d, st);
            }
        });
        agree("div", new Both() {
            public long fast(long a, long b, long c, boolean d, FpStatus st) {
                return FpArith.div(a, b, d, st);
            }

            public long exact(long a, long b, long c, boolean d, FpStatus st) {
                return FpArith.divExact(a, b, d, st);
            }
        });
        agree("sqrt", new Both() {
            public long fast(long a, long b, long c, boolean d, FpStatus st) {
                return FpArith.sqrt(FpFormat.abs(a, d), d, st);
            }

            public long exact(long a, long b, long c, boolean d, FpStatus st) {
                return FpArith.sqrtExact(FpFormat.abs(a, d), d, st);
            }
        });
        agree("fma", new Both() {
            public long fast(long a, long b, long c, boolean d, FpStatus st) {
                return FpArith.mulAdd(a, b, c, d, st);
            }

            public long exact(long a, long b, long c, boolean d, FpStatus st) {
                return FpArith.mulAddExact(a, b, c, d, st);
            }
        });
    }

    interface Call {
        long run(FpStatus st);
    }

    /** Runs one operation with the FPCR given and checks its result bits and the flags it raised. */
    private static void expect(int fpcr, Call call, long want, int flags) {
        FpStatus st = st(fpcr);
        long got = call.run(st);
        assertThat(Long.toHexString(got)).isEqualTo(Long.toHexString(want));
        assertThat(st.flags).as("flags of %x", got).isEqualTo(flags);
    }
}
