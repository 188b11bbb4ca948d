package io.deja.core.fp;

import static io.deja.core.fp.FpFormat.INF;
import static io.deja.core.fp.FpFormat.SNAN;
import static io.deja.core.fp.FpFormat.ZERO;
import static io.deja.core.fp.FpFormat.exponent;
import static io.deja.core.fp.FpFormat.isNan;
import static io.deja.core.fp.FpFormat.signOf;
import static io.deja.core.fp.FpFormat.significand;
import static io.deja.core.fp.FpStatus.IOC;
import static io.deja.core.fp.FpStatus.IXC;
import static io.deja.core.fp.FpStatus.RM;
import static io.deja.core.fp.FpStatus.RN;
import static io.deja.core.fp.FpStatus.RP;
import static io.deja.core.fp.FpStatus.RZ;
import static io.deja.core.fp.FpStatus.TIEAWAY;

/** FPRoundInt, FPToFixed, FixedToFP, FPConvert (single/double) and VFPExpandImm of the Arm ARM. */
public final class FpConvert {
    private FpConvert() {}

    /**
     * Whether |value| rounds up to the next integer, for value = sig * 2^-shift
     * (shift >= 1) with the given sign, in a rounding mode of the signed value.
     */
    private static boolean roundsUp(long sig, int shift, int sign, int mode) {
        long intPart = shift >= 64 ? 0 : sig >>> shift;
        int err; // -2: exact, -1: below half, 0: half, 1: above half
        if (shift >= 64) {
            err = -1;
        } else {
            long rem = sig & ((1L << shift) - 1);
            err = rem == 0 ? -2 : Long.signum(Long.compareUnsigned(rem, 1L << (shift - 1)));
        }
        return switch (mode) {
            case RN -> err == 1 || (err == 0 && (intPart & 1) != 0);
            case TIEAWAY -> err >= 0;
            case RP -> err != -2 && sign == 0;
            case RM -> err != -2 && sign == 1;
            case RZ -> false;
            default -> throw new IllegalArgumentException("rounding mode " + mode);
        };
    }

    private static boolean inexact(long sig, int shift) {
        return shift >= 64 ? sig != 0 : (sig & ((1L << shift) - 1)) != 0;
    }

    /** FPRoundInt: FRINT*; {@code exact} (FRINTX) raises IXC when the value changes. */
    public static long roundInt(long op, int mode, boolean exact, boolean d, FpStatus st) {
        int t = FpFormat.type(op, d, st);
        if (isNan(t)) return FpFormat.processNan(t, op, d, st);
        int sign = signOf(op, d);
        if (t == INF) return op;
        if (t == ZERO) return FpFormat.zero(sign, d);
        int e = exponent(op, d);
        if (e >= FpFormat.fbits(d)) return op; // already an integer
        long sig = significand(op, d);
        int shift = 62 - e; // value = sig * 2^-shift, shift > 10
        long m = shift >= 64 ? 0 : sig >>> shift;
        if (roundsUp(sig, shift, sign, mode)) m++;
        if (exact && inexact(sig, shift)) st.flags |= IXC;
        if (m == 0) return FpFormat.zero(sign, d);
        int lead = Long.numberOfLeadingZeros(m) - 1;
        return FpRound.round(sign, 62 - lead, m << lead, d, RN, st); // exact: m has at most F+1 bits
    }

    /**
     * FPToFixed: the value times 2^fbits rounded to a signed or unsigned
     * integer of {@code bits} (32 or 64) bits, saturating with IOC; IXC when
     * inexact and in range. NaNs give 0 with IOC.
     */
    public static long toFixed(long op, int fbits, boolean unsigned, int bits, int mode, boolean d, FpStatus st) {
        int t = FpFormat.type(op, d, st);
        if (isNan(t)) {
            st.flags |= IOC;
            return 0;
        }
        if (t == ZERO) return 0;
        int sign = signOf(op, d);
        long m; // magnitude, unsigned
        boolean huge = false;
        boolean inexact = false;
        if (t == INF) {
            huge = true;
            m = 0;
        } else {
            int k = exponent(op, d) + fbits - 62; // value = sig * 2^k
            long sig = significand(op, d);
            if (k >= 2) {
                huge = true; // >= 2^64
                m = 0;
            } else if (k >= 0) {
                m = sig << k;
            } else {
                int shift = -k;
                m = shift >= 64 ? 0 : sig >>> shift;
                if (roundsUp(sig, shift, sign, mode)) m++;
                inexact = inexact(sig, shift);
            }
        }
        long result;
        boolean overflow;
        if (unsigned) {
            long max = bits == 64 ? -1L : (1L << bits) - 1;
            if (sign == 1) {
                overflow = huge || m != 0;
                result = 0;
            } else {
                overflow = huge || Long.compareUnsigned(m, max) > 0;
                result = overflow ? max : m;
            }
        } else {
            long limit = 1L << (bits - 1); // as unsigned: 2^(bits-1)
            if (sign == 1) {
                overflow = huge || Long.compareUnsigned(m, limit) > 0;
                result = overflow ? -limit : -m;
            } else {
                overflow = huge || Long.compareUnsigned(m, limit - 1) > 0;
                result = overflow ? limit - 1 : m;
            }
        }
        if (overflow) st.flags |= IOC;
        else if (inexact) st.flags |= IXC;
        return bits == 64 ? result : result & 0xFFFF_FFFFL;
    }

