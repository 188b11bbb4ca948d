package io.deja.core.isa;

import io.deja.core.cpu.Cpu;
import io.deja.core.fp.FpStatus;

/**
 * The fixed-point conversions of Advanced SIMD shift by immediate, vector
 * and scalar (Arm ARM C4.1.96): SCVTF, UCVTF, FCVTZS, FCVTZU with #fbits.
 * immh selects the lane size: 01xx singles, 1xxx doubles (001x is half
 * precision, FEAT_FP16, and has no row). The rows take the bits of
 * immh:immb below the size bit, {@code imm}: fbits = 32 - imm for singles,
 * 64 - imm for doubles. The other opcodes of these groups are integer shifts.
 */
public final class SimdFpFixedPoint {
    private SimdFpFixedPoint() {}

    private static void vector(Cpu c, int q, int sz, int fbits, int rn, int rd, int op, int mode) {
        if (!SimdFp.vectorReady(c, q, sz)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long nlo = c.v[2 * rn], nhi = c.v[2 * rn + 1];
        int lanes = SimdFp.lanes(q, d), perHalf = d ? 1 : 2;
        long rlo = 0, rhi = 0;
        for (int i = 0; i < lanes; i++) {
            long r = SimdFp.unary(op, mode, fbits, SimdFp.elem(nlo, nhi, i, d), d, st);
            if (i < perHalf) rlo = SimdFp.put(rlo, i, r, d);
            else rhi = SimdFp.put(rhi, i, r, d);
        }
        c.v[2 * rd] = rlo;
        c.v[2 * rd + 1] = q == 1 ? rhi : 0;
        SimdFp.finish(c, st);
    }

    private static void scalar(Cpu c, int sz, int fbits, int rn, int rd, int op, int mode) {
        if (!FpScalar.fpEnabled(c)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        c.v[2 * rd] = SimdFp.unary(op, mode, fbits, SimdFp.elem(c.v[2 * rn], 0, 0, d), d, st);
        c.v[2 * rd + 1] = 0;
        SimdFp.finish(c, st);
    }

    /** SCVTF (vector, fixed-point), single lanes */
    public static void scvtfVectorS(Cpu c, int q, int imm, int rn, int rd) {
        vector(c, q, 0, 32 - imm, rn, rd, SimdFp.SCVTF, SimdFp.FPCR_MODE);
    }

    /** SCVTF (vector, fixed-point), double lanes */
    public static void scvtfVectorD(Cpu c, int q, int imm, int rn, int rd) {
        vector(c, q, 1, 64 - imm, rn, rd, SimdFp.SCVTF, SimdFp.FPCR_MODE);
    }

    /** UCVTF (vector, fixed-point), single lanes */
    public static void ucvtfVectorS(Cpu c, int q, int imm, int rn, int rd) {
        vector(c, q, 0, 32 - imm, rn, rd, SimdFp.UCVTF, SimdFp.FPCR_MODE);
    }

    /** UCVTF (vector, fixed-point), double lanes */
    public static void ucvtfVectorD(Cpu c, int q, int imm, int rn, int rd) {
        vector(c, q, 1, 64 - imm, rn, rd, SimdFp.UCVTF, SimdFp.FPCR_MODE);
    }

    /** FCVTZS (vector, fixed-point), single lanes */
    public static void fcvtzsVectorS(Cpu c, int q, int imm, int rn, int rd) {
        vector(c, q, 0, 32 - imm, rn, rd, SimdFp.CVT_S, FpStatus.RZ);
    }

    /** FCVTZS (vector, fixed-point), double lanes */
    public static void fcvtzsVectorD(Cpu c, int q, int imm, int rn, int rd) {
        vector(c, q, 1, 64 - imm, rn, rd, SimdFp.CVT_S, FpStatus.RZ);
    }

    /** FCVTZU (vector, fixed-point), single lanes */
    public static void fcvtzuVectorS(Cpu c, int q, int imm, int rn, int rd) {
        vector(c, q, 0, 32 - imm, rn, rd, SimdFp.CVT_U, FpStatus.RZ);
    }

    /** FCVTZU (vector, fixed-point), double lanes */
    public static void fcvtzuVectorD(Cpu c, int q, int imm, int rn, int rd) {
        vector(c, q, 1, 64 - imm, rn, rd, SimdFp.CVT_U, FpStatus.RZ);
    }

    /** SCVTF (scalar, fixed-point), single */
    public static void scvtfScalarS(Cpu c, int imm, int rn, int rd) {
        scalar(c, 0, 32 - imm, rn, rd, SimdFp.SCVTF, SimdFp.FPCR_MODE);
    }

    /** SCVTF (scalar, fixed-point), double */
    public static void scvtfScalarD(Cpu c, int imm, int rn, int rd) {
        scalar(c, 1, 64 - imm, rn, rd, SimdFp.SCVTF, SimdFp.FPCR_MODE);
    }

    /** UCVTF (scalar, fixed-point), single */
    public static void ucvtfScalarS(Cpu c, int imm, int rn, int rd) {
        scalar(c, 0, 32 - imm, rn, rd, SimdFp.UCVTF, SimdFp.FPCR_MODE);
    }

    /** UCVTF (scalar, fixed-point), double */
    public static void ucvtfScalarD(Cpu c, int imm, int rn, int rd) {
        scalar(c, 1, 64 - imm, rn, rd, SimdFp.UCVTF, SimdFp.FPCR_MODE);
    }

    /** FCVTZS (scalar, fixed-point), single */
    public static void fcvtzsScalarS(Cpu c, int imm, int rn, int rd) {
        scalar(c, 0, 32 - imm, rn, rd, SimdFp.CVT_S, FpStatus.RZ);
    }

    /** FCVTZS (scalar, fixed-point), double */
    public static void fcvtzsScalarD(Cpu c, int imm, int rn, int rd) {
        scalar(c, 1, 64 - imm, rn, rd, SimdFp.CVT_S, FpStatus.RZ);
    }

    /** FCVTZU (scalar, fixed-point), single */
    public static void fcvtzuScalarS(Cpu c, int imm, int rn, int rd) {
        scalar(c, 0, 32 - imm, rn, rd, SimdFp.CVT_U, FpStatus.RZ);
    }

    /** FCVTZU (scalar, fixed-point), double */
    public static void fcvtzuScalarD(Cpu c, int imm, int rn, int rd) {
        scalar(c, 1, 64 - imm, rn, rd, SimdFp.CVT_U, FpStatus.RZ);
    }
}
