package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

import static io.deja.core.isa.VectorLanes.field;
import static io.deja.core.isa.VectorLanes.mask;
import static io.deja.core.isa.VectorLanes.perHalf;
import static io.deja.core.isa.VectorLanes.withField;

/**
 * Advanced SIMD three same, integer and logical, and Advanced SIMD scalar
 * three same (Arm ARM C4.1.96). Every element operation is one case of
 * {@link #element}, shared by the vector and scalar forms; lanes are passed
 * zero-extended and sign-extended where the operation is signed. Saturation
 * sets FPSR.QC. Reserved size/Q values are UNDEFINED before the FPEN check.
 */
public final class SimdThreeSame {
    private SimdThreeSame() {}

    /** FPSR.QC, the cumulative saturation flag. */
    static final long QC = 1L << 27;

    static final int SHADD = 0, UHADD = 1, SRHADD = 2, URHADD = 3, SHSUB = 4, UHSUB = 5,
            SQADD = 6, UQADD = 7, SQSUB = 8, UQSUB = 9,
            CMGT = 10, CMHI = 11, CMGE = 12, CMHS = 13, CMEQ = 14, CMTST = 15,
            SSHL = 16, USHL = 17, SQSHL = 18, UQSHL = 19, SRSHL = 20, URSHL = 21, SQRSHL = 22, UQRSHL = 23,
            SMAX = 24, UMAX = 25, SMIN = 26, UMIN = 27, SABD = 28, UABD = 29, SABA = 30, UABA = 31,
            ADD = 32, SUB = 33, MLA = 34, MLS = 35, MUL = 36, PMUL = 37, SQDMULH = 38, SQRDMULH = 39;

    // ---- Element operations -----------------------------------------------------------

    /** x (the low 8 << size bits) sign-extended. */
    static long sx(long x, int size) {
        int s = 64 - (8 << size);
        return x << s >> s;
    }

    /** SignedSatQ: x clamped to a signed element of size {@code size} (< 3), QC set when clamped. */
    static long satSigned(Cpu c, long x, int size) {
        long max = (1L << ((8 << size) - 1)) - 1;
        if (x > max) {
            c.fpsr |= QC;
            return max;
        }
        if (x < -max - 1) {
            c.fpsr |= QC;
            return -max - 1;
        }
        return x;
    }

    /** UnsignedSatQ: signed x clamped to an unsigned element of size {@code size} (< 3), QC set when clamped. */
    static long satUnsigned(Cpu c, long x, int size) {
        long max = mask(size);
        if (x > max) {
            c.fpsr |= QC;
            return max;
        }
        if (x < 0) {
            c.fpsr |= QC;
            return 0;
        }
        return x;
    }

