package io.deja.core.fp;

import static io.deja.core.fp.FpFormat.INF;
import static io.deja.core.fp.FpFormat.SNAN;
import static io.deja.core.fp.FpFormat.ZERO;
import static io.deja.core.fp.FpFormat.isNan;
import static io.deja.core.fp.FpFormat.signOf;
import static io.deja.core.fp.FpStatus.IOC;

/**
 * FPConvert to and from half precision (FCVT with an H operand, ARMv8.0).
 * FPCR.AHP selects the alternative half-precision format, which has no
 * infinities or NaNs (exponent 31 is an ordinary binade); FZ does not apply
 * to half precision in ARMv8.0 (it has no FZ16), but it does to the single
 * or double operand.
 */
public final class FpHalf {
    private FpHalf() {}

    public static final int AHP = 1 << 26;
    static final long DEFAULT_NAN = 0x7E00;

    /** Single (fromDouble false) or double to half. */
    public static long fromSingleOrDouble(long op, boolean fromDouble, FpStatus st) {
        boolean d = fromDouble, ahp = (st.fpcr & AHP) != 0;
        int t = FpFormat.type(op, d, st);
        int sign = signOf(op, d);
        long signBit = sign == 0 ? 0 : 0x8000;
        if (isNan(t)) {
            if (t == SNAN || ahp) st.flags |= IOC;
            if (ahp) return signBit;
            if (st.defaultNan()) return DEFAULT_NAN;
            long payload = d ? (op >>> 42) & 0x1FF : (op >>> 13) & 0x1FF; // the top 9 fraction bits after the quiet bit
            return signBit | DEFAULT_NAN | payload;
        }
        if (t == INF) {
            if (!ahp) return signBit | 0x7C00;
            st.flags |= IOC;
            return signBit | 0x7FFF;
        }
        if (t == ZERO) return signBit;
        return FpRound.round(sign, FpFormat.exponent(op, d), FpFormat.significand(op, d), 5, 10, false, ahp,
                st.rounding(), st);
    }

    /** Half to single (toDouble false) or double: always exact. */
    public static long toSingleOrDouble(long h, boolean toDouble, FpStatus st) {
        boolean ahp = (st.fpcr & AHP) != 0;
        int sign = (int) (h >>> 15) & 1;
        int exp = (int) (h >>> 10) & 0x1F;
        long frac = h & 0x3FF;
        if (exp == 0x1F && !ahp) {
            if (frac == 0) return FpFormat.infinity(sign, toDouble);
            if ((frac & 0x200) == 0) st.flags |= IOC; // signalling
            if (st.defaultNan()) return FpFormat.defaultNan(toDouble);
            long payload = frac & 0x1FF;
            return FpFormat.zero(sign, toDouble) | (toDouble ? 0x7FF8_0000_0000_0000L | payload << 42 : 0x7FC0_0000L | payload << 13);
        }
        if (exp == 0 && frac == 0) return FpFormat.zero(sign, toDouble);
        long sig;
        int e;
        if (exp == 0) {
            sig = frac << 52;
            int lead = Long.numberOfLeadingZeros(sig) - 1;
            sig <<= lead;
            e = -14 - lead;
        } else {
            sig = (0x400 | frac) << 52;
            e = exp - 15;
        }
        return FpRound.round(sign, e, sig, toDouble, st.rounding(), st);
    }
}
