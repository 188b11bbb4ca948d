package io.deja.core.isa;

import io.deja.core.cpu.Cpu;
import io.deja.core.fp.FpStatus;

/**
 * Advanced SIMD three same, floating point (Arm ARM C4.1.96, "Advanced SIMD
 * three same" and "Advanced SIMD scalar three same", the FP opcodes), single
 * and double lanes. Pairwise forms read the concatenation Vm:Vn, pairs of
 * adjacent elements from the bottom up. Half precision (FEAT_FP16) has no row.
 */
public final class SimdFpThreeSame {
    private SimdFpThreeSame() {}

    private static void vector(Cpu c, int q, int sz, int rm, int rn, int rd, int op) {
        if (!SimdFp.vectorReady(c, q, sz)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long nlo = c.v[2 * rn], nhi = c.v[2 * rn + 1], mlo = c.v[2 * rm], mhi = c.v[2 * rm + 1];
        long dlo = c.v[2 * rd], dhi = c.v[2 * rd + 1];
        int lanes = SimdFp.lanes(q, d), perHalf = d ? 1 : 2;
        long rlo = 0, rhi = 0;
        for (int i = 0; i < lanes; i++) {
            long r = SimdFp.binary(op, SimdFp.elem(nlo, nhi, i, d), SimdFp.elem(mlo, mhi, i, d),
                    SimdFp.elem(dlo, dhi, i, d), d, st);
            if (i < perHalf) rlo = SimdFp.put(rlo, i, r, d);
            else rhi = SimdFp.put(rhi, i, r, d);
        }
        c.v[2 * rd] = rlo;
        c.v[2 * rd + 1] = q == 1 ? rhi : 0;
        SimdFp.finish(c, st);
    }

    private static void pairwise(Cpu c, int q, int sz, int rm, int rn, int rd, int op) {
        if (!SimdFp.vectorReady(c, q, sz)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long nlo = c.v[2 * rn], nhi = c.v[2 * rn + 1], mlo = c.v[2 * rm], mhi = c.v[2 * rm + 1];
        int lanes = SimdFp.lanes(q, d), perHalf = d ? 1 : 2, half = lanes / 2;
        long rlo = 0, rhi = 0;
        for (int i = 0; i < lanes; i++) {
            long lo = i < half ? nlo : mlo, hi = i < half ? nhi : mhi;
            int j = 2 * (i < half ? i : i - half);
            long r = SimdFp.binary(op, SimdFp.elem(lo, hi, j, d), SimdFp.elem(lo, hi, j + 1, d), 0, d, st);
            if (i < perHalf) rlo = SimdFp.put(rlo, i, r, d);
            else rhi = SimdFp.put(rhi, i, r, d);
        }
        c.v[2 * rd] = rlo;
        c.v[2 * rd + 1] = q == 1 ? rhi : 0;
        SimdFp.finish(c, st);
    }

    private static void scalar(Cpu c, int sz, int rm, int rn, int rd, int op) {
        if (!FpScalar.fpEnabled(c)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long a = SimdFp.elem(c.v[2 * rn], 0, 0, d), b = SimdFp.elem(c.v[2 * rm], 0, 0, d);
        c.v[2 * rd] = SimdFp.binary(op, a, b, 0, d, st);
        c.v[2 * rd + 1] = 0;
        SimdFp.finish(c, st);
    }

    /** FMAXNM (vector) */
    public static void fmaxnmVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        vector(c, q, sz, rm, rn, rd, SimdFp.MAXNM);
    }

    /** FMLA (vector): fused, Vd + Vn*Vm */
    public static void fmlaVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        if (!SimdFp.vectorReady(c, q, sz)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long[] v = c.v;
        long lo = SimdFp.mulAddHalf(v[2 * rd], v[2 * rn], v[2 * rm], d, st);
        long hi = q == 1 ? SimdFp.mulAddHalf(v[2 * rd + 1], v[2 * rn + 1], v[2 * rm + 1], d, st) : 0;
        SimdFp.store(c, rd, lo, hi, st);
    }

    /** FADD (vector) */
    public static void faddVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        if (!SimdFp.vectorReady(c, q, sz)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long[] v = c.v;
        long lo = SimdFp.addHalf(v[2 * rn], v[2 * rm], d, st);
        long hi = q == 1 ? SimdFp.addHalf(v[2 * rn + 1], v[2 * rm + 1], d, st) : 0;
        SimdFp.store(c, rd, lo, hi, st);
    }

    /** FMULX (vector) */
    public static void fmulxVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        vector(c, q, sz, rm, rn, rd, SimdFp.MULX);
    }

    /** FCMEQ (register, vector) */
    public static void fcmeqVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        vector(c, q, sz, rm, rn, rd, SimdFp.CMEQ);
    }

