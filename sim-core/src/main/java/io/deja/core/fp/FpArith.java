package io.deja.core.fp;

import static io.deja.core.fp.FpFormat.INF;
import static io.deja.core.fp.FpFormat.QNAN;
import static io.deja.core.fp.FpFormat.ZERO;
import static io.deja.core.fp.FpFormat.exponent;
import static io.deja.core.fp.FpFormat.isNan;
import static io.deja.core.fp.FpFormat.signOf;
import static io.deja.core.fp.FpFormat.significand;
import static io.deja.core.fp.FpStatus.DZC;
import static io.deja.core.fp.FpStatus.IOC;
import static io.deja.core.fp.FpStatus.RM;

/**
 * FPAdd, FPSub, FPMul, FPDiv, FPMulAdd, FPSqrt, FPMax, FPMin, FPMaxNum and
 * FPMinNum of the Arm ARM, exactly: each computes the exact result (or its
 * truncation with a sticky bit) in integer arithmetic and rounds it once with
 * {@link FpRound}, so every rounding mode, FZ and flag is as the pseudocode
 * says. Operands and results are raw bits; {@code d} selects double precision.
 * Add, subtract, multiply, divide, square root and FPMulAdd first try
 * {@link FpFast}, which computes on Java doubles where that is provably the
 * same result with the same flags.
 */
public final class FpArith {
    private FpArith() {}

    public static long add(long op1, long op2, boolean d, FpStatus st) {
        long r = FpFast.add(op1, op2, d, st);
        return r != FpFast.SLOW ? r : addSub(op1, op2, false, d, st);
    }

    public static long sub(long op1, long op2, boolean d, FpStatus st) {
        long r = FpFast.sub(op1, op2, d, st);
        return r != FpFast.SLOW ? r : addSub(op1, op2, true, d, st);
    }

    static long addSub(long op1, long op2, boolean subtract, boolean d, FpStatus st) {
        int t1 = FpFormat.type(op1, d, st), t2 = FpFormat.type(op2, d, st);
        if (isNan(t1) || isNan(t2)) return FpFormat.processNans(t1, t2, op1, op2, d, st);
        int s1 = signOf(op1, d), s2 = signOf(op2, d) ^ (subtract ? 1 : 0);
        if (t1 == INF && t2 == INF && s1 != s2) {
            st.flags |= IOC;
            return FpFormat.defaultNan(d);
        }
        if (t1 == INF) return FpFormat.infinity(s1, d);
        if (t2 == INF) return FpFormat.infinity(s2, d);
        if (t1 == ZERO && t2 == ZERO && s1 == s2) return FpFormat.zero(s1, d);
        if (t1 == ZERO && t2 == ZERO) return exactZero(d, st);
        if (t1 == ZERO) return FpRound.round(s2, exponent(op2, d), significand(op2, d), d, st.rounding(), st);
        if (t2 == ZERO) return FpRound.round(s1, exponent(op1, d), significand(op1, d), d, st.rounding(), st);
        return sum(s1, exponent(op1, d), significand(op1, d), s2, exponent(op2, d), significand(op2, d), d, st);
    }

    /** An exact zero sum has sign + except when rounding toward minus infinity. */
    private static long exactZero(boolean d, FpStatus st) {
        return FpFormat.zero(st.rounding() == RM ? 1 : 0, d);
    }

    /** Rounds s1*sig1*2^(e1-62) + s2*sig2*2^(e2-62), both significands normalised at bit 62. */
    private static long sum(int s1, int e1, long g1, int s2, int e2, long g2, boolean d, FpStatus st) {
        if (e1 < e2 || (e1 == e2 && g1 < g2)) {
            int ts = s1, te = e1;
            long tg = g1;
            s1 = s2; e1 = e2; g1 = g2;
            s2 = ts; e2 = te; g2 = tg;
        }
        g2 = shiftRightSticky(g2, e1 - e2);
        long r;
        if (s1 == s2) {
            r = g1 + g2; // < 2^64 as unsigned
            if (r < 0) {
                r = (r >>> 1) | (r & 1);
                e1++;
            }
        } else {
            r = g1 - g2;
            if (r == 0) return exactZero(d, st);
            int lead = Long.numberOfLeadingZeros(r) - 1;
            r <<= lead;
            e1 -= lead;
        }
        return FpRound.round(s1, e1, r, d, st.rounding(), st);
    }

