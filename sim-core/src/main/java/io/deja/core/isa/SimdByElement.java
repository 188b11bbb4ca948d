package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Advanced SIMD vector x indexed element and scalar x indexed element, the
 * integer forms (Arm ARM C4.1.96). Element sizes are H (size 01: index
 * H:L:M, Rm restricted to V0-V15) and S (size 10: index H:L, Rm = M:Rm);
 * sizes 00 and 11 are UNDEFINED. The long forms ("2" with Q = 1) read the
 * upper half of Vn. Saturating forms set FPSR.QC.
 */
public final class SimdByElement {
    private SimdByElement() {}

    private static final int MUL = 0, MLA = 1, MLS = 2, SQDMULH = 3, SQRDMULH = 4;
    private static final int MULL = 0, MLAL = 1, MLSL = 2, SQDMULL = 3, SQDMLAL = 4, SQDMLSL = 5;

    private static boolean reserved(Cpu c, int size) {
        if (size == 1 || size == 2) return false;
        c.undefined();
        return true;
    }

    /** The register holding the indexed element: V0-V15 for H elements. */
    private static int register(int size, int rm) {
        return size == 1 ? rm & 15 : rm;
    }

    private static int index(int size, int l, int h, int rm) {
        return size == 1 ? (h << 2) | (l << 1) | (rm >>> 4) : (h << 1) | l;
    }

    /** SQDMULH / SQRDMULH of two signed esize-bit values (esize 16 or 32): the high half of 2ab, saturated. */
    private static long doublingHigh(Cpu c, long a, long b, int esize, boolean round) {
        long p = a * b; // |p| <= 2^62: exact
        // (2p + round) >> esize == (p + round/2) >> (esize - 1), which cannot overflow
        long r = (p + (round ? 1L << (esize - 2) : 0)) >> (esize - 1);
        return SimdShiftImm.signedSat(c, r, esize);
    }

    /** SignedSatQ(2ab, 2 * esize) for esize 16 or 32. */
    private static long doublingLong(Cpu c, long a, long b, int esize) {
        long p = a * b;
        if (esize == 16) return SimdShiftImm.signedSat(c, 2 * p, 32);
        if (p == 1L << 62) { // only (-2^31)^2 doubles past 2^63 - 1
            c.fpsr |= SimdShiftImm.QC;
            return Long.MAX_VALUE;
        }
        return 2 * p;
    }

