package io.deja.core.fp;

import static io.deja.core.fp.FpStatus.IXC;
import static io.deja.core.fp.FpStatus.ODD;
import static io.deja.core.fp.FpStatus.OFC;
import static io.deja.core.fp.FpStatus.RM;
import static io.deja.core.fp.FpStatus.RN;
import static io.deja.core.fp.FpStatus.RP;
import static io.deja.core.fp.FpStatus.RZ;
import static io.deja.core.fp.FpStatus.TIEAWAY;
import static io.deja.core.fp.FpStatus.UFC;

/**
 * The Arm ARM's FPRound for single and double precision, on an exact value
 * given as sign, exponent and a significand with its leading one at bit 62
 * (value = sig * 2^(exp - 62)). Bits below the real value's precision that
 * were discarded by the caller must be ORed into bit 0 (sticky): the rounding
 * positions are always at least nine bits above it, so the result is the
 * rounding of the exact value.
 *
 * Underflow: the pseudocode detects tininess before rounding (UFC when the
 * unrounded value is below the smallest normal and the result is inexact), and
 * FPCR.FZ flushes by the unrounded exponent (UFC, no IXC). The issue asked for
 * tininess after rounding; the Arm ARM (FPRound, DDI 0487 J1.3) says before,
 * and QEMU's Arm targets set float_tininess_before_rounding, so before it is.
 */
public final class FpRound {
    private FpRound() {}

    public static long round(int sign, int exp, long sig, boolean d, int mode, FpStatus st) {
        return round(sign, exp, sig, FpFormat.ebits(d), FpFormat.fbits(d), st.flushToZero(), false, mode, st);
    }

    /**
     * FPRound for a format of {@code e} exponent and {@code f} fraction bits.
     * Half precision (e = 5) is never flushed in ARMv8.0 (FZ applies to
     * single and double only), and with FPCR.AHP its alternative format has
     * no infinities: an overflow saturates to the largest magnitude and
     * raises IOC instead of OFC and IXC.
     */
    static long round(int sign, int exp, long sig, int e, int f, boolean flush, boolean ahp, int mode, FpStatus st) {
        long signBit = sign == 0 ? 0 : 1L << (e + f);
        int minExp = 2 - (1 << (e - 1)); // 1 - bias
        if (flush && exp < minExp) {
            st.flags |= UFC;
            return signBit;
        }
        int biasedExp = Math.max(exp - minExp + 1, 0);
        int shift = 62 - f;
        if (biasedExp == 0) shift += minExp - exp;
        long intMant;
        int err; // -2: exact, -1: below half, 0: half, 1: above half (of one unit in the last place)
        if (shift >= 64) {
            intMant = 0;
            err = -1;
        } else {
            intMant = sig >>> shift;
            long rem = sig & ((1L << shift) - 1);
            err = rem == 0 ? -2 : Long.signum(Long.compareUnsigned(rem, 1L << (shift - 1)));
        }
        if (biasedExp == 0 && err != -2) st.flags |= UFC;
        boolean roundUp;
        boolean overflowToInf;
        switch (mode) {
            case RN -> {
                roundUp = err == 1 || (err == 0 && (intMant & 1) != 0);
                overflowToInf = true;
            }
            case TIEAWAY -> {
                roundUp = err >= 0;
                overflowToInf = true;
            }
            case RP -> {
                roundUp = err != -2 && sign == 0;
                overflowToInf = sign == 0;
            }
            case RM -> {
                roundUp = err != -2 && sign == 1;
                overflowToInf = sign == 1;
            }
            case RZ, ODD -> {
                roundUp = false;
                overflowToInf = false;
            }
            default -> throw new IllegalArgumentException("rounding mode " + mode);
        }
        if (roundUp) {
            intMant++;
            if (intMant == 1L << f) biasedExp = 1; // a denormal rounded up to the smallest normal
            if (intMant == 1L << (f + 1)) {
                biasedExp++;
                intMant >>>= 1;
            }
        }
        // von Neumann rounding: truncate, then make an inexact result odd (no carry can follow)
        if (mode == ODD && err != -2) intMant |= 1;
        if (ahp) {
            if (biasedExp >= 1 << e) {
                st.flags |= FpStatus.IOC;
                return signBit | ((1L << (e + f)) - 1);
            }
        } else if (biasedExp >= (1 << e) - 1) {
            long inf = signBit | (((1L << e) - 1) << f);
            st.flags |= OFC | IXC;
            return overflowToInf ? inf : inf - 1;
        }
        long result = signBit | ((long) biasedExp << f) | (intMant & ((1L << f) - 1));
        if (err != -2) st.flags |= IXC;
        return result;
    }
}
