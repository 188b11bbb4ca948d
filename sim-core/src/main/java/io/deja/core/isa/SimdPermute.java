package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Advanced SIMD permute (Arm ARM C4.1.96): UZP1/UZP2, TRN1/TRN2, ZIP1/ZIP2.
 * Element i of the result is element {@code source(i)} of the pair Vm:Vn
 * (Vn's elements first); size 11 with Q = 0 is reserved.
 */
public final class SimdPermute {
    private SimdPermute() {}

    private static final int UZP1 = 0, UZP2 = 1, TRN1 = 2, TRN2 = 3, ZIP1 = 4, ZIP2 = 5;

    private static void permute(Cpu c, int q, int size, int rm, int rn, int rd, int op) {
        if (size == 3 && q == 0) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        int per = VectorLanes.perHalf(size);
        int elements = q == 1 ? 2 * per : per;
        long lo = 0, hi = 0;
        for (int i = 0; i < elements; i++) {
            // j: index into the concatenation Vn (0 .. elements-1), Vm (elements ..)
            int j = switch (op) {
                case UZP1 -> 2 * i;
                case UZP2 -> 2 * i + 1;
                case TRN1 -> (i & 1) == 0 ? i : elements + i - 1;
                case TRN2 -> (i & 1) == 0 ? i + 1 : elements + i;
                case ZIP1 -> (i & 1) * elements + (i >>> 1);
                default -> (i & 1) * elements + elements / 2 + (i >>> 1);
            };
            long e = j < elements ? VectorLanes.get(c, rn, j, size) : VectorLanes.get(c, rm, j - elements, size);
            if (i < per) lo = VectorLanes.withField(lo, i, size, e);
            else hi = VectorLanes.withField(hi, i - per, size, e);
        }
        VectorLanes.write(c, rd, lo, hi, q == 1);
        c.pc += 4;
    }

    /** UZP1: the even-numbered elements of Vn:Vm. */
    public static void uzp1(Cpu c, int q, int esize, int rm, int rn, int rd) {
        permute(c, q, esize, rm, rn, rd, UZP1);
    }

    /** UZP2: the odd-numbered elements of Vn:Vm. */
    public static void uzp2(Cpu c, int q, int esize, int rm, int rn, int rd) {
        permute(c, q, esize, rm, rn, rd, UZP2);
    }

    /** TRN1: even elements of Vn in the even lanes, even elements of Vm in the odd lanes. */
    public static void trn1(Cpu c, int q, int esize, int rm, int rn, int rd) {
        permute(c, q, esize, rm, rn, rd, TRN1);
    }

    /** TRN2: odd elements of Vn in the even lanes, odd elements of Vm in the odd lanes. */
    public static void trn2(Cpu c, int q, int esize, int rm, int rn, int rd) {
        permute(c, q, esize, rm, rn, rd, TRN2);
    }

    /** ZIP1: the low halves of Vn and Vm interleaved. */
    public static void zip1(Cpu c, int q, int esize, int rm, int rn, int rd) {
        permute(c, q, esize, rm, rn, rd, ZIP1);
    }

    /** ZIP2: the high halves of Vn and Vm interleaved. */
    public static void zip2(Cpu c, int q, int esize, int rm, int rn, int rd) {
        permute(c, q, esize, rm, rn, rd, ZIP2);
    }
}
