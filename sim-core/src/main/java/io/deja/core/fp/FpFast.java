package io.deja.core.fp;

import static io.deja.core.fp.FpStatus.IXC;

/**
 * The fast path of {@link FpArith}: add, subtract, multiply, divide, square
 * root and fused multiply-add on Java doubles and floats, taken only where
 * its result and flags are provably those of the exact path. Each method
 * returns {@link #SLOW} when it does not apply, and the caller then runs the
 * exact path.
 *
 * <p>When it applies: FPCR.RMode is round to nearest (Java's only mode), and
 * every operand is a finite nonzero number in a range where nothing can
 * overflow, underflow or lose the bits the inexact test needs:
 * <ul>
 * <li>double: |x| in [2^-480, 2^480). Then a product or quotient lies in
 * (2^-961, 2^961), far from both ends of the format; the exact error of a
 * product and the remainder of a quotient or square root are multiples of at
 * least 2^-1064 (above the smallest denormal, 2^-1074), so Math.fma computes
 * them exactly, and in particular never rounds a nonzero one to zero.</li>
 * <li>single: normal. Products of two singles are exact in a double
 * (48 bits), and a double rounded to single gives the correctly rounded
 * single result of +, -, *, / and sqrt (a double has more than 2p+2 = 50
 * bits: Figueroa, "When is double rounding innocuous?", 1995). Java's float
 * arithmetic is itself IEEE binary32 round to nearest.</li>
 * </ul>
 * With no NaN, infinity or zero operand, FPProcessNaNs, the invalid
 * operations (IOC), division by zero (DZC) and the signed-zero rules of zero
 * operands cannot arise; a denormal operand is excluded, so FPCR.FZ cannot
 * flush an input (nor raise IDC), and FPCR.DN has no NaN to act on. What is
 * left is the result: a result whose magnitude is at most the smallest normal
 * goes to the exact path (it may be tiny before rounding: UFC, and FZ flushes
 * it), and so does an infinite single (OFC). A result above the smallest
 * normal was not tiny before rounding, so neither UFC nor FZ applies, and one
 * that is finite did not overflow (the Arm ARM, like IEEE 754, overflows on
 * the rounded exponent). IXC is then the only flag, and each method decides
 * it with an exact test, as its comments say.
 *
 * <p>Each operation has one method per precision, and the precision-generic
 * forms only choose between them: a caller whose precision is a constant
 * then inlines only the code of its precision (HotSpot's inlining budget
 * counts the bytecode of every method it inlines, reached or not).
 *
 * <p>Math.fma is exact by its specification on every JVM (on this machine's
 * x86 with FMA it is one instruction; elsewhere it is slower, never wrong).
 */
final class FpFast {
    private FpFast() {}

    /** Not a result: a NaN as a double (the fast path returns none) and not a single (its high bits are set). */
    static final long SLOW = -1L;

    private static final int RMODE_BITS = 3 << FpStatus.RMODE_SHIFT;
    /** Biased double exponents of [2^-480, 2^480). */
    private static final int D_MIN_EXP = 1023 - 480, D_EXP_SPAN = 960;
    private static final long D_SIGN = 1L << 63, S_SIGN = 1L << 31;

    private static boolean nearest(FpStatus st) {
        return (st.fpcr & RMODE_BITS) == 0;
    }

    private static boolean doubleInRange(long bits) {
        int e = (int) (bits >>> 52) & 0x7FF;
        return Integer.compareUnsigned(e - D_MIN_EXP, D_EXP_SPAN) < 0;
    }

    private static boolean singleNormal(long bits) {
        int e = (int) (bits >>> 23) & 0xFF;
        return Integer.compareUnsigned(e - 1, 254) < 0;
    }

    private static double dbl(long bits) {
        return Double.longBitsToDouble(bits);
    }

    private static float sgl(long bits) {
        return Float.intBitsToFloat((int) bits);
    }

