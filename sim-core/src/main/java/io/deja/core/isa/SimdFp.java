package io.deja.core.isa;

import io.deja.core.cpu.Cpu;
import io.deja.core.fp.FpArith;
import io.deja.core.fp.FpCompare;
import io.deja.core.fp.FpConvert;
import io.deja.core.fp.FpEstimate;
import io.deja.core.fp.FpFormat;
import io.deja.core.fp.FpStatus;

/**
 * What the Advanced SIMD floating-point groups share: the FP environment of
 * one instruction, single (32-bit) and double (64-bit) lanes of a 128-bit
 * value held as two longs (read into locals before anything is written, as
 * Rd may be Rn or Rm; the lane layout is VectorLanes'), and the per-element
 * operations, each one call into {@code io.deja.core.fp}.
 *
 * <p>The common arithmetic (add, subtract, multiply, divide, fused
 * multiply-add, square root, integer to FP) has one small method per
 * operation working on one 64-bit half of a vector (one double or two
 * singles), which its handlers call once per half: no switch on the
 * operation and no shared lane loop, so each handler is small enough for
 * HotSpot to inline into a translated block, and its compiled code does not
 * depend on which other operations ran first. The rarer operations go
 * through {@link #binary} and {@link #unary}, one switch for all.
 */
final class SimdFp {
    private SimdFp() {}

    // Binary operations (three same, by element, pairwise, across lanes)
    static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAX = 4, MIN = 5, MAXNM = 6, MINNM = 7, MULX = 8,
            RECPS = 9, RSQRTS = 10, CMEQ = 11, CMGE = 12, CMGT = 13, ACGE = 14, ACGT = 15, ABD = 16,
            MLA = 17, MLS = 18;

    // Unary operations (two-register miscellaneous)
    static final int ABS = 0, NEG = 1, SQRT = 2, RINT = 3, RINTX = 4, CVT_S = 5, CVT_U = 6, SCVTF = 7, UCVTF = 8,
            CMGT0 = 9, CMEQ0 = 10, CMLT0 = 11, CMGE0 = 12, CMLE0 = 13, RECPE = 14, RSQRTE = 15, URECPE = 16,
            URSQRTE = 17, RECPX = 18;

    /** The rounding mode argument that means FPCR.RMode. */
    static final int FPCR_MODE = -1;

    static FpStatus env(Cpu c) {
        FpStatus st = c.fpStatus;
        st.fpcr = (int) c.fpcr;
        st.flags = 0;
        return st;
    }

    static void finish(Cpu c, FpStatus st) {
        c.fpsr |= st.flags;
        c.pc += 4;
    }

    /** Reserved (sz = 1 with Q = 0: a 64-bit vector of one double) is UNDEFINED; then the FPEN check. */
    static boolean vectorReady(Cpu c, int q, int sz) {
        if (sz == 1 && q == 0) {
            c.undefined();
            return false;
        }
        return FpScalar.fpEnabled(c);
    }

    /** Lanes of a vector: 2 or 4 singles, or 2 doubles. */
    static int lanes(int q, boolean d) {
        return d ? 2 : 2 << q;
    }

    /** Element i of the 128-bit value (lo, hi): size 2 (singles) or 3 (doubles) in VectorLanes' terms. */
    static long elem(long lo, long hi, int i, boolean d) {
        int size = d ? 3 : 2, per = VectorLanes.perHalf(size);
        return VectorLanes.field(i < per ? lo : hi, i & (per - 1), size);
    }

    /** The half that holds element i, with that element replaced by r. */
    static long put(long half, int i, long r, boolean d) {
        int size = d ? 3 : 2;
        return VectorLanes.withField(half, i & (VectorLanes.perHalf(size) - 1), size, r);
    }

    static long ones(boolean d) {
        return d ? -1L : 0xFFFF_FFFFL;
    }

    private static final long S = 0xFFFF_FFFFL;
    private static final long SIGN_D = 1L << 63, SIGN_SS = 0x8000_0000_8000_0000L;

    /** Two single results as one half: {@code lo} in bits 31:0, {@code hi} in 63:32. */
    static long pack(long lo, long hi) {
        return lo & S | hi << 32;
    }

    /** The sign bits of every element of a half (FPNeg of each is an XOR with them). */
    static long signs(boolean d) {
        return d ? SIGN_D : SIGN_SS;
    }

    /** Writes both halves of Vd (hi is 0 for a 64-bit vector) and the flags, and steps the PC. */
    static void store(Cpu c, int rd, long lo, long hi, FpStatus st) {
        c.v[2 * rd] = lo;
        c.v[2 * rd + 1] = hi;
        finish(c, st);
    }

    /** FPAdd of each element of one half. */
    static long addHalf(long n, long m, boolean d, FpStatus st) {
        if (d) return FpArith.add(n, m, true, st);
        return pack(FpArith.add(n & S, m & S, false, st), FpArith.add(n >>> 32, m >>> 32, false, st));
    }

    /** FPSub of each element of one half. */
    static long subHalf(long n, long m, boolean d, FpStatus st) {
        if (d) return FpArith.sub(n, m, true, st);
        return pack(FpArith.sub(n & S, m & S, false, st), FpArith.sub(n >>> 32, m >>> 32, false, st));
    }

    /** FPMul of each element of one half. */
    static long mulHalf(long n, long m, boolean d, FpStatus st) {
        if (d) return FpArith.mul(n, m, true, st);
        return pack(FpArith.mul(n & S, m & S, false, st), FpArith.mul(n >>> 32, m >>> 32, false, st));
    }

