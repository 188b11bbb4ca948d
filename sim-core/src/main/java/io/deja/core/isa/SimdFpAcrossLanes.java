package io.deja.core.isa;

import io.deja.core.cpu.Cpu;
import io.deja.core.fp.FpStatus;

/**
 * Advanced SIMD across lanes, floating point (Arm ARM C4.1.96): FMAXV,
 * FMINV, FMAXNMV, FMINNMV. ARMv8.0 has the 4S form only (sz = 1 or Q = 0 is
 * reserved). The reduction is the pseudocode's Reduce: a tree, the low half
 * before the high half, op(op(e0, e1), op(e2, e3)), which matters for which
 * NaN wins and for the flags.
 */
public final class SimdFpAcrossLanes {
    private SimdFpAcrossLanes() {}

    private static void reduce(Cpu c, int q, int sz, int rn, int rd, int op) {
        if (sz == 1 || q == 0) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        FpStatus st = SimdFp.env(c);
        long lo = c.v[2 * rn], hi = c.v[2 * rn + 1];
        long low = SimdFp.binary(op, lo & 0xFFFF_FFFFL, lo >>> 32, 0, false, st);
        long high = SimdFp.binary(op, hi & 0xFFFF_FFFFL, hi >>> 32, 0, false, st);
        c.v[2 * rd] = SimdFp.binary(op, low, high, 0, false, st);
        c.v[2 * rd + 1] = 0;
        SimdFp.finish(c, st);
    }

    /** FMAXV */
    public static void fmaxv(Cpu c, int q, int sz, int rn, int rd) {
        reduce(c, q, sz, rn, rd, SimdFp.MAX);
    }

    /** FMINV */
    public static void fminv(Cpu c, int q, int sz, int rn, int rd) {
        reduce(c, q, sz, rn, rd, SimdFp.MIN);
    }

    /** FMAXNMV */
    public static void fmaxnmv(Cpu c, int q, int sz, int rn, int rd) {
        reduce(c, q, sz, rn, rd, SimdFp.MAXNM);
    }

    /** FMINNMV */
    public static void fminnmv(Cpu c, int q, int sz, int rn, int rd) {
        reduce(c, q, sz, rn, rd, SimdFp.MINNM);
    }
}