    private static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }

    private static long bits(float v) {
        return Float.floatToRawIntBits(v) & 0xFFFF_FFFFL;
    }

    /** A single result the exact path must take: tiny (UFC, FZ) or infinite (OFC). Also false for NaN. */
    private static boolean singleResultNormal(float r) {
        float m = Math.abs(r);
        return m > Float.MIN_NORMAL && m <= Float.MAX_VALUE;
    }

    /**
     * The rounding error of s = RN(a + b): a + b - s exactly (Knuth's TwoSum,
     * exact in round to nearest whenever nothing overflows, denormals
     * included). Zero exactly when the sum was exact.
     */
    private static double sumError(double a, double b, double s) {
        double bv = s - a;
        double av = s - bv;
        return (a - av) + (b - bv);
    }

    // ---- add, subtract ------------------------------------------------------------------

    /** FPAdd, or FPSub with {@code op2} negated (the same for non-NaN operands). */
    static long add(long op1, long op2, boolean d, FpStatus st) {
        return d ? addD(op1, op2, st) : addS(op1, op2, st);
    }

    static long sub(long op1, long op2, boolean d, FpStatus st) {
        return d ? addD(op1, op2 ^ D_SIGN, st) : addS(op1, op2 ^ S_SIGN, st);
    }

    static long addD(long op1, long op2, FpStatus st) {
        if (!nearest(st) || !doubleInRange(op1) || !doubleInRange(op2)) return SLOW;
        // In range a sum cannot overflow; it is a multiple of 2^-532, so a nonzero one is
        // normal, and a zero one (x + -x) is +0, as FPAdd's exact zero in round to nearest.
        double a = dbl(op1), b = dbl(op2), s = a + b;
        if (sumError(a, b, s) != 0) st.flags |= IXC;
        return bits(s);
    }

    static long addS(long op1, long op2, FpStatus st) {
        if (!nearest(st) || !singleNormal(op1) || !singleNormal(op2)) return SLOW;
        float r = sgl(op1) + sgl(op2);
        if (!singleResultNormal(r)) return SLOW;
        // Exact when the double sum is exact (no TwoSum error) and equals the single result.
        double a = sgl(op1), b = sgl(op2), s = a + b;
        if (sumError(a, b, s) != 0 || (double) r != s) st.flags |= IXC;
        return bits(r);
    }

    // ---- multiply -----------------------------------------------------------------------

    static long mul(long op1, long op2, boolean d, FpStatus st) {
        return d ? mulD(op1, op2, st) : mulS(op1, op2, st);
    }

    static long mulD(long op1, long op2, FpStatus st) {
        if (!nearest(st) || !doubleInRange(op1) || !doubleInRange(op2)) return SLOW;
        // |p| in [2^-960, 2^960]: normal. a*b - p is exact in the fma (see the class comment).
        double a = dbl(op1), b = dbl(op2), p = a * b;
        if (Math.fma(a, b, -p) != 0) st.flags |= IXC;
        return bits(p);
    }

    static long mulS(long op1, long op2, FpStatus st) {
        if (!nearest(st) || !singleNormal(op1) || !singleNormal(op2)) return SLOW;
        double p = (double) sgl(op1) * sgl(op2); // exact: 48 significant bits
        float r = (float) p;
        if (!singleResultNormal(r)) return SLOW;
        if ((double) r != p) st.flags |= IXC;
        return bits(r);
    }

    // ---- divide -------------------------------------------------------------------------

    static long div(long op1, long op2, boolean d, FpStatus st) {
        return d ? divD(op1, op2, st) : divS(op1, op2, st);
    }

    static long divD(long op1, long op2, FpStatus st) {
        if (!nearest(st) || !doubleInRange(op1) || !doubleInRange(op2)) return SLOW;
        // |q| in (2^-961, 2^961): normal. The remainder a - q*b is a multiple of
        // 2^(exp(a) - 105) >= 2^-585, so the fma gives zero exactly when q is exact.
        double a = dbl(op1), b = dbl(op2), q = a / b;
        if (Math.fma(-q, b, a) != 0) st.flags |= IXC;
        return bits(q);
    }

    static long divS(long op1, long op2, FpStatus st) {
        if (!nearest(st) || !singleNormal(op1) || !singleNormal(op2)) return SLOW;
        float a = sgl(op1), b = sgl(op2), q = a / b;
        if (!singleResultNormal(q)) return SLOW;
        // q*b is exact in a double (48 bits): q is exact when it gives back a
        if ((double) q * b != a) st.flags |= IXC;
        return bits(q);
    }

    // ---- square root --------------------------------------------------------------------

    /** A negative operand (IOC) goes to the exact path; the root of an operand in range is normal. */
    static long sqrt(long op, boolean d, FpStatus st) {
        return d ? sqrtD(op, st) : sqrtS(op, st);
    }

    static long sqrtD(long op, FpStatus st) {
        if (!nearest(st) || op < 0 || !doubleInRange(op)) return SLOW;
        // Math.sqrt is correctly rounded; a - r*r is a multiple of 2^min(exp(a) - 52, 2*exp(r) - 104),
        // at least 2^-584, so the fma gives zero exactly when r is exact.
        double a = dbl(op), r = Math.sqrt(a);
        if (Math.fma(-r, r, a) != 0) st.flags |= IXC;
        return bits(r);
    }

    static long sqrtS(long op, FpStatus st) {
        if (!nearest(st) || (op & S_SIGN) != 0 || !singleNormal(op)) return SLOW;
        double a = sgl(op);
        float r = (float) Math.sqrt(a); // double rounding innocuous (Figueroa)
        if ((double) r * r != a) st.flags |= IXC; // r*r exact in a double
        return bits(r);
    }

    // ---- fused multiply-add -------------------------------------------------------------

    /** FPMulAdd: addend + op1*op2 with one rounding. */
    static long mulAdd(long addend, long op1, long op2, boolean d, FpStatus st) {
        return d ? mulAddD(addend, op1, op2, st) : mulAddS(addend, op1, op2, st);
    }

    static long mulAddD(long addend, long op1, long op2, FpStatus st) {
        if (!nearest(st) || !doubleInRange(addend) || !doubleInRange(op1) || !doubleInRange(op2)) return SLOW;
        double c = dbl(addend), a = dbl(op1), b = dbl(op2);
        double r = Math.fma(a, b, c);
        // Cancellation can make the sum tiny (it is a multiple of 2^-1064): the exact path then.
        if (!(Math.abs(r) > Double.MIN_NORMAL)) return SLOW;
        // a*b + c = r exactly iff a*b = r - c. Both sides as unevaluated pairs hi + lo with
        // hi = RN(value), lo = value - hi exactly: p + pe (the fma gives the product's exact
        // error, see the class comment) and dd + de (TwoSum; |r| < 2^961 cannot overflow).
        // RN is a function, so equal values give equal pairs, and equal pairs equal values.
        double p = a * b, pe = Math.fma(a, b, -p);
        double dd = r - c, de = sumError(r, -c, dd);
        if (dd != p || de != pe) st.flags |= IXC;
        return bits(r);
    }

    static long mulAddS(long addend, long op1, long op2, FpStatus st) {
        if (!nearest(st) || !singleNormal(addend) || !singleNormal(op1) || !singleNormal(op2)) return SLOW;
        float r = Math.fma(sgl(op1), sgl(op2), sgl(addend));
        if (!singleResultNormal(r)) return SLOW;
        // a*b is exact in a double; a*b + c = r iff a*b = r - c, and r - c (computed with TwoSum)
        // can only equal that double if it is itself a double (no TwoSum error).
        double p = (double) sgl(op1) * sgl(op2), c = sgl(addend);
        double dd = r - c, de = sumError(r, -c, dd);
        if (de != 0 || dd != p) st.flags |= IXC;
        return bits(r);
    }
}