    static long sqadd(Cpu c, int size, long a, long b) {
        if (size < 3) return satSigned(c, sx(a, size) + sx(b, size), size);
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            c.fpsr |= QC;
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    static long sqsub(Cpu c, int size, long a, long b) {
        if (size < 3) return satSigned(c, sx(a, size) - sx(b, size), size);
        long r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) {
            c.fpsr |= QC;
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    static long uqadd(Cpu c, int size, long a, long b) {
        if (size < 3) return satUnsigned(c, a + b, size);
        long r = a + b;
        if (Long.compareUnsigned(r, a) < 0) {
            c.fpsr |= QC;
            return -1L;
        }
        return r;
    }

    static long uqsub(Cpu c, int size, long a, long b) {
        if (size < 3) return satUnsigned(c, a - b, size);
        if (Long.compareUnsigned(a, b) < 0) {
            c.fpsr |= QC;
            return 0;
        }
        return a - b;
    }

    /** x >> n for any n >= 0 (arithmetic), x >>> n likewise when {@code unsigned}. */
    private static long shiftRight(long x, int n, boolean unsigned) {
        if (unsigned) return n >= 64 ? 0 : x >>> n;
        return x >> Math.min(n, 63);
    }

    /**
     * The shift-by-register family (SSHL ... UQRSHL): element {@code x} (zero-
     * or sign-extended to 64 bits) shifted by the signed byte {@code shift},
     * left when positive, right (rounding: adding 1 << (-shift - 1) first, in
     * infinite precision) when negative; saturating forms clamp left shifts.
     * The caller keeps the element's low bits.
     */
    static long shiftByRegister(Cpu c, int size, long x, int shift, boolean unsigned, boolean rounding,
                                boolean saturating) {
        if (shift < 0) {
            int n = -shift;
            long r = shiftRight(x, n, unsigned);
            // (x + 2^(n-1)) >> n without overflow: add the last bit shifted out.
            if (rounding) r += shiftRight(x, n - 1, unsigned) & 1;
            return r;
        }
        if (x == 0) return 0;
        if (!saturating) return shift >= 64 ? 0 : x << shift;
        int bits = 8 << size;
        if (unsigned) {
            long max = mask(size);
            if (shift >= bits) {
                c.fpsr |= QC;
                return max;
            }
            long y = x << shift;
            if ((y >>> shift) != x || (bits < 64 && y > max)) {
                c.fpsr |= QC;
                return max;
            }
            return y;
        }
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        if (shift < bits) {
            long y = x << shift;
            if ((y >> shift) == x && y <= max && y >= -max - 1) return y;
        }
        c.fpsr |= QC;
        return x < 0 ? -max - 1 : max;
    }

    /** PolynomialMult of two bytes, the low 8 bits of the carry-less product. */
    static long polyMul(long a, long b, int bits) {
        long r = 0;
        for (int i = 0; i < bits; i++) if ((b >>> i & 1) != 0) r ^= a << i;
        return r;
    }

    /** SQDMULH/SQRDMULH on 16- or 32-bit elements: only INT_MIN * INT_MIN saturates. */
    static long doublingMulHigh(Cpu c, int size, long a, long b, boolean round) {
        int bits = 8 << size;
        long sa = sx(a, size), sb = sx(b, size);
        long min = -1L << (bits - 1);
        if (sa == min && sb == min) {
            c.fpsr |= QC;
            return ~min;
        }
        long p = 2 * sa * sb;
        if (round) p += 1L << (bits - 1);
        return p >> bits;
    }

    /** One element of operation {@code op}: a from Vn, b from Vm, acc from Vd, all zero-extended. */
    static long element(Cpu c, int op, int size, long a, long b, long acc) {
        return switch (op) {
            case SHADD -> (sx(a, size) + sx(b, size)) >> 1;
            case UHADD -> (a + b) >>> 1;
            case SRHADD -> (sx(a, size) + sx(b, size) + 1) >> 1;
            case URHADD -> (a + b + 1) >>> 1;
            case SHSUB -> (sx(a, size) - sx(b, size)) >> 1;
            case UHSUB -> (a - b) >> 1;
            case SQADD -> sqadd(c, size, sx(a, size), sx(b, size));
            case UQADD -> uqadd(c, size, a, b);
            case SQSUB -> sqsub(c, size, sx(a, size), sx(b, size));
            case UQSUB -> uqsub(c, size, a, b);
            case CMGT -> sx(a, size) > sx(b, size) ? -1 : 0;
            case CMHI -> Long.compareUnsigned(a, b) > 0 ? -1 : 0;
            case CMGE -> sx(a, size) >= sx(b, size) ? -1 : 0;
            case CMHS -> Long.compareUnsigned(a, b) >= 0 ? -1 : 0;
            case CMEQ -> a == b ? -1 : 0;
            case CMTST -> (a & b) != 0 ? -1 : 0;
            case SSHL -> shiftByRegister(c, size, sx(a, size), (byte) b, false, false, false);
            case USHL -> shiftByRegister(c, size, a, (byte) b, true, false, false);
            case SQSHL -> shiftByRegister(c, size, sx(a, size), (byte) b, false, false, true);
            case UQSHL -> shiftByRegister(c, size, a, (byte) b, true, false, true);
            case SRSHL -> shiftByRegister(c, size, sx(a, size), (byte) b, false, true, false);
            case URSHL -> shiftByRegister(c, size, a, (byte) b, true, true, false);
            case SQRSHL -> shiftByRegister(c, size, sx(a, size), (byte) b, false, true, true);
            case UQRSHL -> shiftByRegister(c, size, a, (byte) b, true, true, true);
            case SMAX -> Math.max(sx(a, size), sx(b, size));
            case UMAX -> Math.max(a, b);
            case SMIN -> Math.min(sx(a, size), sx(b, size));
            case UMIN -> Math.min(a, b);
            case SABD -> Math.abs(sx(a, size) - sx(b, size));
            case UABD -> Math.abs(a - b);
            case SABA -> acc + Math.abs(sx(a, size) - sx(b, size));
            case UABA -> acc + Math.abs(a - b);
            case ADD -> a + b;
            case SUB -> a - b;
            case MLA -> acc + a * b;
            case MLS -> acc - a * b;
            case MUL -> a * b;
            case PMUL -> polyMul(a, b, 8);
            case SQDMULH -> doublingMulHigh(c, size, a, b, false);
            case SQRDMULH -> doublingMulHigh(c, size, a, b, true);
            default -> throw new IllegalArgumentException("three-same op " + op);
        };
    }

    // ---- Vector, scalar and pairwise drivers ---------------------------------------

    private static long half(Cpu c, int op, int size, long n, long m, long d) {
        long r = 0;
        for (int j = 0, per = perHalf(size); j < per; j++) {
            r = withField(r, j, size, element(c, op, size, field(n, j, size), field(m, j, size), field(d, j, size)));
        }
        return r;
    }

    private static void vector(Cpu c, int op, int q, int size, int rm, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        long[] v = c.v;
        long nLo = v[2 * rn], nHi = v[2 * rn + 1], mLo = v[2 * rm], mHi = v[2 * rm + 1];
        long dLo = v[2 * rd], dHi = v[2 * rd + 1];
        long lo = half(c, op, size, nLo, mLo, dLo);
        long hi = q == 1 ? half(c, op, size, nHi, mHi, dHi) : 0;
        VectorLanes.write(c, rd, lo, hi, q == 1);
        c.pc += 4;
    }

    private static void scalar(Cpu c, int op, int size, int rm, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        long m = mask(size);
        long r = element(c, op, size, c.v[2 * rn] & m, c.v[2 * rm] & m, 0);
        VectorLanes.writeScalar(c, rd, size, r);
        c.pc += 4;
    }

    /** Result j of a pairwise operation on the 2 * perHalf elements of y:x: op(e[2j], e[2j + 1]). */
    private static long pairHalf(Cpu c, int op, int size, long x, long y) {
        int per = perHalf(size);
        long r = 0;
        for (int j = 0; j < per; j++) {
            int k = 2 * j;
            long a = k < per ? field(x, k, size) : field(y, k - per, size);
            long b = k + 1 < per ? field(x, k + 1, size) : field(y, k + 1 - per, size);
            r = withField(r, j, size, element(c, op, size, a, b, 0));
        }
        return r;
    }

    /** Pairwise forms: the pairs of Vm:Vn (Vn in the low half of the concatenation). */
    private static void pairwise(Cpu c, int op, int q, int size, int rm, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        long[] v = c.v;
        long nLo = v[2 * rn], nHi = v[2 * rn + 1], mLo = v[2 * rm], mHi = v[2 * rm + 1];
        if (q == 1) VectorLanes.write(c, rd, pairHalf(c, op, size, nLo, nHi), pairHalf(c, op, size, mLo, mHi), true);
        else VectorLanes.write(c, rd, pairHalf(c, op, size, nLo, mLo), 0, false);
        c.pc += 4;
    }

    /** Every element size; 64-bit elements only in a 128-bit vector. */
    private static void anySize(Cpu c, int op, int q, int size, int rm, int rn, int rd) {
        if (size == 3 && q == 0) c.undefined();
        else vector(c, op, q, size, rm, rn, rd);
    }

    /** 8-, 16- and 32-bit elements. */
    private static void noDoubleword(Cpu c, int op, int q, int size, int rm, int rn, int rd) {
        if (size == 3) c.undefined();
        else vector(c, op, q, size, rm, rn, rd);
    }

    private static void scalarDoubleword(Cpu c, int op, int size, int rm, int rn, int rd) {
        if (size != 3) c.undefined();
        else scalar(c, op, size, rm, rn, rd);
    }

    // ---- Handlers: vector -------------------------------------------------------------

    /** SHADD */
    public static void shadd(Cpu c, int q, int size, int rm, int rn, int rd) { noDoubleword(c, SHADD, q, size, rm, rn, rd); }
    /** UHADD */
    public static void uhadd(Cpu c, int q, int size, int rm, int rn, int rd) { noDoubleword(c, UHADD, q, size, rm, rn, rd); }
    /** SRHADD */
    public static void srhadd(Cpu c, int q, int size, int rm, int rn, int rd) { noDoubleword(c, SRHADD, q, size, rm, rn, rd); }
    /** URHADD */
    public static void urhadd(Cpu c, int q, int size, int rm, int rn, int rd) { noDoubleword(c, URHADD, q, size, rm, rn, rd); }
    /** SHSUB */
    public static void shsub(Cpu c, int q, int size, int rm, int rn, int rd) { noDoubleword(c, SHSUB, q, size, rm, rn, rd); }
    /** UHSUB */
    public static void uhsub(Cpu c, int q, int size, int rm, int rn, int rd) { noDoubleword(c, UHSUB, q, size, rm, rn, rd); }
    /** SQADD (vector) */
    public static void sqadd(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, SQADD, q, size, rm, rn, rd); }
    /** UQADD (vector) */
    public static void uqadd(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, UQADD, q, size, rm, rn, rd); }
    /** SQSUB (vector) */
    public static void sqsub(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, SQSUB, q, size, rm, rn, rd); }
    /** UQSUB (vector) */
    public static void uqsub(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, UQSUB, q, size, rm, rn, rd); }
    /** CMGT (register, vector) */
    public static void cmgt(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, CMGT, q, size, rm, rn, rd); }
    /** CMHI (register, vector) */
    public static void cmhi(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, CMHI, q, size, rm, rn, rd); }
    /** CMGE (register, vector) */
    public static void cmge(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, CMGE, q, size, rm, rn, rd); }
    /** CMHS (register, vector) */
    public static void cmhs(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, CMHS, q, size, rm, rn, rd); }
    /** CMEQ (register, vector) */
    public static void cmeq(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, CMEQ, q, size, rm, rn, rd); }
    /** CMTST (vector) */
    public static void cmtst(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, CMTST, q, size, rm, rn, rd); }
    /** SSHL (vector) */
    public static void sshl(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, SSHL, q, size, rm, rn, rd); }
    /** USHL (vector) */
    public static void ushl(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, USHL, q, size, rm, rn, rd); }
    /** SQSHL (register, vector) */
    public static void sqshl(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, SQSHL, q, size, rm, rn, rd); }
    /** UQSHL (register, vector) */
    public static void uqshl(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, UQSHL, q, size, rm, rn, rd); }
    /** SRSHL (vector) */
    public static void srshl(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, SRSHL, q, size, rm, rn, rd); }
    /** URSHL (vector) */
    public static void urshl(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, URSHL, q, size, rm, rn, rd); }
    /** SQRSHL (vector) */
    public static void sqrshl(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, SQRSHL, q, size, rm, rn, rd); }
    /** UQRSHL (vector) */
    public static void uqrshl(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, UQRSHL, q, size, rm, rn, rd); }
    /** SMAX */
    public static void smax(Cpu c, int q, int size, int rm, int rn, int rd) { noDoubleword(c, SMAX, q, size, rm, rn, rd); }
    /** UMAX */
    public static void umax(Cpu c, int q, int size, int rm, int rn, int rd) { noDoubleword(c, UMAX, q, size, rm, rn, rd); }
    /** SMIN */
    public static void smin(Cpu c, int q, int size, int rm, int rn, int rd) { noDoubleword(c, SMIN, q, size, rm, rn, rd); }
    /** UMIN */
    public static void umin(Cpu c, int q, int size, int rm, int rn, int rd) { noDoubleword(c, UMIN, q, size, rm, rn, rd); }
    /** SABD */
    public static void sabd(Cpu c, int q, int size, int rm, int rn, int rd) { noDoubleword(c, SABD, q, size, rm, rn, rd); }
    /** UABD */
    public static void uabd(Cpu c, int q, int size, int rm, int rn, int rd) { noDoubleword(c, UABD, q, size, rm, rn, rd); }
    /** SABA */
    public static void saba(Cpu c, int q, int size, int rm, int rn, int rd) { noDoubleword(c, SABA, q, size, rm, rn, rd); }
    /** UABA */
    public static void uaba(Cpu c, int q, int size, int rm, int rn, int rd) { noDoubleword(c, UABA, q, size, rm, rn, rd); }
    /** ADD (vector) */
    public static void add(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, ADD, q, size, rm, rn, rd); }
    /** SUB (vector) */
    public static void sub(Cpu c, int q, int size, int rm, int rn, int rd) { anySize(c, SUB, q, size, rm, rn, rd); }
    /** MLA (vector) */
    public static void mla(Cpu c, int q, int size, int rm, int rn, int rd) { noDoubleword(c, MLA, q, size, rm, rn, rd); }
    /** MLS (vector) */
    public static void mls(Cpu c, int q, int size, int rm, int rn, int rd) { noDoubleword(c, MLS, q, size, rm, rn, rd); }
    /** MUL (vector) */
    public static void mul(Cpu c, int q, int size, int rm, int rn, int rd) { noDoubleword(c, MUL, q, size, rm, rn, rd); }

    /** PMUL: bytes only. */
    public static void pmul(Cpu c, int q, int size, int rm, int rn, int rd) {
        if (size != 0) c.undefined();
        else vector(c, PMUL, q, size, rm, rn, rd);
    }

    /** SQDMULH (vector): 16- and 32-bit elements. */
    public static void sqdmulh(Cpu c, int q, int size, int rm, int rn, int rd) {
        if (size == 0 || size == 3) c.undefined();
        else vector(c, SQDMULH, q, size, rm, rn, rd);
    }

    /** SQRDMULH (vector): 16- and 32-bit elements. */
    public static void sqrdmulh(Cpu c, int q, int size, int rm, int rn, int rd) {
        if (size == 0 || size == 3) c.undefined();
        else vector(c, SQRDMULH, q, size, rm, rn, rd);
    }

    /** ADDP (vector) */
    public static void addp(Cpu c, int q, int size, int rm, int rn, int rd) {
        if (size == 3 && q == 0) c.undefined();
        else pairwise(c, ADD, q, size, rm, rn, rd);
    }

    /** SMAXP */
    public static void smaxp(Cpu c, int q, int size, int rm, int rn, int rd) {
        if (size == 3) c.undefined();
        else pairwise(c, SMAX, q, size, rm, rn, rd);
    }

    /** UMAXP */
    public static void umaxp(Cpu c, int q, int size, int rm, int rn, int rd) {
        if (size == 3) c.undefined();
        else pairwise(c, UMAX, q, size, rm, rn, rd);
    }

    /** SMINP */
    public static void sminp(Cpu c, int q, int size, int rm, int rn, int rd) {
        if (size == 3) c.undefined();
        else pairwise(c, SMIN, q, size, rm, rn, rd);
    }

    /** UMINP */
    public static void uminp(Cpu c, int q, int size, int rm, int rn, int rd) {
        if (size == 3) c.undefined();
        else pairwise(c, UMIN, q, size, rm, rn, rd);
    }

    // ---- Handlers: logical (size is the operation) --------------------------------------

    /** AND (vector) */
    public static void and(Cpu c, int q, int rm, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        VectorLanes.write(c, rd, c.v[2 * rn] & c.v[2 * rm], c.v[2 * rn + 1] & c.v[2 * rm + 1], q == 1);
        c.pc += 4;
    }

    /** BIC (vector, register) */
    public static void bic(Cpu c, int q, int rm, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        VectorLanes.write(c, rd, c.v[2 * rn] & ~c.v[2 * rm], c.v[2 * rn + 1] & ~c.v[2 * rm + 1], q == 1);
        c.pc += 4;
    }

    /** ORR (vector, register); MOV (vector) when Rn = Rm. */
    public static void orr(Cpu c, int q, int rm, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        VectorLanes.write(c, rd, c.v[2 * rn] | c.v[2 * rm], c.v[2 * rn + 1] | c.v[2 * rm + 1], q == 1);
        c.pc += 4;
    }

    /** ORN (vector) */
    public static void orn(Cpu c, int q, int rm, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        VectorLanes.write(c, rd, c.v[2 * rn] | ~c.v[2 * rm], c.v[2 * rn + 1] | ~c.v[2 * rm + 1], q == 1);
        c.pc += 4;
    }

    /** EOR (vector) */
    public static void eor(Cpu c, int q, int rm, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        VectorLanes.write(c, rd, c.v[2 * rn] ^ c.v[2 * rm], c.v[2 * rn + 1] ^ c.v[2 * rm + 1], q == 1);
        c.pc += 4;
    }

    private static final int BSL = 0, BIT = 1, BIF = 2;

    /** Arm ARM VBitOps: V[d] = operand1 EOR ((operand2 EOR V[n]) AND operand3). */
    private static void bitSelect(Cpu c, int q, int rm, int rn, int rd, int kind) {
        if (!FpScalar.fpEnabled(c)) return;
        long[] v = c.v;
        long nLo = v[2 * rn], nHi = v[2 * rn + 1], mLo = v[2 * rm], mHi = v[2 * rm + 1];
        long dLo = v[2 * rd], dHi = v[2 * rd + 1];
        long lo, hi;
        switch (kind) {
            case BSL -> { lo = mLo ^ ((mLo ^ nLo) & dLo); hi = mHi ^ ((mHi ^ nHi) & dHi); }
            case BIT -> { lo = dLo ^ ((dLo ^ nLo) & mLo); hi = dHi ^ ((dHi ^ nHi) & mHi); }
            default -> { lo = dLo ^ ((dLo ^ nLo) & ~mLo); hi = dHi ^ ((dHi ^ nHi) & ~mHi); }
        }
        VectorLanes.write(c, rd, lo, hi, q == 1);
        c.pc += 4;
    }

    /** BSL: each bit from Vn where Vd is 1, from Vm where it is 0. */
    public static void bsl(Cpu c, int q, int rm, int rn, int rd) { bitSelect(c, q, rm, rn, rd, BSL); }
    /** BIT: Vn's bits inserted into Vd where Vm is 1. */
    public static void bit(Cpu c, int q, int rm, int rn, int rd) { bitSelect(c, q, rm, rn, rd, BIT); }
    /** BIF: Vn's bits inserted into Vd where Vm is 0. */
    public static void bif(Cpu c, int q, int rm, int rn, int rd) { bitSelect(c, q, rm, rn, rd, BIF); }

    // ---- Handlers: scalar -------------------------------------------------------------

    /** SQADD (scalar) */
    public static void sqaddScalar(Cpu c, int size, int rm, int rn, int rd) { scalar(c, SQADD, size, rm, rn, rd); }
    /** UQADD (scalar) */
    public static void uqaddScalar(Cpu c, int size, int rm, int rn, int rd) { scalar(c, UQADD, size, rm, rn, rd); }
    /** SQSUB (scalar) */
    public static void sqsubScalar(Cpu c, int size, int rm, int rn, int rd) { scalar(c, SQSUB, size, rm, rn, rd); }
    /** UQSUB (scalar) */
    public static void uqsubScalar(Cpu c, int size, int rm, int rn, int rd) { scalar(c, UQSUB, size, rm, rn, rd); }
    /** CMGT (register, scalar): 64-bit only. */
    public static void cmgtScalar(Cpu c, int size, int rm, int rn, int rd) { scalarDoubleword(c, CMGT, size, rm, rn, rd); }
    /** CMHI (register, scalar) */
    public static void cmhiScalar(Cpu c, int size, int rm, int rn, int rd) { scalarDoubleword(c, CMHI, size, rm, rn, rd); }
    /** CMGE (register, scalar) */
    public static void cmgeScalar(Cpu c, int size, int rm, int rn, int rd) { scalarDoubleword(c, CMGE, size, rm, rn, rd); }
    /** CMHS (register, scalar) */
    public static void cmhsScalar(Cpu c, int size, int rm, int rn, int rd) { scalarDoubleword(c, CMHS, size, rm, rn, rd); }
    /** SSHL (scalar) */
    public static void sshlScalar(Cpu c, int size, int rm, int rn, int rd) { scalarDoubleword(c, SSHL, size, rm, rn, rd); }
    /** USHL (scalar) */
    public static void ushlScalar(Cpu c, int size, int rm, int rn, int rd) { scalarDoubleword(c, USHL, size, rm, rn, rd); }
    /** SQSHL (register, scalar): every size. */
    public static void sqshlScalar(Cpu c, int size, int rm, int rn, int rd) { scalar(c, SQSHL, size, rm, rn, rd); }
    /** UQSHL (register, scalar) */
    public static void uqshlScalar(Cpu c, int size, int rm, int rn, int rd) { scalar(c, UQSHL, size, rm, rn, rd); }
    /** SRSHL (scalar) */
    public static void srshlScalar(Cpu c, int size, int rm, int rn, int rd) { scalarDoubleword(c, SRSHL, size, rm, rn, rd); }
    /** URSHL (scalar) */
    public static void urshlScalar(Cpu c, int size, int rm, int rn, int rd) { scalarDoubleword(c, URSHL, size, rm, rn, rd); }
    /** SQRSHL (scalar): every size. */
    public static void sqrshlScalar(Cpu c, int size, int rm, int rn, int rd) { scalar(c, SQRSHL, size, rm, rn, rd); }
    /** UQRSHL (scalar) */
    public static void uqrshlScalar(Cpu c, int size, int rm, int rn, int rd) { scalar(c, UQRSHL, size, rm, rn, rd); }
    /** ADD (scalar) */
    public static void addScalar(Cpu c, int size, int rm, int rn, int rd) { scalarDoubleword(c, ADD, size, rm, rn, rd); }
    /** SUB (scalar) */
    public static void subScalar(Cpu c, int size, int rm, int rn, int rd) { scalarDoubleword(c, SUB, size, rm, rn, rd); }
    /** CMTST (scalar) */
    public static void cmtstScalar(Cpu c, int size, int rm, int rn, int rd) { scalarDoubleword(c, CMTST, size, rm, rn, rd); }
    /** CMEQ (register, scalar) */
    public static void cmeqScalar(Cpu c, int size, int rm, int rn, int rd) { scalarDoubleword(c, CMEQ, size, rm, rn, rd); }

    /** SQDMULH (scalar): 16- and 32-bit. */
    public static void sqdmulhScalar(Cpu c, int size, int rm, int rn, int rd) {
        if (size == 0 || size == 3) c.undefined();
        else scalar(c, SQDMULH, size, rm, rn, rd);
    }

    /** SQRDMULH (scalar): 16- and 32-bit. */
    public static void sqrdmulhScalar(Cpu c, int size, int rm, int rn, int rd) {
        if (size == 0 || size == 3) c.undefined();
        else scalar(c, SQRDMULH, size, rm, rn, rd);
    }
}
