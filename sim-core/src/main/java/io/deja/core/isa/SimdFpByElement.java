package io.deja.core.isa;

import io.deja.core.cpu.Cpu;
import io.deja.core.fp.FpStatus;

/**
 * Advanced SIMD vector and scalar x indexed element, floating point (Arm ARM
 * C4.1.96): FMLA, FMLS, FMUL, FMULX by element. The element of Vm is
 * H:L for singles (Rm is M:Rm, all 32 registers) and H for doubles (L = 1
 * is reserved, as is Q = 0 for the vector form). Half precision (size 00,
 * FEAT_FP16) has no row.
 */
public final class SimdFpByElement {
    private SimdFpByElement() {}

    /** The element index, or -1 (and UNDEFINED) for a reserved L. */
    private static int index(Cpu c, int sz, int l, int h) {
        if (sz == 1 && l == 1) {
            c.undefined();
            return -1;
        }
        return sz == 1 ? h : h << 1 | l;
    }

    private static void vector(Cpu c, int q, int sz, int l, int rm, int h, int rn, int rd, int op) {
        int index = index(c, sz, l, h);
        if (index < 0 || !SimdFp.vectorReady(c, q, sz)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long b = SimdFp.elem(c.v[2 * rm], c.v[2 * rm + 1], index, d);
        long nlo = c.v[2 * rn], nhi = c.v[2 * rn + 1], dlo = c.v[2 * rd], dhi = c.v[2 * rd + 1];
        int lanes = SimdFp.lanes(q, d), perHalf = d ? 1 : 2;
        long rlo = 0, rhi = 0;
        for (int i = 0; i < lanes; i++) {
            long r = SimdFp.binary(op, SimdFp.elem(nlo, nhi, i, d), b, SimdFp.elem(dlo, dhi, i, d), d, st);
            if (i < perHalf) rlo = SimdFp.put(rlo, i, r, d);
            else rhi = SimdFp.put(rhi, i, r, d);
        }
        c.v[2 * rd] = rlo;
        c.v[2 * rd + 1] = q == 1 ? rhi : 0;
        SimdFp.finish(c, st);
    }

    private static void scalar(Cpu c, int sz, int l, int rm, int h, int rn, int rd, int op) {
        int index = index(c, sz, l, h);
        if (index < 0 || !FpScalar.fpEnabled(c)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long b = SimdFp.elem(c.v[2 * rm], c.v[2 * rm + 1], index, d);
        long a = SimdFp.elem(c.v[2 * rn], 0, 0, d), acc = SimdFp.elem(c.v[2 * rd], 0, 0, d);
        c.v[2 * rd] = SimdFp.binary(op, a, b, acc, d, st);
        c.v[2 * rd + 1] = 0;
        SimdFp.finish(c, st);
    }

    /** The index is allocated and FP is enabled (otherwise UNDEFINED or the FPEN trap was taken). */
    private static boolean ready(Cpu c, int q, int sz, int l, int h) {
        return index(c, sz, l, h) >= 0 && SimdFp.vectorReady(c, q, sz);
    }

    /** The indexed element of Vm in every element of a half. */
    private static long broadcast(Cpu c, int sz, int l, int rm, int h) {
        boolean d = sz == 1;
        long b = SimdFp.elem(c.v[2 * rm], c.v[2 * rm + 1], d ? h : h << 1 | l, d);
        return d ? b : b | b << 32;
    }

    /** FMLA (by element, vector) */
    public static void fmlaVector(Cpu c, int q, int sz, int l, int rm, int h, int rn, int rd) {
        if (!ready(c, q, sz, l, h)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long b = broadcast(c, sz, l, rm, h);
        long[] v = c.v;
        long lo = SimdFp.mulAddHalf(v[2 * rd], v[2 * rn], b, d, st);
        long hi = q == 1 ? SimdFp.mulAddHalf(v[2 * rd + 1], v[2 * rn + 1], b, d, st) : 0;
        SimdFp.store(c, rd, lo, hi, st);
    }

    /** FMLS (by element, vector): FPNeg of each element of Vn, NaNs too, then FMLA */
    public static void fmlsVector(Cpu c, int q, int sz, int l, int rm, int h, int rn, int rd) {
        if (!ready(c, q, sz, l, h)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long b = broadcast(c, sz, l, rm, h), sign = SimdFp.signs(d);
        long[] v = c.v;
        long lo = SimdFp.mulAddHalf(v[2 * rd], v[2 * rn] ^ sign, b, d, st);
        long hi = q == 1 ? SimdFp.mulAddHalf(v[2 * rd + 1], v[2 * rn + 1] ^ sign, b, d, st) : 0;
        SimdFp.store(c, rd, lo, hi, st);
    }

    /** FMUL (by element, vector) */
    public static void fmulVector(Cpu c, int q, int sz, int l, int rm, int h, int rn, int rd) {
        if (!ready(c, q, sz, l, h)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long b = broadcast(c, sz, l, rm, h);
        long[] v = c.v;
        long lo = SimdFp.mulHalf(v[2 * rn], b, d, st);
        long hi = q == 1 ? SimdFp.mulHalf(v[2 * rn + 1], b, d, st) : 0;
        SimdFp.store(c, rd, lo, hi, st);
    }

    /** FMULX (by element, vector) */
    public static void fmulxVector(Cpu c, int q, int sz, int l, int rm, int h, int rn, int rd) {
        vector(c, q, sz, l, rm, h, rn, rd, SimdFp.MULX);
    }

    /** FMLA (by element, scalar) */
    public static void fmlaScalar(Cpu c, int sz, int l, int rm, int h, int rn, int rd) {
        scalar(c, sz, l, rm, h, rn, rd, SimdFp.MLA);
    }

    /** FMLS (by element, scalar) */
    public static void fmlsScalar(Cpu c, int sz, int l, int rm, int h, int rn, int rd) {
        scalar(c, sz, l, rm, h, rn, rd, SimdFp.MLS);
    }

    /** FMUL (by element, scalar) */
    public static void fmulScalar(Cpu c, int sz, int l, int rm, int h, int rn, int rd) {
        scalar(c, sz, l, rm, h, rn, rd, SimdFp.MUL);
    }

    /** FMULX (by element, scalar) */
    public static void fmulxScalar(Cpu c, int sz, int l, int rm, int h, int rn, int rd) {
        scalar(c, sz, l, rm, h, rn, rd, SimdFp.MULX);
    }
}
