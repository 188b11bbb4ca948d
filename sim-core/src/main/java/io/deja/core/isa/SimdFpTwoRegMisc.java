package io.deja.core.isa;

import io.deja.core.cpu.Cpu;
import io.deja.core.fp.FpConvert;
import io.deja.core.fp.FpHalf;
import io.deja.core.fp.FpStatus;

/**
 * Advanced SIMD two-register miscellaneous, floating point (Arm ARM C4.1.96,
 * "Advanced SIMD two-register miscellaneous" and its scalar group, the FP
 * opcodes and URECPE/URSQRTE): single and double lanes, the narrowing
 * FCVTN/FCVTXN and lengthening FCVTL (half precision there honours FPCR.AHP),
 * and the conversions, rounding, comparisons with zero and estimates.
 */
public final class SimdFpTwoRegMisc {
    private SimdFpTwoRegMisc() {}

    private static void vector(Cpu c, int q, int sz, int rn, int rd, int op, int mode) {
        if (!SimdFp.vectorReady(c, q, sz)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long nlo = c.v[2 * rn], nhi = c.v[2 * rn + 1];
        int lanes = SimdFp.lanes(q, d), perHalf = d ? 1 : 2;
        long rlo = 0, rhi = 0;
        for (int i = 0; i < lanes; i++) {
            long r = SimdFp.unary(op, mode, 0, SimdFp.elem(nlo, nhi, i, d), d, st);
            if (i < perHalf) rlo = SimdFp.put(rlo, i, r, d);
            else rhi = SimdFp.put(rhi, i, r, d);
        }
        c.v[2 * rd] = rlo;
        c.v[2 * rd + 1] = q == 1 ? rhi : 0;
        SimdFp.finish(c, st);
    }

    private static void scalar(Cpu c, int sz, int rn, int rd, int op, int mode) {
        if (!FpScalar.fpEnabled(c)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        c.v[2 * rd] = SimdFp.unary(op, mode, 0, SimdFp.elem(c.v[2 * rn], 0, 0, d), d, st);
        c.v[2 * rd + 1] = 0;
        SimdFp.finish(c, st);
    }

    /** URECPE: 32-bit lanes only (sz = 1 is reserved). */
    public static void urecpeVector(Cpu c, int q, int sz, int rn, int rd) {
        if (sz == 1) {
            c.undefined();
            return;
        }
        vector(c, q, sz, rn, rd, SimdFp.URECPE, 0);
    }

    /** URSQRTE: 32-bit lanes only (sz = 1 is reserved). */
    public static void ursqrteVector(Cpu c, int q, int sz, int rn, int rd) {
        if (sz == 1) {
            c.undefined();
            return;
        }
        vector(c, q, sz, rn, rd, SimdFp.URSQRTE, 0);
    }

    /**
     * FCVTN, FCVTN2: single to half (sz = 0, honouring FPCR.AHP) or double to
     * single, into the low half of Vd (the high half cleared) or, for the "2"
     * form (Q = 1), into its high half (the low half kept).
     */
    public static void fcvtnVector(Cpu c, int q, int sz, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        narrow(c, q, sz, rn, rd, false);
    }

    /** FCVTXN, FCVTXN2: double to single, rounding to odd (sz = 0 is reserved). */
    public static void fcvtxnVector(Cpu c, int q, int sz, int rn, int rd) {
        if (sz == 0) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        narrow(c, q, sz, rn, rd, true);
    }

    private static void narrow(Cpu c, int q, int sz, int rn, int rd, boolean toOdd) {
        FpStatus st = SimdFp.env(c);
        long nlo = c.v[2 * rn], nhi = c.v[2 * rn + 1];
        long r = 0;
        if (sz == 0) {
            for (int i = 0; i < 4; i++) {
                long h = FpHalf.fromSingleOrDouble(SimdFp.elem(nlo, nhi, i, false), false, st);
                r |= (h & 0xFFFF) << (16 * i);
            }
        } else {
            int mode = toOdd ? FpStatus.ODD : st.rounding();
            r = FpConvert.convert(nlo, true, mode, st) | FpConvert.convert(nhi, true, mode, st) << 32;
        }
        if (q == 1) {
            c.v[2 * rd + 1] = r;
        } else {
            c.v[2 * rd] = r;
            c.v[2 * rd + 1] = 0;
        }
        SimdFp.finish(c, st);
    }

    /** FCVTXN (scalar): Sd from Dn, rounding to odd (sz = 0 is reserved). */
    public static void fcvtxnScalar(Cpu c, int sz, int rn, int rd) {
        if (sz == 0) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        FpStatus st = SimdFp.env(c);
        c.v[2 * rd] = FpConvert.convert(c.v[2 * rn], true, FpStatus.ODD, st);
        c.v[2 * rd + 1] = 0;
        SimdFp.finish(c, st);
    }

    /**
     * FCVTL, FCVTL2: the low (or, Q = 1, high) half of Vn lengthened, half to
     * single (sz = 0, honouring FPCR.AHP) or single to double.
     */
    public static void fcvtlVector(Cpu c, int q, int sz, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        FpStatus st = SimdFp.env(c);
        long src = c.v[2 * rn + q];
        long rlo, rhi;
        if (sz == 0) {
            long r0 = FpHalf.toSingleOrDouble(src & 0xFFFF, false, st);
            long r1 = FpHalf.toSingleOrDouble((src >>> 16) & 0xFFFF, false, st);
            long r2 = FpHalf.toSingleOrDouble((src >>> 32) & 0xFFFF, false, st);
            long r3 = FpHalf.toSingleOrDouble(src >>> 48, false, st);
            rlo = r0 | r1 << 32;
            rhi = r2 | r3 << 32;
        } else {
            rlo = FpConvert.convert(src & 0xFFFF_FFFFL, false, st);
            rhi = FpConvert.convert(src >>> 32, false, st);
        }
        c.v[2 * rd] = rlo;
        c.v[2 * rd + 1] = rhi;
        SimdFp.finish(c, st);
    }

    /** FCMGT (zero) */
    public static void fcmgtZeroVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.CMGT0, 0);
    }

