package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

import static io.deja.core.isa.SimdThreeSame.QC;
import static io.deja.core.isa.SimdThreeSame.sx;
import static io.deja.core.isa.VectorLanes.field;
import static io.deja.core.isa.VectorLanes.perHalf;
import static io.deja.core.isa.VectorLanes.withField;

/**
 * Advanced SIMD three different and scalar three different (Arm ARM C4.1.96):
 * long (both sources narrow, result 2 x esize), wide (Vn already wide) and
 * narrowing high-half forms. Q picks the upper 64 bits of the narrow sources
 * (SADDL2 ...) or of Vd (ADDHN2 ..., which keep Vd's lower half).
 * 64-bit source elements (size 11) are reserved, except for PMULL's 1Q form.
 */
public final class SimdThreeDifferent {
    private SimdThreeDifferent() {}

    private static final int ADDL = 0, SUBL = 1, ABAL = 2, ABDL = 3, MLAL = 4, MLSL = 5, MULL = 6,
            SQDMLAL = 7, SQDMLSL = 8, SQDMULL = 9, PMULL = 10;

    /** Wide result of op on narrow elements a, b (extended per {@code unsigned}) with wide accumulator acc. */
    private static long longElement(Cpu c, int op, int size, boolean unsigned, long a, long b, long acc) {
        if (!unsigned) {
            a = sx(a, size);
            b = sx(b, size);
        }
        return switch (op) {
            case ADDL -> a + b;
            case SUBL -> a - b;
            case ABAL -> acc + Math.abs(a - b);
            case ABDL -> Math.abs(a - b);
            case MLAL -> acc + a * b;
            case MLSL -> acc - a * b;
            case MULL -> a * b;
            case SQDMLAL -> saturatingAccumulate(c, size + 1, acc, doublingProduct(c, size, a, b), false);
            case SQDMLSL -> saturatingAccumulate(c, size + 1, acc, doublingProduct(c, size, a, b), true);
            case SQDMULL -> doublingProduct(c, size, a, b);
            case PMULL -> SimdThreeSame.polyMul(a, b, 8);
            default -> throw new IllegalArgumentException("three-different op " + op);
        };
    }

    /** SignedSatQ(2 * a * b, 2 * esize) for signed 16- or 32-bit a, b: only INT_MIN * INT_MIN saturates. */
    static long doublingProduct(Cpu c, int size, long a, long b) {
        long min = -1L << ((8 << size) - 1);
        if (a == min && b == min) {
            c.fpsr |= QC;
            return size == 2 ? Long.MAX_VALUE : Integer.MAX_VALUE;
        }
        return 2 * a * b;
    }

    /** SignedSatQ(acc +/- p, element of size {@code wide}) with acc taken signed. */
    private static long saturatingAccumulate(Cpu c, int wide, long acc, long p, boolean subtract) {
        return subtract ? SimdThreeSame.sqsub(c, wide, sx(acc, wide), sx(p, wide))
                : SimdThreeSame.sqadd(c, wide, sx(acc, wide), sx(p, wide));
    }

    /** Long forms: narrow elements from one half of Vn and Vm, wide results over the whole of Vd. */
    private static void longOp(Cpu c, int op, boolean unsigned, int q, int size, int rm, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        long[] v = c.v;
        long n = v[2 * rn + q], m = v[2 * rm + q], dLo = v[2 * rd], dHi = v[2 * rd + 1];
        int per = perHalf(size), wide = size + 1, perWide = per / 2;
        long lo = 0, hi = 0;
        for (int j = 0; j < per; j++) {
            long a = field(n, j, size), b = field(m, j, size);
            if (j < perWide) lo = withField(lo, j, wide, longElement(c, op, size, unsigned, a, b, field(dLo, j, wide)));
            else hi = withField(hi, j - perWide, wide,
                    longElement(c, op, size, unsigned, a, b, field(dHi, j - perWide, wide)));
        }
        VectorLanes.write(c, rd, lo, hi, true);
        c.pc += 4;
    }

    /** Wide forms (SADDW ...): Vn wide, Vm narrow (one half). */
    private static void wideOp(Cpu c, boolean subtract, boolean unsigned, int q, int size, int rm, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        long[] v = c.v;
        long nLo = v[2 * rn], nHi = v[2 * rn + 1], m = v[2 * rm + q];
        int per = perHalf(size), wide = size + 1, perWide = per / 2;
        long lo = 0, hi = 0;
        for (int j = 0; j < per; j++) {
            long b = unsigned ? field(m, j, size) : VectorLanes.signedField(m, j, size);
            if (subtract) b = -b;
            if (j < perWide) lo = withField(lo, j, wide, field(nLo, j, wide) + b);
            else hi = withField(hi, j - perWide, wide, field(nHi, j - perWide, wide) + b);
        }
        VectorLanes.write(c, rd, lo, hi, true);
        c.pc += 4;
    }