    /** FPDiv of each element of one half. */
    static long divHalf(long n, long m, boolean d, FpStatus st) {
        if (d) return FpArith.div(n, m, true, st);
        return pack(FpArith.div(n & S, m & S, false, st), FpArith.div(n >>> 32, m >>> 32, false, st));
    }

    /** FPMulAdd (acc + n*m, one rounding) of each element of one half. */
    static long mulAddHalf(long acc, long n, long m, boolean d, FpStatus st) {
        if (d) return FpArith.mulAdd(acc, n, m, true, st);
        return pack(FpArith.mulAdd(acc & S, n & S, m & S, false, st),
                FpArith.mulAdd(acc >>> 32, n >>> 32, m >>> 32, false, st));
    }

    /** FPSqrt of each element of one half. */
    static long sqrtHalf(long n, boolean d, FpStatus st) {
        if (d) return FpArith.sqrt(n, true, st);
        return pack(FpArith.sqrt(n & S, false, st), FpArith.sqrt(n >>> 32, false, st));
    }

    /** SCVTF or UCVTF (integer, FPCR's rounding mode) of each element of one half. */
    static long fromIntHalf(long n, boolean unsigned, boolean d, FpStatus st) {
        int mode = st.rounding();
        if (d) return FpConvert.fromFixed(n, 0, unsigned, mode, true, st);
        long lo = unsigned ? n & S : (int) n, hi = unsigned ? n >>> 32 : n >> 32;
        return pack(FpConvert.fromFixed(lo, 0, unsigned, mode, false, st),
                FpConvert.fromFixed(hi, 0, unsigned, mode, false, st));
    }

    /** A binary operation on one pair of elements; {@code acc} is the destination element (FMLA, FMLS). */
    static long binary(int op, long a, long b, long acc, boolean d, FpStatus st) {
        return switch (op) {
            case ADD -> FpArith.add(a, b, d, st);
            case SUB -> FpArith.sub(a, b, d, st);
            case MUL -> FpArith.mul(a, b, d, st);
            case DIV -> FpArith.div(a, b, d, st);
            case MAX -> FpArith.max(a, b, d, st);
            case MIN -> FpArith.min(a, b, d, st);
            case MAXNM -> FpArith.maxNum(a, b, d, st);
            case MINNM -> FpArith.minNum(a, b, d, st);
            case MULX -> FpArith.mulX(a, b, d, st);
            case RECPS -> FpArith.recipStepFused(a, b, d, st);
            case RSQRTS -> FpArith.rsqrtStepFused(a, b, d, st);
            case CMEQ -> FpCompare.equal(a, b, d, st) ? ones(d) : 0;
            case CMGE -> FpCompare.greaterEqual(a, b, d, st) ? ones(d) : 0;
            case CMGT -> FpCompare.greaterThan(a, b, d, st) ? ones(d) : 0;
            case ACGE -> FpCompare.greaterEqual(FpFormat.abs(a, d), FpFormat.abs(b, d), d, st) ? ones(d) : 0;
            case ACGT -> FpCompare.greaterThan(FpFormat.abs(a, d), FpFormat.abs(b, d), d, st) ? ones(d) : 0;
            // FPAbs of the difference clears the sign of a NaN result too
            case ABD -> FpFormat.abs(FpArith.sub(a, b, d, st), d);
            case MLA -> FpArith.mulAdd(acc, a, b, d, st);
            case MLS -> FpArith.mulAdd(acc, FpFormat.neg(a, d), b, d, st);
            default -> throw new IllegalArgumentException("operation " + op);
        };
    }

    /**
     * A unary operation on one element. {@code mode} is the rounding mode of
     * FRINT* and FCVT*S/U (FPCR_MODE: FPCR.RMode); {@code fbits} the fraction
     * bits of the fixed-point conversions (0 for the integer ones).
     */
    static long unary(int op, int mode, int fbits, long a, boolean d, FpStatus st) {
        int m = mode == FPCR_MODE ? st.rounding() : mode;
        int bits = d ? 64 : 32;
        return switch (op) {
            case ABS -> FpFormat.abs(a, d);
            case NEG -> FpFormat.neg(a, d);
            case SQRT -> FpArith.sqrt(a, d, st);
            case RINT -> FpConvert.roundInt(a, m, false, d, st);
            case RINTX -> FpConvert.roundInt(a, m, true, d, st);
            case CVT_S -> FpConvert.toFixed(a, fbits, false, bits, m, d, st);
            case CVT_U -> FpConvert.toFixed(a, fbits, true, bits, m, d, st);
            case SCVTF -> FpConvert.fromFixed(d ? a : (int) a, fbits, false, m, d, st);
            case UCVTF -> FpConvert.fromFixed(d ? a : a & 0xFFFF_FFFFL, fbits, true, m, d, st);
            case CMGT0 -> FpCompare.greaterThan(a, 0, d, st) ? ones(d) : 0;
            case CMEQ0 -> FpCompare.equal(a, 0, d, st) ? ones(d) : 0;
            case CMLT0 -> FpCompare.greaterThan(0, a, d, st) ? ones(d) : 0;
            case CMGE0 -> FpCompare.greaterEqual(a, 0, d, st) ? ones(d) : 0;
            case CMLE0 -> FpCompare.greaterEqual(0, a, d, st) ? ones(d) : 0;
            case RECPE -> FpEstimate.recip(a, d, st);
            case RSQRTE -> FpEstimate.rsqrt(a, d, st);
            case URECPE -> FpEstimate.unsignedRecip(a);
            case URSQRTE -> FpEstimate.unsignedRsqrt(a);
            case RECPX -> FpEstimate.recpX(a, d, st);
            default -> throw new IllegalArgumentException("operation " + op);
        };
    }
}