    static long shiftRightSticky(long x, int n) {
        if (n == 0) return x;
        if (n >= 64) return x != 0 ? 1 : 0;
        return (x >>> n) | ((x & ((1L << n) - 1)) != 0 ? 1 : 0);
    }

    public static long mul(long op1, long op2, boolean d, FpStatus st) {
        long r = FpFast.mul(op1, op2, d, st);
        return r != FpFast.SLOW ? r : mulExact(op1, op2, d, st);
    }

    static long mulExact(long op1, long op2, boolean d, FpStatus st) {
        int t1 = FpFormat.type(op1, d, st), t2 = FpFormat.type(op2, d, st);
        if (isNan(t1) || isNan(t2)) return FpFormat.processNans(t1, t2, op1, op2, d, st);
        int sign = signOf(op1, d) ^ signOf(op2, d);
        if ((t1 == INF && t2 == ZERO) || (t1 == ZERO && t2 == INF)) {
            st.flags |= IOC;
            return FpFormat.defaultNan(d);
        }
        if (t1 == INF || t2 == INF) return FpFormat.infinity(sign, d);
        if (t1 == ZERO || t2 == ZERO) return FpFormat.zero(sign, d);
        long g1 = significand(op1, d), g2 = significand(op2, d);
        long hi = Math.multiplyHigh(g1, g2), lo = g1 * g2; // product in [2^124, 2^126)
        long r = (hi << 2) | (lo >>> 62);
        long sticky = (lo & ((1L << 62) - 1)) != 0 ? 1 : 0;
        int e = exponent(op1, d) + exponent(op2, d);
        if (r < 0) {
            sticky |= r & 1;
            r >>>= 1;
            e++;
        }
        return FpRound.round(sign, e, r | sticky, d, st.rounding(), st);
    }

    public static long div(long op1, long op2, boolean d, FpStatus st) {
        long r = FpFast.div(op1, op2, d, st);
        return r != FpFast.SLOW ? r : divExact(op1, op2, d, st);
    }

    static long divExact(long op1, long op2, boolean d, FpStatus st) {
        int t1 = FpFormat.type(op1, d, st), t2 = FpFormat.type(op2, d, st);
        if (isNan(t1) || isNan(t2)) return FpFormat.processNans(t1, t2, op1, op2, d, st);
        int sign = signOf(op1, d) ^ signOf(op2, d);
        if ((t1 == INF && t2 == INF) || (t1 == ZERO && t2 == ZERO)) {
            st.flags |= IOC;
            return FpFormat.defaultNan(d);
        }
        if (t1 == INF || t2 == ZERO) {
            if (t1 != INF) st.flags |= DZC;
            return FpFormat.infinity(sign, d);
        }
        if (t1 == ZERO || t2 == INF) return FpFormat.zero(sign, d);
        long rem = significand(op1, d), divisor = significand(op2, d);
        int e = exponent(op1, d) - exponent(op2, d);
        if (rem < divisor) {
            rem <<= 1;
            e--;
        }
        long q = 0;
        for (int i = 0; i < 63; i++) { // long division: 63 quotient bits, the first one a 1
            q <<= 1;
            if (Long.compareUnsigned(rem, divisor) >= 0) {
                rem -= divisor;
                q |= 1;
            }
            rem <<= 1;
        }
        return FpRound.round(sign, e, q | (rem != 0 ? 1 : 0), d, st.rounding(), st);
    }

    public static long sqrt(long op, boolean d, FpStatus st) {
        long r = FpFast.sqrt(op, d, st);
        return r != FpFast.SLOW ? r : sqrtExact(op, d, st);
    }