    /** ADDHN/RADDHN/SUBHN/RSUBHN: the high half of each wide sum or difference, into one half of Vd. */
    private static void narrowHigh(Cpu c, boolean subtract, boolean round, int q, int size, int rm, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        long[] v = c.v;
        int wide = size + 1, bits = 8 << size, perWide = perHalf(wide);
        long r = 0;
        for (int j = 0; j < 2 * perWide; j++) {
            int h = j < perWide ? 0 : 1, k = j - h * perWide;
            long a = field(v[2 * rn + h], k, wide), b = field(v[2 * rm + h], k, wide);
            long sum = subtract ? a - b : a + b;
            if (round) sum += 1L << (bits - 1);
            r = withField(r, j, size, sum >>> bits);
        }
        if (q == 1) VectorLanes.write(c, rd, v[2 * rd], r, true);
        else VectorLanes.write(c, rd, r, 0, false);
        c.pc += 4;
    }

    private static void longNoDoubleword(Cpu c, int op, boolean unsigned, int q, int size, int rm, int rn, int rd) {
        if (size == 3) c.undefined();
        else longOp(c, op, unsigned, q, size, rm, rn, rd);
    }

    private static void longHalfOrWord(Cpu c, int op, int q, int size, int rm, int rn, int rd) {
        if (size == 0 || size == 3) c.undefined();
        else longOp(c, op, false, q, size, rm, rn, rd);
    }

    // ---- Handlers: vector -------------------------------------------------------------

    /** SADDL, SADDL2 */
    public static void saddl(Cpu c, int q, int size, int rm, int rn, int rd) { longNoDoubleword(c, ADDL, false, q, size, rm, rn, rd); }
    /** UADDL, UADDL2 */
    public static void uaddl(Cpu c, int q, int size, int rm, int rn, int rd) { longNoDoubleword(c, ADDL, true, q, size, rm, rn, rd); }
    /** SSUBL, SSUBL2 */
    public static void ssubl(Cpu c, int q, int size, int rm, int rn, int rd) { longNoDoubleword(c, SUBL, false, q, size, rm, rn, rd); }
    /** USUBL, USUBL2 */
    public static void usubl(Cpu c, int q, int size, int rm, int rn, int rd) { longNoDoubleword(c, SUBL, true, q, size, rm, rn, rd); }
    /** SABAL, SABAL2 */
    public static void sabal(Cpu c, int q, int size, int rm, int rn, int rd) { longNoDoubleword(c, ABAL, false, q, size, rm, rn, rd); }
    /** UABAL, UABAL2 */
    public static void uabal(Cpu c, int q, int size, int rm, int rn, int rd) { longNoDoubleword(c, ABAL, true, q, size, rm, rn, rd); }
    /** SABDL, SABDL2 */
    public static void sabdl(Cpu c, int q, int size, int rm, int rn, int rd) { longNoDoubleword(c, ABDL, false, q, size, rm, rn, rd); }
    /** UABDL, UABDL2 */
    public static void uabdl(Cpu c, int q, int size, int rm, int rn, int rd) { longNoDoubleword(c, ABDL, true, q, size, rm, rn, rd); }
    /** SMLAL, SMLAL2 (vector) */
    public static void smlal(Cpu c, int q, int size, int rm, int rn, int rd) { longNoDoubleword(c, MLAL, false, q, size, rm, rn, rd); }
    /** UMLAL, UMLAL2 (vector) */
    public static void umlal(Cpu c, int q, int size, int rm, int rn, int rd) { longNoDoubleword(c, MLAL, true, q, size, rm, rn, rd); }
    /** SMLSL, SMLSL2 (vector) */
    public static void smlsl(Cpu c, int q, int size, int rm, int rn, int rd) { longNoDoubleword(c, MLSL, false, q, size, rm, rn, rd); }
    /** UMLSL, UMLSL2 (vector) */
    public static void umlsl(Cpu c, int q, int size, int rm, int rn, int rd) { longNoDoubleword(c, MLSL, true, q, size, rm, rn, rd); }
    /** SMULL, SMULL2 (vector) */
    public static void smull(Cpu c, int q, int size, int rm, int rn, int rd) { longNoDoubleword(c, MULL, false, q, size, rm, rn, rd); }
    /** UMULL, UMULL2 (vector) */
    public static void umull(Cpu c, int q, int size, int rm, int rn, int rd) { longNoDoubleword(c, MULL, true, q, size, rm, rn, rd); }
    /** SQDMLAL, SQDMLAL2 (vector) */
    public static void sqdmlal(Cpu c, int q, int size, int rm, int rn, int rd) { longHalfOrWord(c, SQDMLAL, q, size, rm, rn, rd); }
    /** SQDMLSL, SQDMLSL2 (vector) */
    public static void sqdmlsl(Cpu c, int q, int size, int rm, int rn, int rd) { longHalfOrWord(c, SQDMLSL, q, size, rm, rn, rd); }
    /** SQDMULL, SQDMULL2 (vector) */
    public static void sqdmull(Cpu c, int q, int size, int rm, int rn, int rd) { longHalfOrWord(c, SQDMULL, q, size, rm, rn, rd); }