    /** FixedToFP: an integer (signed or not, already extended to 64 bits) divided by 2^fbits, rounded. */
    public static long fromFixed(long value, int fbits, boolean unsigned, int mode, boolean d, FpStatus st) {
        if (value == 0) return 0;
        int sign = !unsigned && value < 0 ? 1 : 0;
        long m = sign == 1 ? -value : value; // Long.MIN_VALUE stays 2^63 as unsigned
        if (Long.compareUnsigned(m, d ? 1L << 53 : 1L << 24) < 0) {
            // Fast path: the magnitude fits the significand, so the value is exact in every rounding
            // mode and raises nothing (scaled by 2^-fbits, fbits <= 64, a nonzero one stays normal,
            // so FZ has nothing to flush); Java's conversion and scalb are exact here.
            double v = fbits == 0 ? (double) m : Math.scalb((double) m, -fbits);
            if (sign == 1) v = -v;
            return d ? Double.doubleToRawLongBits(v) : Float.floatToRawIntBits((float) v) & 0xFFFF_FFFFL;
        }
        int lz = Long.numberOfLeadingZeros(m);
        long sig;
        int e;
        if (lz == 0) {
            sig = (m >>> 1) | (m & 1);
            e = 63 - fbits;
        } else {
            sig = m << (lz - 1);
            e = 63 - lz - fbits;
        }
        return FpRound.round(sign, e, sig, d, mode, st);
    }

    /** FPConvert between single and double (FCVT): NaNs keep sign and top payload bits, quieted. */
    public static long convert(long op, boolean fromDouble, FpStatus st) {
        return convert(op, fromDouble, st.rounding(), st);
    }

    /** FPConvert in a given rounding mode (FCVTXN: {@link FpStatus#ODD}). */
    public static long convert(long op, boolean fromDouble, int mode, FpStatus st) {
        boolean d = fromDouble, to = !fromDouble;
        int t = FpFormat.type(op, d, st);
        int sign = signOf(op, d);
        if (isNan(t)) {
            if (t == SNAN) st.flags |= IOC;
            if (st.defaultNan()) return FpFormat.defaultNan(to);
            if (fromDouble) {
                long payload = (op >>> 29) & 0x3F_FFFFL; // frac<50:29>
                return FpFormat.zero(sign, false) | 0x7FC0_0000L | payload;
            }
            long payload = (op & 0x3F_FFFFL) << 29; // frac<21:0>
            return FpFormat.zero(sign, true) | 0x7FF8_0000_0000_0000L | payload;
        }
        if (t == INF) return FpFormat.infinity(sign, to);
        if (t == ZERO) return FpFormat.zero(sign, to);
        return FpRound.round(sign, exponent(op, d), significand(op, d), to, mode, st);
    }

    /** VFPExpandImm: the 8-bit immediate of FMOV (immediate). */
    public static long expandImm(int imm8, boolean d) {
        long sign = (imm8 >>> 7) & 1;
        long b6 = (imm8 >>> 6) & 1;
        int e = FpFormat.ebits(d), f = FpFormat.fbits(d);
        long exp = ((b6 ^ 1) << (e - 1)) | ((b6 == 1 ? (1L << (e - 3)) - 1 : 0) << 2) | ((imm8 >>> 4) & 3);
        long frac = (long) (imm8 & 0xF) << (f - 4);
        return (sign << (e + f)) | (exp << f) | frac;
    }
}