    static long sqrtExact(long op, boolean d, FpStatus st) {
        int t = FpFormat.type(op, d, st);
        if (isNan(t)) return FpFormat.processNan(t, op, d, st);
        int sign = signOf(op, d);
        if (t == ZERO) return FpFormat.zero(sign, d);
        if (t == INF && sign == 0) return op;
        if (sign == 1) {
            st.flags |= IOC;
            return FpFormat.defaultNan(d);
        }
        // value = m * 2^e2 with m < 2^54 and e2 even; the root of m * 2^58 has 56 bits
        long m = significand(op, d) >>> 10;
        int e2 = exponent(op, d) - 52;
        if ((e2 & 1) != 0) {
            m <<= 1;
            e2--;
        }
        long rem = 0, root = 0;
        for (int i = 55; i >= 0; i--) { // digit by digit, two radicand bits per root bit
            long pair = 2 * i >= 58 ? (m >>> (2 * i - 58)) & 3 : 0;
            rem = (rem << 2) | pair;
            long trial = (root << 2) | 1;
            root <<= 1;
            if (rem >= trial) {
                rem -= trial;
                root |= 1;
            }
        }
        int e = (e2 - 58) / 2 + 55;
        return FpRound.round(0, e, (root << 7) | (rem != 0 ? 1 : 0), d, st.rounding(), st);
    }

    /** FPMulAdd: addend + op1 * op2 with one rounding (FMADD; the other forms negate operands first). */
    public static long mulAdd(long addend, long op1, long op2, boolean d, FpStatus st) {
        long r = FpFast.mulAdd(addend, op1, op2, d, st);
        return r != FpFast.SLOW ? r : mulAdd(addend, op1, op2, 0, d, st);
    }

    /** FPMulAdd on the exact path only. */
    static long mulAddExact(long addend, long op1, long op2, boolean d, FpStatus st) {
        return mulAdd(addend, op1, op2, 0, d, st);
    }

