package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

import static io.deja.core.isa.SimdThreeSame.QC;
import static io.deja.core.isa.SimdThreeSame.satSigned;
import static io.deja.core.isa.SimdThreeSame.satUnsigned;
import static io.deja.core.isa.SimdThreeSame.sx;
import static io.deja.core.isa.VectorLanes.field;
import static io.deja.core.isa.VectorLanes.mask;
import static io.deja.core.isa.VectorLanes.perHalf;
import static io.deja.core.isa.VectorLanes.withField;

/**
 * Advanced SIMD two-register miscellaneous, integer forms, and the scalar
 * two-register miscellaneous integer forms (Arm ARM C4.1.96). Element
 * operations are the cases of {@link #element}; element reversal, pairwise
 * long adds and narrowing have drivers of their own. Saturation sets FPSR.QC.
 */
public final class SimdTwoRegMisc {
    private SimdTwoRegMisc() {}

    private static final int SUQADD = 0, USQADD = 1, CLS = 2, CLZ = 3, CNT = 4, RBIT = 5, SQABS = 6, SQNEG = 7,
            CMGT0 = 8, CMGE0 = 9, CMEQ0 = 10, CMLE0 = 11, CMLT0 = 12, ABS = 13, NEG = 14;

    /** SUQADD: signed acc plus unsigned a, saturated to signed. */
    private static long suqadd(Cpu c, int size, long acc, long a) {
        if (size < 3) return satSigned(c, sx(acc, size) + a, size);
        // The true sum exceeds Long.MAX_VALUE exactly when a > MAX - acc as unsigned (MAX - acc lies in [0, 2^64)).
        if (Long.compareUnsigned(a, Long.MAX_VALUE - acc) > 0) {
            c.fpsr |= QC;
            return Long.MAX_VALUE;
        }
        return acc + a;
    }

    /** USQADD: unsigned acc plus signed a, saturated to unsigned. */
    private static long usqadd(Cpu c, int size, long acc, long a) {
        if (size < 3) return satUnsigned(c, acc + sx(a, size), size);
        long r = acc + a;
        if (a >= 0 ? Long.compareUnsigned(r, acc) < 0 : Long.compareUnsigned(acc, -a) < 0) {
            c.fpsr |= QC;
            return a >= 0 ? -1L : 0;
        }
        return r;
    }

    /** Negation of signed x, saturated (only the most negative value saturates). */
    private static long sqneg(Cpu c, int size, long x) {
        long min = size == 3 ? Long.MIN_VALUE : -1L << ((8 << size) - 1);
        if (x == min) {
            c.fpsr |= QC;
            return ~min;
        }
        return -x;
    }

    /** One element: a from Vn (zero-extended), acc from Vd. */
    private static long element(Cpu c, int op, int size, long a, long acc) {
        int bits = 8 << size;
        return switch (op) {
            case SUQADD -> suqadd(c, size, acc, a);
            case USQADD -> usqadd(c, size, acc, a);
            case CLS -> {
                long s = sx(a, size);
                yield Long.numberOfLeadingZeros(s ^ (s >> 1)) - (64 - bits) - 1;
            }
            case CLZ -> Long.numberOfLeadingZeros(a) - (64 - bits);
            case CNT -> Long.bitCount(a);
            case RBIT -> Integer.reverse((int) a) >>> 24;
            case SQABS -> sx(a, size) < 0 ? sqneg(c, size, sx(a, size)) : a;
            case SQNEG -> sqneg(c, size, sx(a, size));
            case CMGT0 -> sx(a, size) > 0 ? -1 : 0;
            case CMGE0 -> sx(a, size) >= 0 ? -1 : 0;
            case CMEQ0 -> a == 0 ? -1 : 0;
            case CMLE0 -> sx(a, size) <= 0 ? -1 : 0;
            case CMLT0 -> sx(a, size) < 0 ? -1 : 0;
            case ABS -> Math.abs(sx(a, size));
            case NEG -> -a;
            default -> throw new IllegalArgumentException("two-reg misc op " + op);
        };
    }

    private static long half(Cpu c, int op, int size, long n, long d) {
        long r = 0;
        for (int j = 0, per = perHalf(size); j < per; j++) r = withField(r, j, size, element(c, op, size, field(n, j, size), field(d, j, size)));
        return r;
    }

