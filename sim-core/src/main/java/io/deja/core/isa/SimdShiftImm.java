package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Advanced SIMD shift by immediate and scalar shift by immediate (Arm ARM
 * C4.1.96), except the fixed-point conversions of those groups.
 *
 * <p>immh:immb ({@code shimm}) encodes both the element size, 8 <<
 * HighestSetBit(immh), and the shift: right shifts by {@code 2 * esize -
 * shimm} (1 .. esize), left shifts by {@code shimm - esize} (0 .. esize - 1).
 * Narrowing shifts name the destination element size; long shifts the
 * source's. immh = 0000 is UNDEFINED here (in the vector group those words are
 * modified immediates unless o2 = 1); 64-bit elements need Q = 1 and cannot
 * be narrowed or widened. The 64-bit-only scalar rows pass immh<2:0>:immb
 * ({@code shimmD}): right shifts by {@code 64 - shimmD}, left by shimmD.
 * Saturation sets FPSR.QC.
 */
public final class SimdShiftImm {
    private SimdShiftImm() {}

    static final long QC = 1L << 27;

    // ---- Element arithmetic (on sign- or zero-extended 64-bit values) ------------

    /** x >> shift for 1 <= shift <= 64, arithmetic or logical, with rounding (adds bit shift-1). */
    static long shiftRight(long x, int shift, boolean unsigned, boolean round) {
        long r = shift >= 64 ? (unsigned ? 0 : x >> 63) : (unsigned ? x >>> shift : x >> shift);
        if (round) r += (x >>> (shift - 1)) & 1;
        return r;
    }

    /** SignedSatQ(x, esize) for esize < 64, setting QC when it saturates. */
    static long signedSat(Cpu c, long x, int esize) {
        long max = (1L << (esize - 1)) - 1, min = -max - 1;
        if (x > max) {
            c.fpsr |= QC;
            return max;
        }
        if (x < min) {
            c.fpsr |= QC;
            return min;
        }
        return x;
    }

    /** UnsignedSatQ(x, esize) of a signed x, esize < 64, setting QC when it saturates. */
    static long unsignedSat(Cpu c, long x, int esize) {
        long max = (1L << esize) - 1;
        if (x < 0) {
            c.fpsr |= QC;
            return 0;
        }
        if (x > max) {
            c.fpsr |= QC;
            return max;
        }
        return x;
    }

