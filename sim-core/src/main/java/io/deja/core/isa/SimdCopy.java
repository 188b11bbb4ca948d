package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Advanced SIMD copy and scalar copy (Arm ARM C4.1.96): DUP (element,
 * general), SMOV, UMOV, INS (general, element) and DUP (scalar, element),
 * alias MOV. imm5's lowest set bit is the element size, the bits above it the
 * element index; imm5 = x0000 is reserved, and so is every size the
 * instruction cannot use (DUP of a 64-bit element into a 64-bit vector, SMOV
 * to the width of its element or wider, UMOV to a register of another width).
 */
public final class SimdCopy {
    private SimdCopy() {}

    /** Element size encoded by imm5 (4 for the reserved x0000). */
    static int size(int imm5) {
        return Integer.numberOfTrailingZeros(imm5 | 0x10);
    }

    /** The low {@code 8 << size} bits of e repeated across 64 bits. */
    static long replicate(long e, int size) {
        return switch (size) {
            case 0 -> (e & 0xFF) * 0x0101_0101_0101_0101L;
            case 1 -> (e & 0xFFFF) * 0x0001_0001_0001_0001L;
            case 2 -> (e & 0xFFFF_FFFFL) * 0x0000_0001_0000_0001L;
            default -> e;
        };
    }

    /** DUP (element): Vd.T = Vn.Ts[index] in every lane. */
    public static void dupElement(Cpu c, int q, int imm5, int rn, int rd) {
        int size = size(imm5);
        if (size > 3 || (size == 3 && q == 0)) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        long r = replicate(VectorLanes.get(c, rn, imm5 >>> (size + 1), size), size);
        VectorLanes.write(c, rd, r, r, q == 1);
        c.pc += 4;
    }

    /** DUP (general): the low bits of Xn/Wn in every lane. */
    public static void dupGeneral(Cpu c, int q, int imm5, int rn, int rd) {
        int size = size(imm5);
        if (size > 3 || (size == 3 && q == 0)) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        long r = replicate(c.x[rn], size);
        VectorLanes.write(c, rd, r, r, q == 1);
        c.pc += 4;
    }

    /** SMOV: a signed element to Wd (Q = 0: bytes and halfwords) or Xd (Q = 1: up to words). */
    public static void smov(Cpu c, int q, int imm5, int rn, int rd) {
        int size = size(imm5);
        if (size > (q == 1 ? 2 : 1)) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        long e = VectorLanes.getSigned(c, rn, imm5 >>> (size + 1), size);
        if (q == 1) c.setX(rd, e); else c.setW(rd, e);
        c.pc += 4;
    }

    /** UMOV: an element zero-extended to Wd (Q = 0: up to words) or Xd (Q = 1: doublewords only). */
    public static void umov(Cpu c, int q, int imm5, int rn, int rd) {
        int size = size(imm5);
        if (q == 1 ? size != 3 : size > 2) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        c.setX(rd, VectorLanes.get(c, rn, imm5 >>> (size + 1), size));
        c.pc += 4;
    }

    /** INS (general): one lane of Vd from Xn/Wn, the other lanes kept. */
    public static void insGeneral(Cpu c, int imm5, int rn, int rd) {
        int size = size(imm5);
        if (size > 3) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        VectorLanes.set(c, rd, imm5 >>> (size + 1), size, c.x[rn]);
        c.pc += 4;
    }

    /** INS (element): Vd.Ts[imm5 index] = Vn.Ts[imm4 index], the other lanes kept. */
    public static void insElement(Cpu c, int imm5, int imm4, int rn, int rd) {
        int size = size(imm5);
        if (size > 3) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        VectorLanes.set(c, rd, imm5 >>> (size + 1), size, VectorLanes.get(c, rn, imm4 >>> size, size));
        c.pc += 4;
    }

    /** DUP (scalar, element), alias MOV: one element of Vn as a scalar, the rest of Vd cleared. */
    public static void dupScalar(Cpu c, int imm5, int rn, int rd) {
        int size = size(imm5);
        if (size > 3) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        VectorLanes.writeScalar(c, rd, size, VectorLanes.get(c, rn, imm5 >>> (size + 1), size));
        c.pc += 4;
    }
}
