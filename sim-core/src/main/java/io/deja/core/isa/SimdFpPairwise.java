package io.deja.core.isa;

import io.deja.core.cpu.Cpu;
import io.deja.core.fp.FpStatus;

/**
 * Advanced SIMD scalar pairwise, floating point (Arm ARM C4.1.96): the two
 * elements of a 2S or 2D vector combined into a scalar, element 0 first.
 */
public final class SimdFpPairwise {
    private SimdFpPairwise() {}

    private static void pair(Cpu c, int sz, int rn, int rd, int op) {
        if (!FpScalar.fpEnabled(c)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long lo = c.v[2 * rn], hi = c.v[2 * rn + 1];
        long r = SimdFp.binary(op, SimdFp.elem(lo, hi, 0, d), SimdFp.elem(lo, hi, 1, d), 0, d, st);
        c.v[2 * rd] = r;
        c.v[2 * rd + 1] = 0;
        SimdFp.finish(c, st);
    }

    /** FADDP (scalar) */
    public static void faddp(Cpu c, int sz, int rn, int rd) {
        pair(c, sz, rn, rd, SimdFp.ADD);
    }

    /** FMAXP (scalar) */
    public static void fmaxp(Cpu c, int sz, int rn, int rd) {
        pair(c, sz, rn, rd, SimdFp.MAX);
    }

    /** FMINP (scalar) */
    public static void fminp(Cpu c, int sz, int rn, int rd) {
        pair(c, sz, rn, rd, SimdFp.MIN);
    }

    /** FMAXNMP (scalar) */
    public static void fmaxnmp(Cpu c, int sz, int rn, int rd) {
        pair(c, sz, rn, rd, SimdFp.MAXNM);
    }

    /** FMINNMP (scalar) */
    public static void fminnmp(Cpu c, int sz, int rn, int rd) {
        pair(c, sz, rn, rd, SimdFp.MINNM);
    }
}
