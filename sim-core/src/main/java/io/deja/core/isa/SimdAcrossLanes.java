package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

import static io.deja.core.isa.SimdThreeSame.sx;
import static io.deja.core.isa.VectorLanes.field;
import static io.deja.core.isa.VectorLanes.perHalf;

/**
 * Advanced SIMD across lanes, integer forms (Arm ARM C4.1.96: ADDV, SADDLV,
 * UADDLV, SMAXV, UMAXV, SMINV, UMINV), and the scalar pairwise ADDP, which
 * reduces the two 64-bit lanes of Vn. The result is a scalar: the rest of Vd
 * is cleared. 64-bit lanes (size 11) and 32-bit lanes of a 64-bit vector
 * (size 10, Q = 0) are reserved.
 */
public final class SimdAcrossLanes {
    private SimdAcrossLanes() {}

    private static final int SUM = 0, MAX = 1, MIN = 2;

    private static void reduce(Cpu c, int op, boolean unsigned, boolean longResult, int q, int size, int rn, int rd) {
        if (size == 3 || (size == 2 && q == 0)) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        int per = perHalf(size), count = q == 1 ? 2 * per : per;
        long r = 0;
        for (int i = 0; i < count; i++) {
            long x = field(c.v[2 * rn + (i >= per ? 1 : 0)], i & (per - 1), size);
            if (!unsigned) x = sx(x, size);
            if (i == 0) r = x;
            else r = switch (op) {
                case SUM -> r + x;
                case MAX -> Math.max(r, x);
                default -> Math.min(r, x);
            };
        }
        VectorLanes.writeScalar(c, rd, longResult ? size + 1 : size, r);
        c.pc += 4;
    }

    /** ADDV */
    public static void addv(Cpu c, int q, int size, int rn, int rd) { reduce(c, SUM, true, false, q, size, rn, rd); }
    /** SADDLV: the sum of sign-extended lanes, twice as wide. */
    public static void saddlv(Cpu c, int q, int size, int rn, int rd) { reduce(c, SUM, false, true, q, size, rn, rd); }
    /** UADDLV */
    public static void uaddlv(Cpu c, int q, int size, int rn, int rd) { reduce(c, SUM, true, true, q, size, rn, rd); }
    /** SMAXV */
    public static void smaxv(Cpu c, int q, int size, int rn, int rd) { reduce(c, MAX, false, false, q, size, rn, rd); }
    /** UMAXV */
    public static void umaxv(Cpu c, int q, int size, int rn, int rd) { reduce(c, MAX, true, false, q, size, rn, rd); }
    /** SMINV */
    public static void sminv(Cpu c, int q, int size, int rn, int rd) { reduce(c, MIN, false, false, q, size, rn, rd); }
    /** UMINV */
    public static void uminv(Cpu c, int q, int size, int rn, int rd) { reduce(c, MIN, true, false, q, size, rn, rd); }

    /** ADDP (scalar): D = Vn.D[0] + Vn.D[1]; only size 11 is allocated. */
    public static void addpScalar(Cpu c, int size, int rn, int rd) {
        if (size != 3) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        VectorLanes.writeScalar(c, rd, 3, c.v[2 * rn] + c.v[2 * rn + 1]);
        c.pc += 4;
    }
}
