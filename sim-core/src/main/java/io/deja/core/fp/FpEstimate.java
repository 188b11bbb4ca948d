package io.deja.core.fp;

import static io.deja.core.fp.FpFormat.INF;
import static io.deja.core.fp.FpFormat.ZERO;
import static io.deja.core.fp.FpFormat.isNan;
import static io.deja.core.fp.FpFormat.signOf;
import static io.deja.core.fp.FpStatus.DZC;
import static io.deja.core.fp.FpStatus.IOC;
import static io.deja.core.fp.FpStatus.IXC;
import static io.deja.core.fp.FpStatus.OFC;
import static io.deja.core.fp.FpStatus.RM;
import static io.deja.core.fp.FpStatus.RN;
import static io.deja.core.fp.FpStatus.RP;
import static io.deja.core.fp.FpStatus.UFC;

/**
 * The reciprocal and reciprocal square root estimates of the Arm ARM
 * (ARMv8.0, without FEAT_RPRES): FPRecipEstimate (FRECPE), FPRSqrtEstimate
 * (FRSQRTE), UnsignedRecipEstimate (URECPE), UnsignedRSqrtEstimate (URSQRTE)
 * and FPRecpX (FRECPX), bit for bit as the pseudocode's integer tables
 * RecipEstimate and RecipSqrtEstimate define them. Both tables have 256
 * entries and are computed once, by the pseudocode itself.
 */
public final class FpEstimate {
    private FpEstimate() {}

    private static final short[] RECIP = new short[256];
    private static final short[] RSQRT = new short[384];

    static {
        for (int a = 256; a < 512; a++) RECIP[a - 256] = (short) recipEstimate(a);
        for (int a = 128; a < 512; a++) RSQRT[a - 128] = (short) recipSqrtEstimate(a);
    }

    /** RecipEstimate: a in [256, 512) is a fixed-point value in [0.5, 1); the result in [256, 512) is in [1, 2). */
    static int recipEstimate(int a) {
        a = a * 2 + 1;
        int b = (1 << 19) / a;
        return (b + 1) / 2;
    }

    /** RecipSqrtEstimate: a in [128, 512) is a value in [0.25, 1) (units of 1/512); the result is in [1, 2). */
    static int recipSqrtEstimate(int a) {
        if (a < 256) {
            a = a * 2 + 1;
        } else {
            a = (a >> 1) << 1;
            a = (a + 1) * 2;
        }
        long b = 512;
        while (a * (b + 1) * (b + 1) < (1L << 28)) b++;
        return (int) ((b + 1) / 2);
    }

    private static int bias(boolean d) {
        return d ? 1023 : 127;
    }

    /** FPRecipEstimate (FRECPE, single or double). */
    public static long recip(long op, boolean d, FpStatus st) {
        int t = FpFormat.type(op, d, st);
        int sign = signOf(op, d);
        if (isNan(t)) return FpFormat.processNan(t, op, d, st);
        if (t == INF) return FpFormat.zero(sign, d);
        if (t == ZERO) {
            st.flags |= DZC;
            return FpFormat.infinity(sign, d);
        }
        int f = FpFormat.fbits(d);
        long abs = FpFormat.abs(op, d);
        // below 2^-128 (single) or 2^-1024 (double): a denormal whose fraction is under 2^21 or 2^50
        if (abs < (d ? 1L << 50 : 1L << 21)) {
            int mode = st.rounding();
            boolean toInf = mode == RN || (mode == RP && sign == 0) || (mode == RM && sign == 1);
            st.flags |= OFC | IXC;
            return toInf ? FpFormat.infinity(sign, d) : FpFormat.maxNormal(sign, d);
        }
        int exp = (int) (abs >>> f);
        // |value| >= 2^126 (single) or 2^1022 (double): the reciprocal would be a denormal, flushed
        if (st.flushToZero() && exp >= 2 * bias(d) - 1) {
            st.flags |= UFC;
            return FpFormat.zero(sign, d);
        }
        long fraction = (abs & ((1L << f) - 1)) << (52 - f); // 52 bits, as the pseudocode's double
        if (exp == 0) {
            if ((fraction >>> 51) == 0) {
                exp = -1;
                fraction = (fraction << 2) & ((1L << 52) - 1);
            } else {
                fraction = (fraction << 1) & ((1L << 52) - 1);
            }
        }
        int scaled = (int) (0x100 | (fraction >>> 44));
        int resultExp = 2 * bias(d) - 1 - exp;
        int estimate = RECIP[scaled - 256];
        long resultFraction = (long) (estimate & 0xFF) << 44;
        if (resultExp == 0) {
            resultFraction = (1L << 51) | (resultFraction >>> 1);
        } else if (resultExp == -1) {
            resultFraction = (1L << 50) | (resultFraction >>> 2);
            resultExp = 0;
        }
        return FpFormat.zero(sign, d) | ((long) resultExp << f) | (resultFraction >>> (52 - f));
    }

    /** FPRSqrtEstimate (FRSQRTE, single or double). */
    public static long rsqrt(long op, boolean d, FpStatus st) {
        int t = FpFormat.type(op, d, st);
        int sign = signOf(op, d);
        if (isNan(t)) return FpFormat.processNan(t, op, d, st);
        if (t == ZERO) {
            st.flags |= DZC;
            return FpFormat.infinity(sign, d);
        }
        if (sign == 1) {
            st.flags |= IOC;
            return FpFormat.defaultNan(d);
        }
        if (t == INF) return FpFormat.zero(0, d);
        int f = FpFormat.fbits(d);
        long fraction = (op & ((1L << f) - 1)) << (52 - f);
        int exp = (int) (op >>> f);
        if (exp == 0) {
            while ((fraction >>> 51) == 0) {
                fraction <<= 1;
                exp--;
            }
            fraction = (fraction << 1) & ((1L << 52) - 1);
        }
        int scaled = (exp & 1) == 0 ? (int) (0x100 | (fraction >>> 44)) : (int) (0x80 | (fraction >>> 45));
        // (44 - exp) DIV 2 for half; Math.floorDiv as DIV rounds toward minus infinity
        int resultExp = Math.floorDiv((d ? 3068 : 380) - exp, 2);
        int estimate = RSQRT[scaled - 128];
        return ((long) resultExp << f) | ((long) (estimate & 0xFF) << (f - 8));
    }

    /** UnsignedRecipEstimate (URECPE) of a 32-bit element. */
    public static long unsignedRecip(long op) {
        if ((op & 0x8000_0000L) == 0) return 0xFFFF_FFFFL;
        return (long) RECIP[(int) ((op >>> 23) & 0x1FF) - 256] << 23;
    }

    /** UnsignedRSqrtEstimate (URSQRTE) of a 32-bit element. */
    public static long unsignedRsqrt(long op) {
        if ((op & 0xC000_0000L) == 0) return 0xFFFF_FFFFL;
        return (long) RSQRT[(int) ((op >>> 23) & 0x1FF) - 128] << 23;
    }

    /** FPRecpX (FRECPX): the exponent inverted, the fraction cleared; zeros and denormals give the largest exponent. */
    public static long recpX(long op, boolean d, FpStatus st) {
        int t = FpFormat.type(op, d, st);
        if (isNan(t)) return FpFormat.processNan(t, op, d, st);
        int f = FpFormat.fbits(d);
        long expMask = (1L << FpFormat.ebits(d)) - 1;
        long exp = (op >>> f) & expMask;
        long result = exp == 0 ? expMask - 1 : ~exp & expMask;
        return FpFormat.zero(signOf(op, d), d) | (result << f);
    }
}