    /** FPMulAdd scaled by 2^scale before the one rounding (FRSQRTS halves its sum). */
    private static long mulAdd(long addend, long op1, long op2, int scale, boolean d, FpStatus st) {
        int ta = FpFormat.type(addend, d, st), t1 = FpFormat.type(op1, d, st), t2 = FpFormat.type(op2, d, st);
        boolean infTimesZero = (t1 == INF && t2 == ZERO) || (t1 == ZERO && t2 == INF);
        if (isNan(ta) || isNan(t1) || isNan(t2)) {
            long r = FpFormat.processNans3(ta, t1, t2, addend, op1, op2, d, st);
            if (ta == QNAN && infTimesZero) {
                st.flags |= IOC;
                return FpFormat.defaultNan(d);
            }
            return r;
        }
        int sa = signOf(addend, d), sp = signOf(op1, d) ^ signOf(op2, d);
        boolean infP = t1 == INF || t2 == INF, zeroP = t1 == ZERO || t2 == ZERO;
        if (infTimesZero || (ta == INF && infP && sa != sp)) {
            st.flags |= IOC;
            return FpFormat.defaultNan(d);
        }
        if (ta == INF) return FpFormat.infinity(sa, d);
        if (infP) return FpFormat.infinity(sp, d);
        if (ta == ZERO && zeroP && sa == sp) return FpFormat.zero(sa, d);
        if (zeroP) {
            if (ta == ZERO) return exactZero(d, st);
            return FpRound.round(sa, exponent(addend, d) + scale, significand(addend, d), d, st.rounding(), st);
        }
        // the product exactly, as a 128-bit number P: value = P * 2^(ep - 124), P in [2^124, 2^126)
        long g1 = significand(op1, d), g2 = significand(op2, d);
        long pHi = Math.multiplyHigh(g1, g2), pLo = g1 * g2;
        int ep = exponent(op1, d) + exponent(op2, d);
        if (ta != ZERO && (pHi >>> 61) != 0) {
            // to [2^124, 2^125) like the addend, so that exponents order magnitudes (bit 0 is zero:
            // both significands have at least ten trailing zeros)
            pLo = (pLo >>> 1) | (pHi << 63);
            pHi >>>= 1;
            ep++;
        }
        if (ta == ZERO) {
            long r = (pHi << 2) | (pLo >>> 62);
            long sticky = (pLo & ((1L << 62) - 1)) != 0 ? 1 : 0;
            if (r < 0) {
                sticky |= r & 1;
                r >>>= 1;
                ep++;
            }
            return FpRound.round(sp, ep + scale, r | sticky, d, st.rounding(), st);
        }
        // the addend on the same scale: A = sig << 62, value = A * 2^(ea - 124)
        long ga = significand(addend, d);
        long aHi = ga >>> 2, aLo = ga << 62;
        int ea = exponent(addend, d);
        // the operand with the larger magnitude first
        boolean addendLarger = ea > ep || (ea == ep && Long.compareUnsigned(aHi, pHi) > 0)
                || (ea == ep && aHi == pHi && Long.compareUnsigned(aLo, pLo) > 0);
        long xHi, xLo, yHi, yLo;
        int ex, ey, sx, sy;
        if (addendLarger) {
            xHi = aHi; xLo = aLo; ex = ea; sx = sa;
            yHi = pHi; yLo = pLo; ey = ep; sy = sp;
        } else {
            xHi = pHi; xLo = pLo; ex = ep; sx = sp;
            yHi = aHi; yLo = aLo; ey = ea; sy = sa;
        }
        int shift = ex - ey;
        if (shift >= 128) {
            yLo = (yHi | yLo) != 0 ? 1 : 0;
            yHi = 0;
        } else if (shift >= 64) {
            long lost = (shift == 64 ? 0 : yHi << (128 - shift)) | yLo;
            yLo = (shift == 64 ? yHi : yHi >>> (shift - 64)) | (lost != 0 ? 1 : 0);
            yHi = 0;
        } else if (shift > 0) {
            long lost = yLo << (64 - shift);
            yLo = (yLo >>> shift) | (yHi << (64 - shift)) | (lost != 0 ? 1 : 0);
            yHi >>>= shift;
        }
        long rHi, rLo;
        if (sx == sy) {
            rLo = xLo + yLo;
            rHi = xHi + yHi + (Long.compareUnsigned(rLo, xLo) < 0 ? 1 : 0);
        } else {
            rLo = xLo - yLo;
            rHi = xHi - yHi - (Long.compareUnsigned(xLo, yLo) < 0 ? 1 : 0);
        }
        if (rHi == 0 && rLo == 0) return exactZero(d, st);
        // normalise: leading one to bit 62 of a 64-bit significand
        int top = rHi != 0 ? 127 - Long.numberOfLeadingZeros(rHi) : 63 - Long.numberOfLeadingZeros(rLo);
        int e = ex - 124 + top;
        long sig;
        int down = top - 62;
        if (down <= 0) {
            sig = rLo << -down; // the value fits in 63 bits: rHi is zero
        } else if (down >= 64) {
            sig = (rHi >>> (down - 64)) | (((down == 64 ? 0 : rHi << (128 - down)) | rLo) != 0 ? 1 : 0);
        } else {
            long lost = rLo << (64 - down);
            sig = (rLo >>> down) | (rHi << (64 - down)) | (lost != 0 ? 1 : 0);
        }
        return FpRound.round(sx, e + scale, sig, d, st.rounding(), st);
    }

    /** FPMulX (FMULX): FPMul, except that infinity times zero is 2.0 with the product's sign, without IOC. */
    public static long mulX(long op1, long op2, boolean d, FpStatus st) {
        int t1 = FpFormat.type(op1, d, st), t2 = FpFormat.type(op2, d, st);
        if (isNan(t1) || isNan(t2)) return FpFormat.processNans(t1, t2, op1, op2, d, st);
        if ((t1 == INF && t2 == ZERO) || (t1 == ZERO && t2 == INF)) {
            return FpFormat.zero(signOf(op1, d) ^ signOf(op2, d), d) | two(d);
        }
        return mul(op1, op2, d, st);
    }

