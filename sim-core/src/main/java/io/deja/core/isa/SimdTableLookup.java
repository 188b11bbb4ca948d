package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Advanced SIMD table lookup (Arm ARM C4.1.96): TBL and TBX with a table of
 * 1-4 consecutive registers starting at Vn (numbers wrap from V31 to V0).
 * Each byte of Vm indexes the table; an index past its end gives 0 (TBL) or
 * keeps Vd's byte (TBX).
 */
public final class SimdTableLookup {
    private SimdTableLookup() {}

    private static void lookup(Cpu c, int q, int rm, int len, int rn, int rd, boolean extension) {
        if (!FpScalar.fpEnabled(c)) return;
        int bytes = q == 1 ? 16 : 8;
        int tableBytes = 16 * (len + 1);
        long lo = 0, hi = 0;
        for (int i = 0; i < bytes; i++) {
            int half = i >>> 3, shift = 8 * (i & 7);
            int index = (int) (c.v[2 * rm + half] >>> shift) & 0xFF;
            long b;
            if (index < tableBytes) {
                int reg = (rn + (index >>> 4)) & 31;
                b = (c.v[2 * reg + ((index >>> 3) & 1)] >>> (8 * (index & 7))) & 0xFF;
            } else {
                b = extension ? (c.v[2 * rd + half] >>> shift) & 0xFF : 0;
            }
            if (half == 0) lo |= b << shift; else hi |= b << shift;
        }
        VectorLanes.write(c, rd, lo, hi, q == 1);
        c.pc += 4;
    }

    /** TBL: out-of-range indices give 0. */
    public static void tbl(Cpu c, int q, int rm, int tblLen, int rn, int rd) {
        lookup(c, q, rm, tblLen, rn, rd, false);
    }

    /** TBX: out-of-range indices keep the destination byte. */
    public static void tbx(Cpu c, int q, int rm, int tblLen, int rn, int rd) {
        lookup(c, q, rm, tblLen, rn, rd, true);
    }
}