    /** SignedSatQ(acc + p or acc - p, 2 * esize) for esize 16 or 32. */
    private static long saturatingAccumulate(Cpu c, long acc, long p, boolean subtract, int esize) {
        if (esize == 16) return SimdShiftImm.signedSat(c, subtract ? acc - p : acc + p, 32);
        long r = subtract ? acc - p : acc + p;
        boolean overflow = subtract ? ((acc ^ p) & (acc ^ r)) < 0 : ((acc ^ r) & (p ^ r)) < 0;
        if (!overflow) return r;
        c.fpsr |= SimdShiftImm.QC;
        return acc < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    // ---- Vector, same size -------------------------------------------------------

    private static void same(Cpu c, int q, int size, int l, int h, int rm, int rn, int rd, int op) {
        if (reserved(c, size)) return;
        if (!FpScalar.fpEnabled(c)) return;
        int esize = 8 << size;
        boolean signed = op == SQDMULH || op == SQRDMULH;
        long e = signed ? VectorLanes.getSigned(c, register(size, rm), index(size, l, h, rm), size)
                : VectorLanes.get(c, register(size, rm), index(size, l, h, rm), size);
        int per = VectorLanes.perHalf(size);
        long lo = 0, hi = 0;
        for (int i = 0; i < (q == 1 ? 2 * per : per); i++) {
            long r;
            if (signed) {
                r = doublingHigh(c, VectorLanes.getSigned(c, rn, i, size), e, esize, op == SQRDMULH);
            } else {
                long p = VectorLanes.get(c, rn, i, size) * e;
                r = op == MUL ? p : op == MLA ? VectorLanes.get(c, rd, i, size) + p : VectorLanes.get(c, rd, i, size) - p;
            }
            if (i < per) lo = VectorLanes.withField(lo, i, size, r);
            else hi = VectorLanes.withField(hi, i - per, size, r);
        }
        VectorLanes.write(c, rd, lo, hi, q == 1);
        c.pc += 4;
    }

    /** MUL (by element) */
    public static void mul(Cpu c, int q, int esize, int l, int h, int rm, int rn, int rd) {
        same(c, q, esize, l, h, rm, rn, rd, MUL);
    }

    /** MLA (by element) */
    public static void mla(Cpu c, int q, int esize, int l, int h, int rm, int rn, int rd) {
        same(c, q, esize, l, h, rm, rn, rd, MLA);
    }

    /** MLS (by element) */
    public static void mls(Cpu c, int q, int esize, int l, int h, int rm, int rn, int rd) {
        same(c, q, esize, l, h, rm, rn, rd, MLS);
    }

    /** SQDMULH (by element, vector) */
    public static void sqdmulh(Cpu c, int q, int esize, int l, int h, int rm, int rn, int rd) {
        same(c, q, esize, l, h, rm, rn, rd, SQDMULH);
    }

    /** SQRDMULH (by element, vector) */
    public static void sqrdmulh(Cpu c, int q, int esize, int l, int h, int rm, int rn, int rd) {
        same(c, q, esize, l, h, rm, rn, rd, SQRDMULH);
    }

    // ---- Vector, long ------------------------------------------------------------

    /** One long result: a and b are the (extended) esize-bit operands, acc the destination's 2*esize-bit element. */
    private static long longElement(Cpu c, int op, long a, long b, long acc, int esize) {
        return switch (op) {
            case MULL -> a * b;
            case MLAL -> acc + a * b;
            case MLSL -> acc - a * b;
            case SQDMULL -> doublingLong(c, a, b, esize);
            default -> saturatingAccumulate(c, acc, doublingLong(c, a, b, esize), op == SQDMLSL, esize);
        };
    }

    private static void longVector(Cpu c, int q, int size, int l, int h, int rm, int rn, int rd, int op, boolean unsigned) {
        if (reserved(c, size)) return;
        if (!FpScalar.fpEnabled(c)) return;
        int esize = 8 << size;
        int m = register(size, rm), idx = index(size, l, h, rm);
        long e = unsigned ? VectorLanes.get(c, m, idx, size) : VectorLanes.getSigned(c, m, idx, size);
        long src = c.v[2 * rn + q];
        int per = VectorLanes.perHalf(size), outPer = per / 2;
        long lo = 0, hi = 0;
        for (int i = 0; i < per; i++) {
            long a = unsigned ? VectorLanes.field(src, i, size) : VectorLanes.signedField(src, i, size);
            long acc = op == MULL || op == SQDMULL ? 0
                    : op >= SQDMULL ? VectorLanes.getSigned(c, rd, i, size + 1) : VectorLanes.get(c, rd, i, size + 1);
            long r = longElement(c, op, a, e, acc, esize);
            if (i < outPer) lo = VectorLanes.withField(lo, i, size + 1, r);
            else hi = VectorLanes.withField(hi, i - outPer, size + 1, r);
        }
        VectorLanes.write(c, rd, lo, hi, true);
        c.pc += 4;
    }

    /** SMULL, SMULL2 (by element) */
    public static void smull(Cpu c, int q, int esize, int l, int h, int rm, int rn, int rd) {
        longVector(c, q, esize, l, h, rm, rn, rd, MULL, false);
    }

    /** UMULL, UMULL2 (by element) */
    public static void umull(Cpu c, int q, int esize, int l, int h, int rm, int rn, int rd) {
        longVector(c, q, esize, l, h, rm, rn, rd, MULL, true);
    }

    /** SMLAL, SMLAL2 (by element) */
    public static void smlal(Cpu c, int q, int esize, int l, int h, int rm, int rn, int rd) {
        longVector(c, q, esize, l, h, rm, rn, rd, MLAL, false);
    }

    /** UMLAL, UMLAL2 (by element) */
    public static void umlal(Cpu c, int q, int esize, int l, int h, int rm, int rn, int rd) {
        longVector(c, q, esize, l, h, rm, rn, rd, MLAL, true);
    }

    /** SMLSL, SMLSL2 (by element) */
    public static void smlsl(Cpu c, int q, int esize, int l, int h, int rm, int rn, int rd) {
        longVector(c, q, esize, l, h, rm, rn, rd, MLSL, false);
    }

    /** UMLSL, UMLSL2 (by element) */
    public static void umlsl(Cpu c, int q, int esize, int l, int h, int rm, int rn, int rd) {
        longVector(c, q, esize, l, h, rm, rn, rd, MLSL, true);
    }

    /** SQDMULL, SQDMULL2 (by element, vector) */
    public static void sqdmull(Cpu c, int q, int esize, int l, int h, int rm, int rn, int rd) {
        longVector(c, q, esize, l, h, rm, rn, rd, SQDMULL, false);
    }

    /** SQDMLAL, SQDMLAL2 (by element, vector) */
    public static void sqdmlal(Cpu c, int q, int esize, int l, int h, int rm, int rn, int rd) {
        longVector(c, q, esize, l, h, rm, rn, rd, SQDMLAL, false);
    }

    /** SQDMLSL, SQDMLSL2 (by element, vector) */
    public static void sqdmlsl(Cpu c, int q, int esize, int l, int h, int rm, int rn, int rd) {
        longVector(c, q, esize, l, h, rm, rn, rd, SQDMLSL, false);
    }

    // ---- Scalar ------------------------------------------------------------------

    private static void scalarHigh(Cpu c, int size, int l, int h, int rm, int rn, int rd, boolean round) {
        if (reserved(c, size)) return;
        if (!FpScalar.fpEnabled(c)) return;
        long e = VectorLanes.getSigned(c, register(size, rm), index(size, l, h, rm), size);
        long a = VectorLanes.getSigned(c, rn, 0, size);
        VectorLanes.writeScalar(c, rd, size, doublingHigh(c, a, e, 8 << size, round));
        c.pc += 4;
    }

    private static void scalarLong(Cpu c, int size, int l, int h, int rm, int rn, int rd, int op) {
        if (reserved(c, size)) return;
        if (!FpScalar.fpEnabled(c)) return;
        long e = VectorLanes.getSigned(c, register(size, rm), index(size, l, h, rm), size);
        long a = VectorLanes.getSigned(c, rn, 0, size);
        long acc = op == SQDMULL ? 0 : VectorLanes.getSigned(c, rd, 0, size + 1);
        VectorLanes.writeScalar(c, rd, size + 1, longElement(c, op, a, e, acc, 8 << size));
        c.pc += 4;
    }

    /** SQDMULL (by element, scalar) */
    public static void sqdmullScalar(Cpu c, int esize, int l, int h, int rm, int rn, int rd) {
        scalarLong(c, esize, l, h, rm, rn, rd, SQDMULL);
    }

    /** SQDMLAL (by element, scalar) */
    public static void sqdmlalScalar(Cpu c, int esize, int l, int h, int rm, int rn, int rd) {
        scalarLong(c, esize, l, h, rm, rn, rd, SQDMLAL);
    }

    /** SQDMLSL (by element, scalar) */
    public static void sqdmlslScalar(Cpu c, int esize, int l, int h, int rm, int rn, int rd) {
        scalarLong(c, esize, l, h, rm, rn, rd, SQDMLSL);
    }

    /** SQDMULH (by element, scalar) */
    public static void sqdmulhScalar(Cpu c, int esize, int l, int h, int rm, int rn, int rd) {
        scalarHigh(c, esize, l, h, rm, rn, rd, false);
    }

    /** SQRDMULH (by element, scalar) */
    public static void sqrdmulhScalar(Cpu c, int esize, int l, int h, int rm, int rn, int rd) {
        scalarHigh(c, esize, l, h, rm, rn, rd, true);
    }
}