    private static void vector(Cpu c, int op, int q, int size, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        long[] v = c.v;
        long nLo = v[2 * rn], nHi = v[2 * rn + 1], dLo = v[2 * rd], dHi = v[2 * rd + 1];
        long lo = half(c, op, size, nLo, dLo);
        long hi = q == 1 ? half(c, op, size, nHi, dHi) : 0;
        VectorLanes.write(c, rd, lo, hi, q == 1);
        c.pc += 4;
    }

    /** Every element size; 64-bit elements only in a 128-bit vector. */
    private static void anySize(Cpu c, int op, int q, int size, int rn, int rd) {
        if (size == 3 && q == 0) c.undefined();
        else vector(c, op, q, size, rn, rd);
    }

    private static void noDoubleword(Cpu c, int op, int q, int size, int rn, int rd) {
        if (size == 3) c.undefined();
        else vector(c, op, q, size, rn, rd);
    }

    private static void scalar(Cpu c, int op, int size, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        long m = mask(size);
        VectorLanes.writeScalar(c, rd, size, element(c, op, size, c.v[2 * rn] & m, c.v[2 * rd] & m));
        c.pc += 4;
    }

    private static void scalarDoubleword(Cpu c, int op, int size, int rn, int rd) {
        if (size != 3) c.undefined();
        else scalar(c, op, size, rn, rd);
    }

    // ---- Element reversal ---------------------------------------------------------------

    /** REV16/REV32/REV64: the elements of each container of 8 << containerSize bits in reverse order. */
    private static void reverse(Cpu c, int containerSize, int q, int size, int rn, int rd) {
        if (size >= containerSize) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        int flip = (1 << (containerSize - size)) - 1;
        long nLo = c.v[2 * rn], nHi = c.v[2 * rn + 1], lo = 0, hi = 0;
        for (int j = 0, per = perHalf(size); j < per; j++) {
            lo = withField(lo, j ^ flip, size, field(nLo, j, size));
            hi = withField(hi, j ^ flip, size, field(nHi, j, size));
        }
        VectorLanes.write(c, rd, lo, hi, q == 1);
        c.pc += 4;
    }

    /** REV64 (vector) */
    public static void rev64(Cpu c, int q, int size, int rn, int rd) { reverse(c, 3, q, size, rn, rd); }
    /** REV32 (vector) */
    public static void rev32(Cpu c, int q, int size, int rn, int rd) { reverse(c, 2, q, size, rn, rd); }
    /** REV16 (vector) */
    public static void rev16(Cpu c, int q, int size, int rn, int rd) { reverse(c, 1, q, size, rn, rd); }

    // ---- Pairwise long adds ---------------------------------------------------------------

    private static long pairwiseLongHalf(int size, boolean unsigned, long x, long acc, boolean accumulate) {
        int wide = size + 1;
        long r = 0;
        for (int j = 0, perWide = perHalf(wide); j < perWide; j++) {
            long a = field(x, 2 * j, size), b = field(x, 2 * j + 1, size);
            if (!unsigned) {
                a = sx(a, size);
                b = sx(b, size);
            }
            long sum = a + b;
            if (accumulate) sum += field(acc, j, wide);
            r = withField(r, j, wide, sum);
        }
        return r;
    }

    private static void pairwiseLong(Cpu c, boolean unsigned, boolean accumulate, int q, int size, int rn, int rd) {
        if (size == 3) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        long[] v = c.v;
        long nLo = v[2 * rn], nHi = v[2 * rn + 1], dLo = v[2 * rd], dHi = v[2 * rd + 1];
        long lo = pairwiseLongHalf(size, unsigned, nLo, dLo, accumulate);
        long hi = q == 1 ? pairwiseLongHalf(size, unsigned, nHi, dHi, accumulate) : 0;
        VectorLanes.write(c, rd, lo, hi, q == 1);
        c.pc += 4;
    }

    /** SADDLP */
    public static void saddlp(Cpu c, int q, int size, int rn, int rd) { pairwiseLong(c, false, false, q, size, rn, rd); }
    /** UADDLP */
    public static void uaddlp(Cpu c, int q, int size, int rn, int rd) { pairwiseLong(c, true, false, q, size, rn, rd); }
    /** SADALP */
    public static void sadalp(Cpu c, int q, int size, int rn, int rd) { pairwiseLong(c, false, true, q, size, rn, rd); }
    /** UADALP */
    public static void uadalp(Cpu c, int q, int size, int rn, int rd) { pairwiseLong(c, true, true, q, size, rn, rd); }

