package io.deja.core.isa;

import io.deja.core.cpu.Cpu;
import io.deja.core.cpu.ExceptionClass;
import io.deja.core.fp.FpArith;
import io.deja.core.fp.FpCompare;
import io.deja.core.fp.FpConvert;
import io.deja.core.fp.FpFormat;
import io.deja.core.fp.FpHalf;
import io.deja.core.fp.FpStatus;

/**
 * Scalar floating-point data processing (Arm ARM C4.1.96, "Data Processing --
 * Scalar Floating-Point and Advanced SIMD", the scalar FP groups), single and
 * double precision, and FCVT to and from half precision (ARMv8.0 has it,
 * honouring FPCR.AHP). Every other ftype 11 form (half-precision arithmetic
 * is FEAT_FP16, not in a Cortex-A57) and ftype 10 are UNDEFINED.
 * Reserved encodings are UNDEFINED before the CPACR_EL1.FPEN check, as in the
 * pseudocode (decode before execute); every allocated one checks FPEN first.
 */
public final class FpScalar {
    private FpScalar() {}

    // ---- Common -------------------------------------------------------------------

    /** CheckFPAdvSIMDEnabled64: false (and the EC 0x07 trap taken) when CPACR_EL1.FPEN forbids FP here. */
    static boolean fpEnabled(Cpu c) {
        if (SysRegs.fpEnabled(c)) return true;
        c.takeSync(ExceptionClass.FP_ACCESS, Exceptions.ISS_CV_AL);
        return false;
    }

    /** Single (ftype 00) or double (01) precision; false (and UNDEFINED, or the FPEN trap) otherwise. */
    private static boolean ready(Cpu c, int ftype) {
        if (ftype > 1) {
            c.undefined();
            return false;
        }
        return fpEnabled(c);
    }

    private static FpStatus env(Cpu c) {
        FpStatus st = c.fpStatus;
        st.fpcr = (int) c.fpcr;
        st.flags = 0;
        return st;
    }

    private static long read(Cpu c, int n, boolean d) {
        long v = c.v[2 * n];
        return d ? v : v & 0xFFFF_FFFFL;
    }

    /** A scalar write clears the rest of the 128-bit register. */
    private static void write(Cpu c, int n, long bits, boolean d) {
        c.v[2 * n] = d ? bits : bits & 0xFFFF_FFFFL;
        c.v[2 * n + 1] = 0;
    }

    private static void finish(Cpu c, FpStatus st) {
        c.fpsr |= st.flags;
        c.pc += 4;
    }

    // ---- Data processing, one source ----------------------------------------------