    /** SQSHL: signed x << s (0 <= s < esize) saturated to esize bits. */
    private static long sqshl(Cpu c, long x, int s, int esize) {
        if (esize < 64) return signedSat(c, x << s, esize); // |x| < 2^31, s < 32: exact
        long r = x << s;
        if (r >> s == x) return r;
        c.fpsr |= QC;
        return x < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    /** UQSHL: unsigned x << s saturated to esize bits. */
    private static long uqshl(Cpu c, long x, int s, int esize) {
        if (esize < 64) return unsignedSat(c, x << s, esize);
        if (s == 0 || x >>> (64 - s) == 0) return x << s;
        c.fpsr |= QC;
        return -1L;
    }

    /** SQSHLU: signed x << s saturated to an unsigned esize-bit result. */
    private static long sqshlu(Cpu c, long x, int s, int esize) {
        if (x < 0) {
            c.fpsr |= QC;
            return 0;
        }
        return uqshl(c, x, s, esize);
    }

    // ---- Vector, same element size ---------------------------------------------

    private static final int SHR = 0, SRA = 1, SHL = 2, SLI = 3, SRI = 4, SQSHL = 5, UQSHL = 6, SQSHLU = 7;

    /**
     * One same-size shift applied to element value x (extended per {@code unsigned}), d the destination's
     * element (accumulating and inserting forms); the result's low esize bits count.
     */
    private static long element(Cpu c, int op, long x, long d, int size, int shift, boolean unsigned, boolean round) {
        int esize = 8 << size;
        return switch (op) {
            case SHR -> shiftRight(x, shift, unsigned, round);
            case SRA -> d + shiftRight(x, shift, unsigned, round);
            case SHL -> x << shift;
            case SLI -> {
                long m = (VectorLanes.mask(size) << shift) & VectorLanes.mask(size);
                yield (d & ~m) | ((x << shift) & m);
            }
            case SRI -> {
                if (shift == esize) yield d;
                long m = VectorLanes.mask(size) >>> shift;
                yield (d & ~m) | ((x >>> shift) & m);
            }
            case SQSHL -> sqshl(c, x, shift, esize);
            case UQSHL -> uqshl(c, x, shift, esize);
            default -> sqshlu(c, x, shift, esize);
        };
    }

    private static boolean leftShift(int op) {
        return op == SHL || op == SLI || op == SQSHL || op == UQSHL || op == SQSHLU;
    }

    private static void vector(Cpu c, int q, int shimm, int rn, int rd, int op, boolean unsigned, boolean round) {
        int immh = shimm >>> 3;
        if (immh == 0 || (immh >= 8 && q == 0)) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        int size = 31 - Integer.numberOfLeadingZeros(immh), esize = 8 << size;
        int shift = leftShift(op) ? shimm - esize : 2 * esize - shimm;
        int per = VectorLanes.perHalf(size);
        long lo = 0, hi = 0;
        for (int i = 0; i < (q == 1 ? 2 * per : per); i++) {
            long x = unsigned ? VectorLanes.get(c, rn, i, size) : VectorLanes.getSigned(c, rn, i, size);
            long d = (op == SRA || op == SLI || op == SRI) ? VectorLanes.get(c, rd, i, size) : 0;
            long r = element(c, op, x, d, size, shift, unsigned, round);
            if (i < per) lo = VectorLanes.withField(lo, i, size, r);
            else hi = VectorLanes.withField(hi, i - per, size, r);
        }
        VectorLanes.write(c, rd, lo, hi, q == 1);
        c.pc += 4;
    }

    /** SSHR (vector) */
    public static void sshr(Cpu c, int q, int shimm, int rn, int rd) {
        vector(c, q, shimm, rn, rd, SHR, false, false);
    }

    /** USHR (vector) */
    public static void ushr(Cpu c, int q, int shimm, int rn, int rd) {
        vector(c, q, shimm, rn, rd, SHR, true, false);
    }

    /** SRSHR (vector) */
    public static void srshr(Cpu c, int q, int shimm, int rn, int rd) {
        vector(c, q, shimm, rn, rd, SHR, false, true);
    }

    /** URSHR (vector) */
    public static void urshr(Cpu c, int q, int shimm, int rn, int rd) {
        vector(c, q, shimm, rn, rd, SHR, true, true);
    }

    /** SSRA (vector) */
    public static void ssra(Cpu c, int q, int shimm, int rn, int rd) {
        vector(c, q, shimm, rn, rd, SRA, false, false);
    }

    /** USRA (vector) */
    public static void usra(Cpu c, int q, int shimm, int rn, int rd) {
        vector(c, q, shimm, rn, rd, SRA, true, false);
    }

    /** SRSRA (vector) */
    public static void srsra(Cpu c, int q, int shimm, int rn, int rd) {
        vector(c, q, shimm, rn, rd, SRA, false, true);
    }

    /** URSRA (vector) */
    public static void ursra(Cpu c, int q, int shimm, int rn, int rd) {
        vector(c, q, shimm, rn, rd, SRA, true, true);
    }

    /** SHL (vector) */
    public static void shl(Cpu c, int q, int shimm, int rn, int rd) {
        vector(c, q, shimm, rn, rd, SHL, true, false);
    }

    /** SLI (vector) */
    public static void sli(Cpu c, int q, int shimm, int rn, int rd) {
        vector(c, q, shimm, rn, rd, SLI, true, false);
    }

    /** SRI (vector) */
    public static void sri(Cpu c, int q, int shimm, int rn, int rd) {
        vector(c, q, shimm, rn, rd, SRI, true, false);
    }

    /** SQSHL (vector, immediate) */
    public static void sqshl(Cpu c, int q, int shimm, int rn, int rd) {
        vector(c, q, shimm, rn, rd, SQSHL, false, false);
    }

    /** UQSHL (vector, immediate) */
    public static void uqshl(Cpu c, int q, int shimm, int rn, int rd) {
        vector(c, q, shimm, rn, rd, UQSHL, true, false);
    }

    /** SQSHLU (vector) */
    public static void sqshlu(Cpu c, int q, int shimm, int rn, int rd) {
        vector(c, q, shimm, rn, rd, SQSHLU, false, false);
    }

    // ---- Narrowing (vector and scalar) -----------------------------------------

    /** Signed source, unsigned source, or signed source saturated to unsigned (SQSHRUN). */
    private static final int TRUNCATE = 0, SIGNED = 1, UNSIGNED = 2, SIGNED_TO_UNSIGNED = 3;

    /** One narrowed element: the 2*esize-bit element x shifted right and truncated or saturated to esize bits. */
    private static long narrow(Cpu c, long x, int shift, int esize, int kind, boolean round) {
        long r = shiftRight(x, shift, kind == TRUNCATE || kind == UNSIGNED, round);
        return switch (kind) {
            case SIGNED -> signedSat(c, r, esize);
            case SIGNED_TO_UNSIGNED -> unsignedSat(c, r, esize);
            // unsigned: rounding a 64-bit source shifted by 1 can reach 2^63, negative as a long
            case UNSIGNED -> {
                long max = (1L << esize) - 1;
                if (Long.compareUnsigned(r, max) <= 0) yield r;
                c.fpsr |= QC;
                yield max;
            }
            default -> r;
        };
    }

    /** Destination element size of a narrowing shift, or -1 when immh is 0000 or 1xxx (reserved). */
    private static int narrowSize(int shimm) {
        int immh = shimm >>> 3;
        return immh == 0 || immh >= 8 ? -1 : 31 - Integer.numberOfLeadingZeros(immh);
    }

    private static void narrowVector(Cpu c, int q, int shimm, int rn, int rd, int kind, boolean round) {
        int size = narrowSize(shimm);
        if (size < 0) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        int esize = 8 << size, shift = 2 * esize - shimm;
        int per = VectorLanes.perHalf(size);
        long r = 0;
        for (int i = 0; i < per; i++) {
            long x = kind == TRUNCATE || kind == UNSIGNED
                    ? VectorLanes.get(c, rn, i, size + 1) : VectorLanes.getSigned(c, rn, i, size + 1);
            r = VectorLanes.withField(r, i, size, narrow(c, x, shift, esize, kind, round));
        }
        // The "2" forms (Q = 1) write the upper half and keep the lower one.
        if (q == 1) c.v[2 * rd + 1] = r;
        else VectorLanes.write(c, rd, r, 0, false);
        c.pc += 4;
    }

    /** SHRN, SHRN2 */
    public static void shrn(Cpu c, int q, int shimm, int rn, int rd) {
        narrowVector(c, q, shimm, rn, rd, TRUNCATE, false);
    }

    /** RSHRN, RSHRN2 */
    public static void rshrn(Cpu c, int q, int shimm, int rn, int rd) {
        narrowVector(c, q, shimm, rn, rd, TRUNCATE, true);
    }

    /** SQSHRN, SQSHRN2 */
    public static void sqshrn(Cpu c, int q, int shimm, int rn, int rd) {
        narrowVector(c, q, shimm, rn, rd, SIGNED, false);
    }

    /** SQRSHRN, SQRSHRN2 */
    public static void sqrshrn(Cpu c, int q, int shimm, int rn, int rd) {
        narrowVector(c, q, shimm, rn, rd, SIGNED, true);
    }

    /** UQSHRN, UQSHRN2 */
    public static void uqshrn(Cpu c, int q, int shimm, int rn, int rd) {
        narrowVector(c, q, shimm, rn, rd, UNSIGNED, false);
    }

    /** UQRSHRN, UQRSHRN2 */
    public static void uqrshrn(Cpu c, int q, int shimm, int rn, int rd) {
        narrowVector(c, q, shimm, rn, rd, UNSIGNED, true);
    }

    /** SQSHRUN, SQSHRUN2 */
    public static void sqshrun(Cpu c, int q, int shimm, int rn, int rd) {
        narrowVector(c, q, shimm, rn, rd, SIGNED_TO_UNSIGNED, false);
    }

    /** SQRSHRUN, SQRSHRUN2 */
    public static void sqrshrun(Cpu c, int q, int shimm, int rn, int rd) {
        narrowVector(c, q, shimm, rn, rd, SIGNED_TO_UNSIGNED, true);
    }

    private static void narrowScalar(Cpu c, int shimm, int rn, int rd, int kind, boolean round) {
        int size = narrowSize(shimm);
        if (size < 0) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        int esize = 8 << size;
        long x = kind == UNSIGNED ? VectorLanes.get(c, rn, 0, size + 1) : VectorLanes.getSigned(c, rn, 0, size + 1);
        VectorLanes.writeScalar(c, rd, size, narrow(c, x, 2 * esize - shimm, esize, kind, round));
        c.pc += 4;
    }

    /** SQSHRN (scalar) */
    public static void sqshrnScalar(Cpu c, int shimm, int rn, int rd) {
        narrowScalar(c, shimm, rn, rd, SIGNED, false);
    }

    /** SQRSHRN (scalar) */
    public static void sqrshrnScalar(Cpu c, int shimm, int rn, int rd) {
        narrowScalar(c, shimm, rn, rd, SIGNED, true);
    }

    /** UQSHRN (scalar) */
    public static void uqshrnScalar(Cpu c, int shimm, int rn, int rd) {
        narrowScalar(c, shimm, rn, rd, UNSIGNED, false);
    }

    /** UQRSHRN (scalar) */
    public static void uqrshrnScalar(Cpu c, int shimm, int rn, int rd) {
        narrowScalar(c, shimm, rn, rd, UNSIGNED, true);
    }

    /** SQSHRUN (scalar) */
    public static void sqshrunScalar(Cpu c, int shimm, int rn, int rd) {
        narrowScalar(c, shimm, rn, rd, SIGNED_TO_UNSIGNED, false);
    }

    /** SQRSHRUN (scalar) */
    public static void sqrshrunScalar(Cpu c, int shimm, int rn, int rd) {
        narrowScalar(c, shimm, rn, rd, SIGNED_TO_UNSIGNED, true);
    }

    // ---- Long (vector) ---------------------------------------------------------

    private static void widen(Cpu c, int q, int shimm, int rn, int rd, boolean unsigned) {
        int size = narrowSize(shimm);
        if (size < 0) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        int esize = 8 << size, shift = shimm - esize;
        int per = VectorLanes.perHalf(size), outPer = per / 2;
        long src = c.v[2 * rn + q];
        long lo = 0, hi = 0;
        for (int i = 0; i < per; i++) {
            long x = unsigned ? VectorLanes.field(src, i, size) : VectorLanes.signedField(src, i, size);
            if (i < outPer) lo = VectorLanes.withField(lo, i, size + 1, x << shift);
            else hi = VectorLanes.withField(hi, i - outPer, size + 1, x << shift);
        }
        VectorLanes.write(c, rd, lo, hi, true);
        c.pc += 4;
    }

    /** SSHLL, SSHLL2 (SXTL with a shift of 0) */
    public static void sshll(Cpu c, int q, int shimm, int rn, int rd) {
        widen(c, q, shimm, rn, rd, false);
    }

    /** USHLL, USHLL2 (UXTL with a shift of 0) */
    public static void ushll(Cpu c, int q, int shimm, int rn, int rd) {
        widen(c, q, shimm, rn, rd, true);
    }

    // ---- Scalar, 64-bit only -----------------------------------------------------

    private static void scalarD(Cpu c, int shimmD, int rn, int rd, int op, boolean unsigned, boolean round) {
        if (!FpScalar.fpEnabled(c)) return;
        int shift = leftShift(op) ? shimmD : 64 - shimmD;
        long d = (op == SRA || op == SLI || op == SRI) ? c.v[2 * rd] : 0;
        VectorLanes.writeScalar(c, rd, 3, element(c, op, c.v[2 * rn], d, 3, shift, unsigned, round));
        c.pc += 4;
    }

    /** SSHR (scalar) */
    public static void sshrScalar(Cpu c, int shimmD, int rn, int rd) {
        scalarD(c, shimmD, rn, rd, SHR, false, false);
    }

    /** USHR (scalar) */
    public static void ushrScalar(Cpu c, int shimmD, int rn, int rd) {
        scalarD(c, shimmD, rn, rd, SHR, true, false);
    }

    /** SRSHR (scalar) */
    public static void srshrScalar(Cpu c, int shimmD, int rn, int rd) {
        scalarD(c, shimmD, rn, rd, SHR, false, true);
    }

    /** URSHR (scalar) */
    public static void urshrScalar(Cpu c, int shimmD, int rn, int rd) {
        scalarD(c, shimmD, rn, rd, SHR, true, true);
    }

    /** SSRA (scalar) */
    public static void ssraScalar(Cpu c, int shimmD, int rn, int rd) {
        scalarD(c, shimmD, rn, rd, SRA, false, false);
    }

    /** USRA (scalar) */
    public static void usraScalar(Cpu c, int shimmD, int rn, int rd) {
        scalarD(c, shimmD, rn, rd, SRA, true, false);
    }

    /** SRSRA (scalar) */
    public static void srsraScalar(Cpu c, int shimmD, int rn, int rd) {
        scalarD(c, shimmD, rn, rd, SRA, false, true);
    }

    /** URSRA (scalar) */
    public static void ursraScalar(Cpu c, int shimmD, int rn, int rd) {
        scalarD(c, shimmD, rn, rd, SRA, true, true);
    }

    /** SHL (scalar) */
    public static void shlScalar(Cpu c, int shimmD, int rn, int rd) {
        scalarD(c, shimmD, rn, rd, SHL, true, false);
    }

    /** SLI (scalar) */
    public static void sliScalar(Cpu c, int shimmD, int rn, int rd) {
        scalarD(c, shimmD, rn, rd, SLI, true, false);
    }

    /** SRI (scalar) */
    public static void sriScalar(Cpu c, int shimmD, int rn, int rd) {
        scalarD(c, shimmD, rn, rd, SRI, true, false);
    }

    // ---- Scalar saturating left shifts, every size ---------------------------------

    private static void saturatingScalar(Cpu c, int shimm, int rn, int rd, int op, boolean unsigned) {
        int immh = shimm >>> 3;
        if (immh == 0) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        int size = 31 - Integer.numberOfLeadingZeros(immh);
        long x = unsigned ? VectorLanes.get(c, rn, 0, size) : VectorLanes.getSigned(c, rn, 0, size);
        VectorLanes.writeScalar(c, rd, size, element(c, op, x, 0, size, shimm - (8 << size), unsigned, false));
        c.pc += 4;
    }

    /** SQSHL (scalar, immediate) */
    public static void sqshlScalar(Cpu c, int shimm, int rn, int rd) {
        saturatingScalar(c, shimm, rn, rd, SQSHL, false);
    }

    /** UQSHL (scalar, immediate) */
    public static void uqshlScalar(Cpu c, int shimm, int rn, int rd) {
        saturatingScalar(c, shimm, rn, rd, UQSHL, true);
    }

    /** SQSHLU (scalar) */
    public static void sqshluScalar(Cpu c, int shimm, int rn, int rd) {
        saturatingScalar(c, shimm, rn, rd, SQSHLU, false);
    }
}