    // ---- Narrowing and widening ----------------------------------------------------------

    private static final int XTN = 0, SQXTN = 1, UQXTN = 2, SQXTUN = 3;

    /** One narrowed element: wide element a (zero-extended, of size size + 1) to size {@code size}. */
    private static long narrow(Cpu c, int kind, int size, long a) {
        int wide = size + 1;
        return switch (kind) {
            case XTN -> a;
            case SQXTN -> satSigned(c, sx(a, wide), size);
            case UQXTN -> {
                if (Long.compareUnsigned(a, mask(size)) > 0) {
                    c.fpsr |= QC;
                    yield mask(size);
                }
                yield a;
            }
            default -> satUnsigned(c, sx(a, wide), size);   // SQXTUN
        };
    }

    private static void narrowVector(Cpu c, int kind, int q, int size, int rn, int rd) {
        if (size == 3) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        long[] v = c.v;
        int wide = size + 1, perWide = perHalf(wide);
        long r = 0;
        for (int j = 0; j < 2 * perWide; j++) {
            int h = j < perWide ? 0 : 1;
            r = withField(r, j, size, narrow(c, kind, size, field(v[2 * rn + h], j - h * perWide, wide)));
        }
        if (q == 1) VectorLanes.write(c, rd, v[2 * rd], r, true);
        else VectorLanes.write(c, rd, r, 0, false);
        c.pc += 4;
    }

    private static void narrowScalar(Cpu c, int kind, int size, int rn, int rd) {
        if (size == 3) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        VectorLanes.writeScalar(c, rd, size, narrow(c, kind, size, field(c.v[2 * rn], 0, size + 1)));
        c.pc += 4;
    }

    /** XTN, XTN2 */
    public static void xtn(Cpu c, int q, int size, int rn, int rd) { narrowVector(c, XTN, q, size, rn, rd); }
    /** SQXTN, SQXTN2 (vector) */
    public static void sqxtn(Cpu c, int q, int size, int rn, int rd) { narrowVector(c, SQXTN, q, size, rn, rd); }
    /** UQXTN, UQXTN2 (vector) */
    public static void uqxtn(Cpu c, int q, int size, int rn, int rd) { narrowVector(c, UQXTN, q, size, rn, rd); }
    /** SQXTUN, SQXTUN2 (vector) */
    public static void sqxtun(Cpu c, int q, int size, int rn, int rd) { narrowVector(c, SQXTUN, q, size, rn, rd); }
    /** SQXTN (scalar) */
    public static void sqxtnScalar(Cpu c, int size, int rn, int rd) { narrowScalar(c, SQXTN, size, rn, rd); }
    /** UQXTN (scalar) */
    public static void uqxtnScalar(Cpu c, int size, int rn, int rd) { narrowScalar(c, UQXTN, size, rn, rd); }
    /** SQXTUN (scalar) */
    public static void sqxtunScalar(Cpu c, int size, int rn, int rd) { narrowScalar(c, SQXTUN, size, rn, rd); }

    /** SHLL, SHLL2: each element of one half widened and shifted left by its own size. */
    public static void shll(Cpu c, int q, int size, int rn, int rd) {
        if (size == 3) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        long n = c.v[2 * rn + q];
        int wide = size + 1, bits = 8 << size, perWide = perHalf(wide);
        long lo = 0, hi = 0;
        for (int j = 0; j < 2 * perWide; j++) {
            long r = field(n, j, size) << bits;
            if (j < perWide) lo = withField(lo, j, wide, r);
            else hi = withField(hi, j - perWide, wide, r);
        }
        VectorLanes.write(c, rd, lo, hi, true);
        c.pc += 4;
    }

    // ---- Handlers: element-wise, vector ---------------------------------------------------

    /** SUQADD (vector) */
    public static void suqadd(Cpu c, int q, int size, int rn, int rd) { anySize(c, SUQADD, q, size, rn, rd); }
    /** USQADD (vector) */
    public static void usqadd(Cpu c, int q, int size, int rn, int rd) { anySize(c, USQADD, q, size, rn, rd); }
    /** CLS (vector) */
    public static void cls(Cpu c, int q, int size, int rn, int rd) { noDoubleword(c, CLS, q, size, rn, rd); }
    /** CLZ (vector) */
    public static void clz(Cpu c, int q, int size, int rn, int rd) { noDoubleword(c, CLZ, q, size, rn, rd); }