    /** SADDW, SADDW2 */
    public static void saddw(Cpu c, int q, int size, int rm, int rn, int rd) {
        if (size == 3) c.undefined();
        else wideOp(c, false, false, q, size, rm, rn, rd);
    }

    /** UADDW, UADDW2 */
    public static void uaddw(Cpu c, int q, int size, int rm, int rn, int rd) {
        if (size == 3) c.undefined();
        else wideOp(c, false, true, q, size, rm, rn, rd);
    }

    /** SSUBW, SSUBW2 */
    public static void ssubw(Cpu c, int q, int size, int rm, int rn, int rd) {
        if (size == 3) c.undefined();
        else wideOp(c, true, false, q, size, rm, rn, rd);
    }

    /** USUBW, USUBW2 */
    public static void usubw(Cpu c, int q, int size, int rm, int rn, int rd) {
        if (size == 3) c.undefined();
        else wideOp(c, true, true, q, size, rm, rn, rd);
    }

    /** ADDHN, ADDHN2 */
    public static void addhn(Cpu c, int q, int size, int rm, int rn, int rd) {
        if (size == 3) c.undefined();
        else narrowHigh(c, false, false, q, size, rm, rn, rd);
    }

    /** RADDHN, RADDHN2 */
    public static void raddhn(Cpu c, int q, int size, int rm, int rn, int rd) {
        if (size == 3) c.undefined();
        else narrowHigh(c, false, true, q, size, rm, rn, rd);
    }

    /** SUBHN, SUBHN2 */
    public static void subhn(Cpu c, int q, int size, int rm, int rn, int rd) {
        if (size == 3) c.undefined();
        else narrowHigh(c, true, false, q, size, rm, rn, rd);
    }

    /** RSUBHN, RSUBHN2 */
    public static void rsubhn(Cpu c, int q, int size, int rm, int rn, int rd) {
        if (size == 3) c.undefined();
        else narrowHigh(c, true, true, q, size, rm, rn, rd);
    }

    /** PMULL, PMULL2: 8x8 -> 16-bit lanes (size 00) or one 64x64 -> 128-bit product (size 11, crypto). */
    public static void pmull(Cpu c, int q, int size, int rm, int rn, int rd) {
        if (size == 1 || size == 2) {
            c.undefined();
            return;
        }
        if (size == 0) {
            longOp(c, PMULL, true, q, size, rm, rn, rd);
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        long a = c.v[2 * rn + q], b = c.v[2 * rm + q];
        long lo = 0, hi = 0;
        for (int i = 0; i < 64; i++) {
            if ((b >>> i & 1) != 0) {
                lo ^= a << i;
                if (i > 0) hi ^= a >>> (64 - i);
            }
        }
        VectorLanes.write(c, rd, lo, hi, true);
        c.pc += 4;
    }

    // ---- Handlers: scalar -------------------------------------------------------------

    private static void scalarLong(Cpu c, int op, int size, int rm, int rn, int rd) {
        if (size == 0 || size == 3) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        int wide = size + 1;
        long a = field(c.v[2 * rn], 0, size), b = field(c.v[2 * rm], 0, size), acc = field(c.v[2 * rd], 0, wide);
        VectorLanes.writeScalar(c, rd, wide, longElement(c, op, size, false, a, b, acc));
        c.pc += 4;
    }

    /** SQDMLAL (scalar): 16- and 32-bit sources. */
    public static void sqdmlalScalar(Cpu c, int size, int rm, int rn, int rd) { scalarLong(c, SQDMLAL, size, rm, rn, rd); }
    /** SQDMLSL (scalar) */
    public static void sqdmlslScalar(Cpu c, int size, int rm, int rn, int rd) { scalarLong(c, SQDMLSL, size, rm, rn, rd); }
    /** SQDMULL (scalar) */
    public static void sqdmullScalar(Cpu c, int size, int rm, int rn, int rd) { scalarLong(c, SQDMULL, size, rm, rn, rd); }
}