    /** FMAX (vector) */
    public static void fmaxVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        vector(c, q, sz, rm, rn, rd, SimdFp.MAX);
    }

    /** FRECPS (vector) */
    public static void frecpsVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        vector(c, q, sz, rm, rn, rd, SimdFp.RECPS);
    }

    /** FMINNM (vector) */
    public static void fminnmVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        vector(c, q, sz, rm, rn, rd, SimdFp.MINNM);
    }

    /** FMLS (vector): fused, Vd - Vn*Vm */
    public static void fmlsVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        if (!SimdFp.vectorReady(c, q, sz)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long sign = SimdFp.signs(d); // FMLS: FPNeg of each element of Vn, NaNs too
        long[] v = c.v;
        long lo = SimdFp.mulAddHalf(v[2 * rd], v[2 * rn] ^ sign, v[2 * rm], d, st);
        long hi = q == 1 ? SimdFp.mulAddHalf(v[2 * rd + 1], v[2 * rn + 1] ^ sign, v[2 * rm + 1], d, st) : 0;
        SimdFp.store(c, rd, lo, hi, st);
    }

    /** FSUB (vector) */
    public static void fsubVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        if (!SimdFp.vectorReady(c, q, sz)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long[] v = c.v;
        long lo = SimdFp.subHalf(v[2 * rn], v[2 * rm], d, st);
        long hi = q == 1 ? SimdFp.subHalf(v[2 * rn + 1], v[2 * rm + 1], d, st) : 0;
        SimdFp.store(c, rd, lo, hi, st);
    }

    /** FMIN (vector) */
    public static void fminVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        vector(c, q, sz, rm, rn, rd, SimdFp.MIN);
    }

    /** FRSQRTS (vector) */
    public static void frsqrtsVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        vector(c, q, sz, rm, rn, rd, SimdFp.RSQRTS);
    }

    /** FMUL (vector) */
    public static void fmulVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        if (!SimdFp.vectorReady(c, q, sz)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long[] v = c.v;
        long lo = SimdFp.mulHalf(v[2 * rn], v[2 * rm], d, st);
        long hi = q == 1 ? SimdFp.mulHalf(v[2 * rn + 1], v[2 * rm + 1], d, st) : 0;
        SimdFp.store(c, rd, lo, hi, st);
    }

    /** FCMGE (register, vector) */
    public static void fcmgeVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        vector(c, q, sz, rm, rn, rd, SimdFp.CMGE);
    }

    /** FACGE (vector) */
    public static void facgeVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        vector(c, q, sz, rm, rn, rd, SimdFp.ACGE);
    }

    /** FDIV (vector) */
    public static void fdivVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        if (!SimdFp.vectorReady(c, q, sz)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long[] v = c.v;
        long lo = SimdFp.divHalf(v[2 * rn], v[2 * rm], d, st);
        long hi = q == 1 ? SimdFp.divHalf(v[2 * rn + 1], v[2 * rm + 1], d, st) : 0;
        SimdFp.store(c, rd, lo, hi, st);
    }

    /** FABD (vector) */
    public static void fabdVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        vector(c, q, sz, rm, rn, rd, SimdFp.ABD);
    }

    /** FCMGT (register, vector) */
    public static void fcmgtVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        vector(c, q, sz, rm, rn, rd, SimdFp.CMGT);
    }

    /** FACGT (vector) */
    public static void facgtVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        vector(c, q, sz, rm, rn, rd, SimdFp.ACGT);
    }

    /** Single elements 0 and 2 of the pair of halves (a, b). */
    private static long evens(long a, long b) {
        return SimdFp.pack(a, b);
    }

    /** Single elements 1 and 3 of the pair of halves (a, b). */
    private static long odds(long a, long b) {
        return SimdFp.pack(a >>> 32, b >>> 32);
    }

    /** FMAXNMP (vector) */
    public static void fmaxnmpVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        pairwise(c, q, sz, rm, rn, rd, SimdFp.MAXNM);
    }

    /** FADDP (vector) */
    public static void faddpVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        if (!SimdFp.vectorReady(c, q, sz)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long[] v = c.v;
        long nlo = v[2 * rn], nhi = v[2 * rn + 1], mlo = v[2 * rm], mhi = v[2 * rm + 1];
        // The pairs of Vm:Vn as the even and odd elements of two halves: 2S has one pair of each
        // register, 4S and 2D fill a result half from each register.
        if (!d && q == 0) {
            SimdFp.store(c, rd, SimdFp.addHalf(evens(nlo, mlo), odds(nlo, mlo), false, st), 0, st);
            return;
        }
        long lo = SimdFp.addHalf(d ? nlo : evens(nlo, nhi), d ? nhi : odds(nlo, nhi), d, st);
        long hi = SimdFp.addHalf(d ? mlo : evens(mlo, mhi), d ? mhi : odds(mlo, mhi), d, st);
        SimdFp.store(c, rd, lo, hi, st);
    }

    /** FMAXP (vector) */
    public static void fmaxpVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        pairwise(c, q, sz, rm, rn, rd, SimdFp.MAX);
    }

    /** FMINNMP (vector) */
    public static void fminnmpVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        pairwise(c, q, sz, rm, rn, rd, SimdFp.MINNM);
    }

    /** FMINP (vector) */
    public static void fminpVector(Cpu c, int q, int sz, int rm, int rn, int rd) {
        pairwise(c, q, sz, rm, rn, rd, SimdFp.MIN);
    }

    /** FMULX (scalar) */
    public static void fmulxScalar(Cpu c, int sz, int rm, int rn, int rd) {
        scalar(c, sz, rm, rn, rd, SimdFp.MULX);
    }

    /** FCMEQ (register, scalar) */
    public static void fcmeqScalar(Cpu c, int sz, int rm, int rn, int rd) {
        scalar(c, sz, rm, rn, rd, SimdFp.CMEQ);
    }

    /** FRECPS (scalar) */
    public static void frecpsScalar(Cpu c, int sz, int rm, int rn, int rd) {
        scalar(c, sz, rm, rn, rd, SimdFp.RECPS);
    }

    /** FRSQRTS (scalar) */
    public static void frsqrtsScalar(Cpu c, int sz, int rm, int rn, int rd) {
        scalar(c, sz, rm, rn, rd, SimdFp.RSQRTS);
    }

    /** FCMGE (register, scalar) */
    public static void fcmgeScalar(Cpu c, int sz, int rm, int rn, int rd) {
        scalar(c, sz, rm, rn, rd, SimdFp.CMGE);
    }

    /** FACGE (scalar) */
    public static void facgeScalar(Cpu c, int sz, int rm, int rn, int rd) {
        scalar(c, sz, rm, rn, rd, SimdFp.ACGE);
    }

    /** FABD (scalar) */
    public static void fabdScalar(Cpu c, int sz, int rm, int rn, int rd) {
        scalar(c, sz, rm, rn, rd, SimdFp.ABD);
    }

    /** FCMGT (register, scalar) */
    public static void fcmgtScalar(Cpu c, int sz, int rm, int rn, int rd) {
        scalar(c, sz, rm, rn, rd, SimdFp.CMGT);
    }

    /** FACGT (scalar) */
    public static void facgtScalar(Cpu c, int sz, int rm, int rn, int rd) {
        scalar(c, sz, rm, rn, rd, SimdFp.ACGT);
    }
}