    /** CNT: bytes only. */
    public static void cnt(Cpu c, int q, int size, int rn, int rd) {
        if (size != 0) c.undefined();
        else vector(c, CNT, q, size, rn, rd);
    }

    /** RBIT (vector): size 01 (size 00 is NOT, its own row; 1x is unallocated). */
    public static void rbit(Cpu c, int q, int size, int rn, int rd) {
        if (size != 1) c.undefined();
        else vector(c, RBIT, q, 0, rn, rd);
    }

    /** NOT (MVN) */
    public static void not(Cpu c, int q, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        VectorLanes.write(c, rd, ~c.v[2 * rn], ~c.v[2 * rn + 1], q == 1);
        c.pc += 4;
    }

    /** SQABS (vector) */
    public static void sqabs(Cpu c, int q, int size, int rn, int rd) { anySize(c, SQABS, q, size, rn, rd); }
    /** SQNEG (vector) */
    public static void sqneg(Cpu c, int q, int size, int rn, int rd) { anySize(c, SQNEG, q, size, rn, rd); }
    /** CMGT (zero, vector) */
    public static void cmgtZero(Cpu c, int q, int size, int rn, int rd) { anySize(c, CMGT0, q, size, rn, rd); }
    /** CMGE (zero, vector) */
    public static void cmgeZero(Cpu c, int q, int size, int rn, int rd) { anySize(c, CMGE0, q, size, rn, rd); }
    /** CMEQ (zero, vector) */
    public static void cmeqZero(Cpu c, int q, int size, int rn, int rd) { anySize(c, CMEQ0, q, size, rn, rd); }
    /** CMLE (zero, vector) */
    public static void cmleZero(Cpu c, int q, int size, int rn, int rd) { anySize(c, CMLE0, q, size, rn, rd); }
    /** CMLT (zero, vector) */
    public static void cmltZero(Cpu c, int q, int size, int rn, int rd) { anySize(c, CMLT0, q, size, rn, rd); }
    /** ABS (vector) */
    public static void abs(Cpu c, int q, int size, int rn, int rd) { anySize(c, ABS, q, size, rn, rd); }
    /** NEG (vector) */
    public static void neg(Cpu c, int q, int size, int rn, int rd) { anySize(c, NEG, q, size, rn, rd); }

    // ---- Handlers: element-wise, scalar ---------------------------------------------------

    /** SUQADD (scalar) */
    public static void suqaddScalar(Cpu c, int size, int rn, int rd) { scalar(c, SUQADD, size, rn, rd); }
    /** USQADD (scalar) */
    public static void usqaddScalar(Cpu c, int size, int rn, int rd) { scalar(c, USQADD, size, rn, rd); }
    /** SQABS (scalar) */
    public static void sqabsScalar(Cpu c, int size, int rn, int rd) { scalar(c, SQABS, size, rn, rd); }
    /** SQNEG (scalar) */
    public static void sqnegScalar(Cpu c, int size, int rn, int rd) { scalar(c, SQNEG, size, rn, rd); }
    /** CMGT (zero, scalar): 64-bit only. */
    public static void cmgtZeroScalar(Cpu c, int size, int rn, int rd) { scalarDoubleword(c, CMGT0, size, rn, rd); }
    /** CMGE (zero, scalar) */
    public static void cmgeZeroScalar(Cpu c, int size, int rn, int rd) { scalarDoubleword(c, CMGE0, size, rn, rd); }
    /** CMEQ (zero, scalar) */
    public static void cmeqZeroScalar(Cpu c, int size, int rn, int rd) { scalarDoubleword(c, CMEQ0, size, rn, rd); }
    /** CMLE (zero, scalar) */
    public static void cmleZeroScalar(Cpu c, int size, int rn, int rd) { scalarDoubleword(c, CMLE0, size, rn, rd); }
    /** CMLT (zero, scalar) */
    public static void cmltZeroScalar(Cpu c, int size, int rn, int rd) { scalarDoubleword(c, CMLT0, size, rn, rd); }
    /** ABS (scalar) */
    public static void absScalar(Cpu c, int size, int rn, int rd) { scalarDoubleword(c, ABS, size, rn, rd); }
    /** NEG (scalar) */
    public static void negScalar(Cpu c, int size, int rn, int rd) { scalarDoubleword(c, NEG, size, rn, rd); }
}
