package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Advanced SIMD modified immediate (Arm ARM C4.1.96): MOVI, MVNI, ORR and BIC
 * (vector, immediate) and FMOV (vector, immediate). Each row of
 * simd-perm.decode is one line of AdvSIMDExpandImm's cmode table; the
 * handlers build the 64-bit pattern that both halves of the result repeat.
 * op = 1, cmode = 1111 with Q = 0 and o2 = 1 (FP16 FMOV, not in ARMv8.0)
 * match no row: UNDEFINED.
 */
public final class SimdModifiedImm {
    private SimdModifiedImm() {}

    private static final int MOV = 0, MVN = 1, ORR = 2, BIC = 3;

    private static void apply(Cpu c, int q, long imm, int op, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        long lo, hi;
        switch (op) {
            case MOV -> lo = hi = imm;
            case MVN -> lo = hi = ~imm;
            case ORR -> {
                lo = c.v[2 * rd] | imm;
                hi = c.v[2 * rd + 1] | imm;
            }
            default -> {
                lo = c.v[2 * rd] & ~imm;
                hi = c.v[2 * rd + 1] & ~imm;
            }
        }
        VectorLanes.write(c, rd, lo, hi, q == 1);
        c.pc += 4;
    }

    /** imm8 in byte {@code byteIndex} of each 32-bit lane (cmode 0xx0, 0xx1). */
    private static long lane32(int byteIndex, int imm8) {
        return SimdCopy.replicate((long) imm8 << (8 * byteIndex), 2);
    }

    /** imm8 in byte {@code byteIndex} of each 16-bit lane (cmode 10x0, 10x1). */
    private static long lane16(int byteIndex, int imm8) {
        return SimdCopy.replicate((long) imm8 << (8 * byteIndex), 1);
    }

    /** imm8 shifted left by 8 or 16 with ones shifted in, in each 32-bit lane (cmode 110x, "MSL"). */
    private static long masking(int ones16, int imm8) {
        long lane = ones16 == 0 ? ((long) imm8 << 8) | 0xFF : ((long) imm8 << 16) | 0xFFFF;
        return SimdCopy.replicate(lane, 2);
    }

    /** MOVI, 32-bit shifted immediate */
    public static void movi32(Cpu c, int q, int miByte, int imm8, int rd) {
        apply(c, q, lane32(miByte, imm8), MOV, rd);
    }

    /** ORR (vector, immediate), 32-bit */
    public static void orr32(Cpu c, int q, int miByte, int imm8, int rd) {
        apply(c, q, lane32(miByte, imm8), ORR, rd);
    }

    /** MOVI, 16-bit shifted immediate */
    public static void movi16(Cpu c, int q, int miHalf, int imm8, int rd) {
        apply(c, q, lane16(miHalf, imm8), MOV, rd);
    }

    /** ORR (vector, immediate), 16-bit */
    public static void orr16(Cpu c, int q, int miHalf, int imm8, int rd) {
        apply(c, q, lane16(miHalf, imm8), ORR, rd);
    }

    /** MOVI, 32-bit shifting ones */
    public static void moviMsl(Cpu c, int q, int miOnes, int imm8, int rd) {
        apply(c, q, masking(miOnes, imm8), MOV, rd);
    }

    /** MOVI, 8-bit */
    public static void movi8(Cpu c, int q, int imm8, int rd) {
        apply(c, q, SimdCopy.replicate(imm8, 0), MOV, rd);
    }

    /** FMOV (vector, immediate), single precision: VFPExpandImm in each 32-bit lane. */
    public static void fmovSingle(Cpu c, int q, int imm8, int rd) {
        long b6 = (imm8 >>> 6) & 1;
        long single = ((long) (imm8 >>> 7) << 31) | ((b6 ^ 1) << 30) | ((b6 * 0x1F) << 25) | ((long) (imm8 & 0x3F) << 19);
        apply(c, q, SimdCopy.replicate(single, 2), MOV, rd);
    }

    /** MVNI, 32-bit shifted immediate */
    public static void mvni32(Cpu c, int q, int miByte, int imm8, int rd) {
        apply(c, q, lane32(miByte, imm8), MVN, rd);
    }

    /** BIC (vector, immediate), 32-bit */
    public static void bic32(Cpu c, int q, int miByte, int imm8, int rd) {
        apply(c, q, lane32(miByte, imm8), BIC, rd);
    }

    /** MVNI, 16-bit shifted immediate */
    public static void mvni16(Cpu c, int q, int miHalf, int imm8, int rd) {
        apply(c, q, lane16(miHalf, imm8), MVN, rd);
    }

    /** BIC (vector, immediate), 16-bit */
    public static void bic16(Cpu c, int q, int miHalf, int imm8, int rd) {
        apply(c, q, lane16(miHalf, imm8), BIC, rd);
    }

    /** MVNI, 32-bit shifting ones */
    public static void mvniMsl(Cpu c, int q, int miOnes, int imm8, int rd) {
        apply(c, q, masking(miOnes, imm8), MVN, rd);
    }

    /** MOVI, 64-bit byte mask (Dd with Q = 0, Vd.2D with Q = 1): each bit of imm8 fills one byte. */
    public static void movi64(Cpu c, int q, int imm8, int rd) {
        long imm = 0;
        for (int i = 0; i < 8; i++) if ((imm8 & (1 << i)) != 0) imm |= 0xFFL << (8 * i);
        apply(c, q, imm, MOV, rd);
    }

    /** FMOV (vector, immediate), double precision, 2D only. */
    public static void fmovDouble(Cpu c, int imm8, int rd) {
        long b6 = (imm8 >>> 6) & 1;
        long dbl = ((long) (imm8 >>> 7) << 63) | ((b6 ^ 1) << 62) | ((b6 * 0xFF) << 54) | ((long) (imm8 & 0x3F) << 48);
        apply(c, 1, dbl, MOV, rd);
    }
}