    /** FCMGT (zero, scalar) */
    public static void fcmgtZeroScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.CMGT0, 0);
    }

    /** FCMEQ (zero) */
    public static void fcmeqZeroVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.CMEQ0, 0);
    }

    /** FCMEQ (zero, scalar) */
    public static void fcmeqZeroScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.CMEQ0, 0);
    }

    /** FCMLT (zero) */
    public static void fcmltZeroVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.CMLT0, 0);
    }

    /** FCMLT (zero, scalar) */
    public static void fcmltZeroScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.CMLT0, 0);
    }

    /** FCMGE (zero) */
    public static void fcmgeZeroVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.CMGE0, 0);
    }

    /** FCMGE (zero, scalar) */
    public static void fcmgeZeroScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.CMGE0, 0);
    }

    /** FCMLE (zero) */
    public static void fcmleZeroVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.CMLE0, 0);
    }

    /** FCMLE (zero, scalar) */
    public static void fcmleZeroScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.CMLE0, 0);
    }

    /** FABS (vector): the sign bit only, no flags */
    public static void fabsVector(Cpu c, int q, int sz, int rn, int rd) {
        if (!SimdFp.vectorReady(c, q, sz)) return;
        long sign = SimdFp.signs(sz == 1);
        long lo = c.v[2 * rn], hi = c.v[2 * rn + 1];
        c.v[2 * rd] = lo & ~sign;
        c.v[2 * rd + 1] = q == 1 ? hi & ~sign : 0;
        c.pc += 4;
    }

    /** FNEG (vector) */
    public static void fnegVector(Cpu c, int q, int sz, int rn, int rd) {
        if (!SimdFp.vectorReady(c, q, sz)) return;
        long sign = SimdFp.signs(sz == 1);
        long lo = c.v[2 * rn], hi = c.v[2 * rn + 1];
        c.v[2 * rd] = lo ^ sign;
        c.v[2 * rd + 1] = q == 1 ? hi ^ sign : 0;
        c.pc += 4;
    }

    /** FSQRT (vector) */
    public static void fsqrtVector(Cpu c, int q, int sz, int rn, int rd) {
        if (!SimdFp.vectorReady(c, q, sz)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long lo = SimdFp.sqrtHalf(c.v[2 * rn], d, st);
        long hi = q == 1 ? SimdFp.sqrtHalf(c.v[2 * rn + 1], d, st) : 0;
        SimdFp.store(c, rd, lo, hi, st);
    }

    /** FRINTN (vector) */
    public static void frintnVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.RINT, FpStatus.RN);
    }

    /** FRINTM (vector) */
    public static void frintmVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.RINT, FpStatus.RM);
    }

    /** FRINTP (vector) */
    public static void frintpVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.RINT, FpStatus.RP);
    }

    /** FRINTZ (vector) */
    public static void frintzVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.RINT, FpStatus.RZ);
    }

    /** FRINTA (vector) */
    public static void frintaVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.RINT, FpStatus.TIEAWAY);
    }

    /** FRINTI (vector) */
    public static void frintiVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.RINT, SimdFp.FPCR_MODE);
    }

    /** FRINTX (vector) */
    public static void frintxVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.RINTX, SimdFp.FPCR_MODE);
    }

    /** FCVTNS (vector) */
    public static void fcvtnsVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.CVT_S, FpStatus.RN);
    }

    /** FCVTNS (scalar) */
    public static void fcvtnsScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.CVT_S, FpStatus.RN);
    }

    /** FCVTNU (vector) */
    public static void fcvtnuVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.CVT_U, FpStatus.RN);
    }

    /** FCVTNU (scalar) */
    public static void fcvtnuScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.CVT_U, FpStatus.RN);
    }

    /** FCVTMS (vector) */
    public static void fcvtmsVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.CVT_S, FpStatus.RM);
    }

    /** FCVTMS (scalar) */
    public static void fcvtmsScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.CVT_S, FpStatus.RM);
    }

    /** FCVTMU (vector) */
    public static void fcvtmuVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.CVT_U, FpStatus.RM);
    }

    /** FCVTMU (scalar) */
    public static void fcvtmuScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.CVT_U, FpStatus.RM);
    }

    /** FCVTPS (vector) */
    public static void fcvtpsVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.CVT_S, FpStatus.RP);
    }

    /** FCVTPS (scalar) */
    public static void fcvtpsScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.CVT_S, FpStatus.RP);
    }

    /** FCVTPU (vector) */
    public static void fcvtpuVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.CVT_U, FpStatus.RP);
    }

    /** FCVTPU (scalar) */
    public static void fcvtpuScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.CVT_U, FpStatus.RP);
    }

    /** FCVTZS (vector, integer) */
    public static void fcvtzsVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.CVT_S, FpStatus.RZ);
    }

    /** FCVTZS (scalar, integer) */
    public static void fcvtzsScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.CVT_S, FpStatus.RZ);
    }

    /** FCVTZU (vector, integer) */
    public static void fcvtzuVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.CVT_U, FpStatus.RZ);
    }

    /** FCVTZU (scalar, integer) */
    public static void fcvtzuScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.CVT_U, FpStatus.RZ);
    }

    /** FCVTAS (vector) */
    public static void fcvtasVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.CVT_S, FpStatus.TIEAWAY);
    }

    /** FCVTAS (scalar) */
    public static void fcvtasScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.CVT_S, FpStatus.TIEAWAY);
    }

    /** FCVTAU (vector) */
    public static void fcvtauVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.CVT_U, FpStatus.TIEAWAY);
    }

    /** FCVTAU (scalar) */
    public static void fcvtauScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.CVT_U, FpStatus.TIEAWAY);
    }

    /** SCVTF (vector, integer) */
    public static void scvtfVector(Cpu c, int q, int sz, int rn, int rd) {
        if (!SimdFp.vectorReady(c, q, sz)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long lo = SimdFp.fromIntHalf(c.v[2 * rn], false, d, st);
        long hi = q == 1 ? SimdFp.fromIntHalf(c.v[2 * rn + 1], false, d, st) : 0;
        SimdFp.store(c, rd, lo, hi, st);
    }

    /** SCVTF (scalar, integer) */
    public static void scvtfScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.SCVTF, SimdFp.FPCR_MODE);
    }

    /** UCVTF (vector, integer) */
    public static void ucvtfVector(Cpu c, int q, int sz, int rn, int rd) {
        if (!SimdFp.vectorReady(c, q, sz)) return;
        boolean d = sz == 1;
        FpStatus st = SimdFp.env(c);
        long lo = SimdFp.fromIntHalf(c.v[2 * rn], true, d, st);
        long hi = q == 1 ? SimdFp.fromIntHalf(c.v[2 * rn + 1], true, d, st) : 0;
        SimdFp.store(c, rd, lo, hi, st);
    }

    /** UCVTF (scalar, integer) */
    public static void ucvtfScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.UCVTF, SimdFp.FPCR_MODE);
    }

    /** FRECPE */
    public static void frecpeVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.RECPE, 0);
    }

    /** FRECPE (scalar) */
    public static void frecpeScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.RECPE, 0);
    }

    /** FRSQRTE */
    public static void frsqrteVector(Cpu c, int q, int sz, int rn, int rd) {
        vector(c, q, sz, rn, rd, SimdFp.RSQRTE, 0);
    }

    /** FRSQRTE (scalar) */
    public static void frsqrteScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.RSQRTE, 0);
    }

    /** FRECPX (scalar) */
    public static void frecpxScalar(Cpu c, int sz, int rn, int rd) {
        scalar(c, sz, rn, rd, SimdFp.RECPX, 0);
    }
}
