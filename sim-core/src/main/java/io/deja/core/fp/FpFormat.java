package io.deja.core.fp;

import static io.deja.core.fp.FpStatus.IDC;
import static io.deja.core.fp.FpStatus.IOC;

/**
 * Single and double precision encodings and the Arm ARM's FPUnpack,
 * FPProcessNaN(s) and FPDefaultNaN over raw bits (a single is in the low 32
 * bits of the long). Finite nonzero values are unpacked to a significand
 * normalised with its leading one at bit 62 and an unbiased exponent: the
 * value is sig * 2^(exp - 62).
 */
public final class FpFormat {
    private FpFormat() {}

    /** Operand types of FPUnpack. In every method {@code d} selects the format: false single, true double. */
    public static final int ZERO = 0, NONZERO = 1, INF = 2, QNAN = 3, SNAN = 4;

    public static int ebits(boolean d) {
        return d ? 11 : 8;
    }

    public static int fbits(boolean d) {
        return d ? 52 : 23;
    }

    static int bias(boolean d) {
        return d ? 1023 : 127;
    }

    public static int signOf(long bits, boolean d) {
        return (int) (bits >>> (d ? 63 : 31)) & 1;
    }

    static long signBit(boolean d) {
        return d ? 1L << 63 : 1L << 31;
    }

    public static long zero(int sign, boolean d) {
        return sign == 0 ? 0 : signBit(d);
    }

    public static long infinity(int sign, boolean d) {
        return zero(sign, d) | (d ? 0x7FF0_0000_0000_0000L : 0x7F80_0000L);
    }

    /** The largest finite value of the sign (FPMaxNormal). */
    static long maxNormal(int sign, boolean d) {
        return infinity(sign, d) - 1;
    }

    public static long defaultNan(boolean d) {
        return d ? 0x7FF8_0000_0000_0000L : 0x7FC0_0000L;
    }

    public static long neg(long bits, boolean d) {
        return bits ^ signBit(d);
    }

    public static long abs(long bits, boolean d) {
        return bits & ~signBit(d);
    }

    static long quietBit(boolean d) {
        return 1L << (fbits(d) - 1);
    }

    /** The type of an operand (FPUnpack); a denormal under FPCR.FZ is a zero and raises IDC. */
    public static int type(long bits, boolean d, FpStatus st) {
        int f = fbits(d);
        long exp = (bits >>> f) & ((1L << ebits(d)) - 1);
        long frac = bits & ((1L << f) - 1);
        if (exp == 0) {
            if (frac == 0) return ZERO;
            if (st.flushToZero()) {
                st.flags |= IDC;
                return ZERO;
            }
            return NONZERO;
        }
        if (exp == (1L << ebits(d)) - 1) {
            if (frac == 0) return INF;
            return (frac & quietBit(d)) != 0 ? QNAN : SNAN;
        }
        return NONZERO;
    }

    public static boolean isNan(int type) {
        return type >= QNAN;
    }

    /** Unbiased exponent of a finite nonzero operand (denormals normalised). */
    static int exponent(long bits, boolean d) {
        int f = fbits(d);
        int exp = (int) (bits >>> f) & ((1 << ebits(d)) - 1);
        if (exp != 0) return exp - bias(d);
        long sig = (bits & ((1L << f) - 1)) << (62 - f);
        return 1 - bias(d) - (Long.numberOfLeadingZeros(sig) - 1);
    }

    /** Significand of a finite nonzero operand with its leading one at bit 62. */
    static long significand(long bits, boolean d) {
        int f = fbits(d);
        int exp = (int) (bits >>> f) & ((1 << ebits(d)) - 1);
        long frac = bits & ((1L << f) - 1);
        if (exp != 0) return ((1L << f) | frac) << (62 - f);
        long sig = frac << (62 - f);
        return sig << (Long.numberOfLeadingZeros(sig) - 1);
    }

    /** FPProcessNaN: quiets a signalling NaN (raising IOC); FPCR.DN replaces the result by the default NaN. */
    public static long processNan(int type, long bits, boolean d, FpStatus st) {
        long r = bits;
        if (type == SNAN) {
            r |= quietBit(d);
            st.flags |= IOC;
        }
        return st.defaultNan() ? defaultNan(d) : r;
    }

    /**
     * FPProcessNaNs: signalling NaNs before quiet ones, the first operand
     * first. Callers call it only when one operand is a NaN.
     */
    static long processNans(int t1, int t2, long op1, long op2, boolean d, FpStatus st) {
        if (t1 == SNAN) return processNan(t1, op1, d, st);
        if (t2 == SNAN) return processNan(t2, op2, d, st);
        if (t1 == QNAN) return processNan(t1, op1, d, st);
        return processNan(t2, op2, d, st);
    }

    /** FPProcessNaNs3, the order of FPMulAdd's operands (addend, multiplicand, multiplier). */
    static long processNans3(int t1, int t2, int t3, long op1, long op2, long op3, boolean d, FpStatus st) {
        if (t1 == SNAN) return processNan(t1, op1, d, st);
        if (t2 == SNAN) return processNan(t2, op2, d, st);
        if (t3 == SNAN) return processNan(t3, op3, d, st);
        if (t1 == QNAN) return processNan(t1, op1, d, st);
        if (t2 == QNAN) return processNan(t2, op2, d, st);
        return processNan(t3, op3, d, st);
    }
}