    /**
     * FPRecipStepFused (FRECPS): 2 - op1*op2 with one rounding. The pseudocode
     * negates op1 before anything else, so a NaN from op1 comes out with its
     * sign flipped; infinity times zero gives +2.0 without IOC.
     */
    public static long recipStepFused(long op1, long op2, boolean d, FpStatus st) {
        return stepFused(op1, op2, two(d), two(d), 0, d, st);
    }

    /** FPRSqrtStepFused (FRSQRTS): (3 - op1*op2) / 2 with one rounding; infinity times zero gives +1.5. */
    public static long rsqrtStepFused(long op1, long op2, boolean d, FpStatus st) {
        long three = d ? 0x4008_0000_0000_0000L : 0x4040_0000L;
        long onePointFive = d ? 0x3FF8_0000_0000_0000L : 0x3FC0_0000L;
        return stepFused(op1, op2, three, onePointFive, -1, d, st);
    }

    private static long stepFused(long op1, long op2, long addend, long infTimesZero, int scale, boolean d, FpStatus st) {
        op1 = FpFormat.neg(op1, d);
        int t1 = FpFormat.type(op1, d, st), t2 = FpFormat.type(op2, d, st);
        if (isNan(t1) || isNan(t2)) return FpFormat.processNans(t1, t2, op1, op2, d, st);
        if ((t1 == INF && t2 == ZERO) || (t1 == ZERO && t2 == INF)) return infTimesZero;
        if (t1 == INF || t2 == INF) return FpFormat.infinity(signOf(op1, d) ^ signOf(op2, d), d);
        return mulAdd(addend, op1, op2, scale, d, st);
    }

    private static long two(boolean d) {
        return d ? 0x4000_0000_0000_0000L : 0x4000_0000L;
    }

    public static long max(long op1, long op2, boolean d, FpStatus st) {
        return maxMin(op1, op2, true, d, st);
    }

    public static long min(long op1, long op2, boolean d, FpStatus st) {
        return maxMin(op1, op2, false, d, st);
    }

    /** FPMaxNum: a single quiet NaN loses to the number (it acts as -infinity). */
    public static long maxNum(long op1, long op2, boolean d, FpStatus st) {
        int t1 = FpFormat.type(op1, d, st), t2 = FpFormat.type(op2, d, st);
        if (t1 == QNAN && t2 != QNAN) op1 = FpFormat.infinity(1, d);
        else if (t1 != QNAN && t2 == QNAN) op2 = FpFormat.infinity(1, d);
        return maxMin(op1, op2, true, d, st);
    }

    /** FPMinNum: a single quiet NaN loses to the number (it acts as +infinity). */
    public static long minNum(long op1, long op2, boolean d, FpStatus st) {
        int t1 = FpFormat.type(op1, d, st), t2 = FpFormat.type(op2, d, st);
        if (t1 == QNAN && t2 != QNAN) op1 = FpFormat.infinity(0, d);
        else if (t1 != QNAN && t2 == QNAN) op2 = FpFormat.infinity(0, d);
        return maxMin(op1, op2, false, d, st);
    }

    private static long maxMin(long op1, long op2, boolean isMax, boolean d, FpStatus st) {
        int t1 = FpFormat.type(op1, d, st), t2 = FpFormat.type(op2, d, st);
        if (isNan(t1) || isNan(t2)) return FpFormat.processNans(t1, t2, op1, op2, d, st);
        int s1 = signOf(op1, d), s2 = signOf(op2, d);
        if (t1 == ZERO && t2 == ZERO) return FpFormat.zero(isMax ? s1 & s2 : s1 | s2, d);
        double v1 = t1 == ZERO ? 0.0 : FpCompare.toDouble(op1, d), v2 = t2 == ZERO ? 0.0 : FpCompare.toDouble(op2, d);
        boolean first = isMax ? v1 > v2 : v1 < v2;
        int t = first ? t1 : t2;
        int s = first ? s1 : s2;
        if (t == ZERO) return FpFormat.zero(s, d); // a flushed denormal
        return first ? op1 : op2;
    }
}