    /** FMOV (register) */
    public static void fmovReg(Cpu c, int ftype, int rn, int rd) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        write(c, rd, read(c, rn, d), d);
        c.pc += 4;
    }

    /** FABS (scalar): the sign bit only, even of a NaN; no flush, no exception. */
    public static void fabs(Cpu c, int ftype, int rn, int rd) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        write(c, rd, FpFormat.abs(read(c, rn, d), d), d);
        c.pc += 4;
    }

    /** FNEG (scalar) */
    public static void fneg(Cpu c, int ftype, int rn, int rd) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        write(c, rd, FpFormat.neg(read(c, rn, d), d), d);
        c.pc += 4;
    }

    /** FSQRT (scalar) */
    public static void fsqrt(Cpu c, int ftype, int rn, int rd) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        FpStatus st = env(c);
        write(c, rd, FpArith.sqrt(read(c, rn, d), d, st), d);
        finish(c, st);
    }

    /** FCVT (scalar): between any two of half (11), single (00) and double (01) precision. */
    public static void fcvt(Cpu c, int ftype, int opc, int rn, int rd) {
        if (ftype == opc || ftype == 2 || opc == 2) {
            c.undefined();
            return;
        }
        if (!fpEnabled(c)) return;
        FpStatus st = env(c);
        long r;
        if (ftype == 3) {
            r = FpHalf.toSingleOrDouble(c.v[2 * rn] & 0xFFFF, opc == 1, st);
            write(c, rd, r, opc == 1);
        } else if (opc == 3) {
            r = FpHalf.fromSingleOrDouble(read(c, rn, ftype == 1), ftype == 1, st);
            c.v[2 * rd] = r & 0xFFFF;
            c.v[2 * rd + 1] = 0;
        } else {
            boolean fromDouble = ftype == 1;
            write(c, rd, FpConvert.convert(read(c, rn, fromDouble), fromDouble, st), !fromDouble);
        }
        finish(c, st);
    }

    private static void frint(Cpu c, int ftype, int rn, int rd, int mode, boolean exact) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        FpStatus st = env(c);
        int m = mode < 0 ? st.rounding() : mode;
        write(c, rd, FpConvert.roundInt(read(c, rn, d), m, exact, d, st), d);
        finish(c, st);
    }

    /** FRINTN: to nearest, ties to even. */
    public static void frintn(Cpu c, int ftype, int rn, int rd) {
        frint(c, ftype, rn, rd, FpStatus.RN, false);
    }

    /** FRINTP: toward plus infinity. */
    public static void frintp(Cpu c, int ftype, int rn, int rd) {
        frint(c, ftype, rn, rd, FpStatus.RP, false);
    }

    /** FRINTM: toward minus infinity. */
    public static void frintm(Cpu c, int ftype, int rn, int rd) {
        frint(c, ftype, rn, rd, FpStatus.RM, false);
    }

    /** FRINTZ: toward zero. */
    public static void frintz(Cpu c, int ftype, int rn, int rd) {
        frint(c, ftype, rn, rd, FpStatus.RZ, false);
    }

    /** FRINTA: to nearest, ties away from zero. */
    public static void frinta(Cpu c, int ftype, int rn, int rd) {
        frint(c, ftype, rn, rd, FpStatus.TIEAWAY, false);
    }

    /** FRINTX: FPCR's mode, inexact raised. */
    public static void frintx(Cpu c, int ftype, int rn, int rd) {
        frint(c, ftype, rn, rd, -1, true);
    }

    /** FRINTI: FPCR's mode. */
    public static void frinti(Cpu c, int ftype, int rn, int rd) {
        frint(c, ftype, rn, rd, -1, false);
    }

    // ---- Data processing, two and three sources ------------------------------------

    // One small method per operation, no shared switch: each stays small enough for HotSpot to
    // inline into a translated block, and none pollutes another's profile.

    /** FMUL (scalar) */
    public static void fmul(Cpu c, int ftype, int rm, int rn, int rd) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        FpStatus st = env(c);
        long a = read(c, rn, d), b = read(c, rm, d);
        write(c, rd, FpArith.mul(a, b, d, st), d);
        finish(c, st);
    }

    /** FDIV (scalar) */
    public static void fdiv(Cpu c, int ftype, int rm, int rn, int rd) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        FpStatus st = env(c);
        long a = read(c, rn, d), b = read(c, rm, d);
        write(c, rd, FpArith.div(a, b, d, st), d);
        finish(c, st);
    }

    /** FADD (scalar) */
    public static void fadd(Cpu c, int ftype, int rm, int rn, int rd) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        FpStatus st = env(c);
        long a = read(c, rn, d), b = read(c, rm, d);
        write(c, rd, FpArith.add(a, b, d, st), d);
        finish(c, st);
    }

    /** FSUB (scalar) */
    public static void fsub(Cpu c, int ftype, int rm, int rn, int rd) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        FpStatus st = env(c);
        long a = read(c, rn, d), b = read(c, rm, d);
        write(c, rd, FpArith.sub(a, b, d, st), d);
        finish(c, st);
    }

    /** FMAX (scalar) */
    public static void fmax(Cpu c, int ftype, int rm, int rn, int rd) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        FpStatus st = env(c);
        long a = read(c, rn, d), b = read(c, rm, d);
        write(c, rd, FpArith.max(a, b, d, st), d);
        finish(c, st);
    }

    /** FMIN (scalar) */
    public static void fmin(Cpu c, int ftype, int rm, int rn, int rd) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        FpStatus st = env(c);
        long a = read(c, rn, d), b = read(c, rm, d);
        write(c, rd, FpArith.min(a, b, d, st), d);
        finish(c, st);
    }

    /** FMAXNM (scalar) */
    public static void fmaxnm(Cpu c, int ftype, int rm, int rn, int rd) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        FpStatus st = env(c);
        long a = read(c, rn, d), b = read(c, rm, d);
        write(c, rd, FpArith.maxNum(a, b, d, st), d);
        finish(c, st);
    }

    /** FMINNM (scalar) */
    public static void fminnm(Cpu c, int ftype, int rm, int rn, int rd) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        FpStatus st = env(c);
        long a = read(c, rn, d), b = read(c, rm, d);
        write(c, rd, FpArith.minNum(a, b, d, st), d);
        finish(c, st);
    }

    /** FNMUL (scalar): negates even a NaN result */
    public static void fnmul(Cpu c, int ftype, int rm, int rn, int rd) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        FpStatus st = env(c);
        long a = read(c, rn, d), b = read(c, rm, d);
        write(c, rd, FpFormat.neg(FpArith.mul(a, b, d, st), d), d);
        finish(c, st);
    }

    /** Fused multiply-add: FPNeg (a sign flip, NaNs too) of the addend and/or multiplicand first, as the Arm ARM does. */
    private static void threeSource(Cpu c, int ftype, int rm, int ra, int rn, int rd, boolean negAddend, boolean negProduct) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        FpStatus st = env(c);
        long a = read(c, ra, d), n = read(c, rn, d), m = read(c, rm, d);
        if (negAddend) a = FpFormat.neg(a, d);
        if (negProduct) n = FpFormat.neg(n, d);
        write(c, rd, FpArith.mulAdd(a, n, m, d, st), d);
        finish(c, st);
    }

    /** FMADD: a + n*m */
    public static void fmadd(Cpu c, int ftype, int rm, int ra, int rn, int rd) {
        threeSource(c, ftype, rm, ra, rn, rd, false, false);
    }

    /** FMSUB: a - n*m */
    public static void fmsub(Cpu c, int ftype, int rm, int ra, int rn, int rd) {
        threeSource(c, ftype, rm, ra, rn, rd, false, true);
    }

    /** FNMADD: -a - n*m */
    public static void fnmadd(Cpu c, int ftype, int rm, int ra, int rn, int rd) {
        threeSource(c, ftype, rm, ra, rn, rd, true, true);
    }

    /** FNMSUB: -a + n*m */
    public static void fnmsub(Cpu c, int ftype, int rm, int ra, int rn, int rd) {
        threeSource(c, ftype, rm, ra, rn, rd, true, false);
    }

    // ---- Compare, conditional compare, conditional select, immediate ---------------

    private static void compare(Cpu c, int ftype, long b, boolean bIsZero, int rn, boolean signalAll) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        FpStatus st = env(c);
        int nzcv = FpCompare.compare(read(c, rn, d), bIsZero ? 0 : b, signalAll, d, st);
        c.setNzcv((long) nzcv << 28);
        finish(c, st);
    }

    /** FCMP (register) */
    public static void fcmp(Cpu c, int ftype, int rm, int rn) {
        compare(c, ftype, ftype == 1 ? c.v[2 * rm] : c.v[2 * rm] & 0xFFFF_FFFFL, false, rn, false);
    }

    /** FCMP (with zero) */
    public static void fcmpZero(Cpu c, int ftype, int rn) {
        compare(c, ftype, 0, true, rn, false);
    }

    /** FCMPE (register): quiet NaNs raise IOC too */
    public static void fcmpe(Cpu c, int ftype, int rm, int rn) {
        compare(c, ftype, ftype == 1 ? c.v[2 * rm] : c.v[2 * rm] & 0xFFFF_FFFFL, false, rn, true);
    }

    /** FCMPE (with zero) */
    public static void fcmpeZero(Cpu c, int ftype, int rn) {
        compare(c, ftype, 0, true, rn, true);
    }

    private static void condCompare(Cpu c, int ftype, int rm, int cond, int rn, int nzcv, boolean signalAll) {
        if (!ready(c, ftype)) return;
        if (!c.conditionHolds(cond)) {
            c.setNzcv((long) nzcv << 28);
            c.pc += 4;
            return;
        }
        boolean d = ftype == 1;
        FpStatus st = env(c);
        int flags = FpCompare.compare(read(c, rn, d), read(c, rm, d), signalAll, d, st);
        c.setNzcv((long) flags << 28);
        finish(c, st);
    }

    /** FCCMP */
    public static void fccmp(Cpu c, int ftype, int rm, int cond, int rn, int nzcv) {
        condCompare(c, ftype, rm, cond, rn, nzcv, false);
    }

    /** FCCMPE */
    public static void fccmpe(Cpu c, int ftype, int rm, int cond, int rn, int nzcv) {
        condCompare(c, ftype, rm, cond, rn, nzcv, true);
    }

    /** FCSEL: copies bits, no flush or NaN processing. */
    public static void fcsel(Cpu c, int ftype, int rm, int cond, int rn, int rd) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        write(c, rd, read(c, c.conditionHolds(cond) ? rn : rm, d), d);
        c.pc += 4;
    }

    /** FMOV (scalar, immediate) */
    public static void fmovImm(Cpu c, int ftype, int imm8, int rd) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        write(c, rd, FpConvert.expandImm(imm8, d), d);
        c.pc += 4;
    }

    // ---- Conversions between floating point and integer ---------------------------

    private static void toInt(Cpu c, int sf, int ftype, int fbits, int rn, int rd, int mode, boolean unsigned) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        FpStatus st = env(c);
        int m = mode < 0 ? st.rounding() : mode;
        c.setX(rd, FpConvert.toFixed(read(c, rn, d), fbits, unsigned, sf == 1 ? 64 : 32, m, d, st));
        finish(c, st);
    }

    private static void fromInt(Cpu c, int sf, int ftype, int fbits, int rn, int rd, boolean unsigned) {
        if (!ready(c, ftype)) return;
        boolean d = ftype == 1;
        FpStatus st = env(c);
        long x = c.x[rn];
        if (sf == 0) x = unsigned ? x & 0xFFFF_FFFFL : (int) x;
        write(c, rd, FpConvert.fromFixed(x, fbits, unsigned, st.rounding(), d, st), d);
        finish(c, st);
    }

    /** FCVTNS (scalar, integer) */
    public static void fcvtns(Cpu c, int sf, int ftype, int rn, int rd) {
        toInt(c, sf, ftype, 0, rn, rd, FpStatus.RN, false);
    }

    /** FCVTNU (scalar, integer) */
    public static void fcvtnu(Cpu c, int sf, int ftype, int rn, int rd) {
        toInt(c, sf, ftype, 0, rn, rd, FpStatus.RN, true);
    }

    /** FCVTAS (scalar, integer) */
    public static void fcvtas(Cpu c, int sf, int ftype, int rn, int rd) {
        toInt(c, sf, ftype, 0, rn, rd, FpStatus.TIEAWAY, false);
    }

    /** FCVTAU (scalar, integer) */
    public static void fcvtau(Cpu c, int sf, int ftype, int rn, int rd) {
        toInt(c, sf, ftype, 0, rn, rd, FpStatus.TIEAWAY, true);
    }

    /** FCVTPS (scalar, integer) */
    public static void fcvtps(Cpu c, int sf, int ftype, int rn, int rd) {
        toInt(c, sf, ftype, 0, rn, rd, FpStatus.RP, false);
    }

    /** FCVTPU (scalar, integer) */
    public static void fcvtpu(Cpu c, int sf, int ftype, int rn, int rd) {
        toInt(c, sf, ftype, 0, rn, rd, FpStatus.RP, true);
    }

    /** FCVTMS (scalar, integer) */
    public static void fcvtms(Cpu c, int sf, int ftype, int rn, int rd) {
        toInt(c, sf, ftype, 0, rn, rd, FpStatus.RM, false);
    }

    /** FCVTMU (scalar, integer) */
    public static void fcvtmu(Cpu c, int sf, int ftype, int rn, int rd) {
        toInt(c, sf, ftype, 0, rn, rd, FpStatus.RM, true);
    }

    /** FCVTZS (scalar, integer) */
    public static void fcvtzs(Cpu c, int sf, int ftype, int rn, int rd) {
        toInt(c, sf, ftype, 0, rn, rd, FpStatus.RZ, false);
    }

    /** FCVTZU (scalar, integer) */
    public static void fcvtzu(Cpu c, int sf, int ftype, int rn, int rd) {
        toInt(c, sf, ftype, 0, rn, rd, FpStatus.RZ, true);
    }

    /** SCVTF (scalar, integer) */
    public static void scvtf(Cpu c, int sf, int ftype, int rn, int rd) {
        fromInt(c, sf, ftype, 0, rn, rd, false);
    }

    /** UCVTF (scalar, integer) */
    public static void ucvtf(Cpu c, int sf, int ftype, int rn, int rd) {
        fromInt(c, sf, ftype, 0, rn, rd, true);
    }

    /** fbits = 64 - scale; a 32-bit form with scale < 32 is UNDEFINED. */
    private static int fixedBits(Cpu c, int sf, int scale) {
        if (sf == 0 && scale < 32) {
            c.undefined();
            return -1;
        }
        return 64 - scale;
    }

    /** FCVTZS (scalar, fixed-point) */
    public static void fcvtzsFixed(Cpu c, int sf, int ftype, int scale, int rn, int rd) {
        int fbits = fixedBits(c, sf, scale);
        if (fbits >= 0) toInt(c, sf, ftype, fbits, rn, rd, FpStatus.RZ, false);
    }

    /** FCVTZU (scalar, fixed-point) */
    public static void fcvtzuFixed(Cpu c, int sf, int ftype, int scale, int rn, int rd) {
        int fbits = fixedBits(c, sf, scale);
        if (fbits >= 0) toInt(c, sf, ftype, fbits, rn, rd, FpStatus.RZ, true);
    }

    /** SCVTF (scalar, fixed-point) */
    public static void scvtfFixed(Cpu c, int sf, int ftype, int scale, int rn, int rd) {
        int fbits = fixedBits(c, sf, scale);
        if (fbits >= 0) fromInt(c, sf, ftype, fbits, rn, rd, false);
    }

    /** UCVTF (scalar, fixed-point) */
    public static void ucvtfFixed(Cpu c, int sf, int ftype, int scale, int rn, int rd) {
        int fbits = fixedBits(c, sf, scale);
        if (fbits >= 0) fromInt(c, sf, ftype, fbits, rn, rd, true);
    }

    /** FMOV (general) to a W or X register: Wd from Sn, Xd from Dn. */
    public static void fmovToGeneral(Cpu c, int sf, int ftype, int rn, int rd) {
        if (sf != ftype) { // sf=0 with S, sf=1 with D; half precision (ftype 11) is FEAT_FP16
            c.undefined();
            return;
        }
        if (!fpEnabled(c)) return;
        c.setX(rd, read(c, rn, sf == 1));
        c.pc += 4;
    }

    /** FMOV (general) from a W or X register: Sd from Wn, Dd from Xn. */
    public static void fmovFromGeneral(Cpu c, int sf, int ftype, int rn, int rd) {
        if (sf != ftype) {
            c.undefined();
            return;
        }
        if (!fpEnabled(c)) return;
        write(c, rd, c.x[rn], sf == 1);
        c.pc += 4;
    }

    /** FMOV Xd, Vn.D[1] */
    public static void fmovToGeneralTop(Cpu c, int rn, int rd) {
        if (!fpEnabled(c)) return;
        c.setX(rd, c.v[2 * rn + 1]);
        c.pc += 4;
    }

    /** FMOV Vd.D[1], Xn: the low half is kept. */
    public static void fmovFromGeneralTop(Cpu c, int rn, int rd) {
        if (!fpEnabled(c)) return;
        c.v[2 * rd + 1] = c.x[rn];
        c.pc += 4;
    }
}
