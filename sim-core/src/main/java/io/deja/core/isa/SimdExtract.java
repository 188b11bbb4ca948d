package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Advanced SIMD extract (Arm ARM C4.1.96): EXT takes 8 (Q = 0) or 16 bytes
 * of Vm:Vn starting at byte imm4 of Vn; with Q = 0 only Vn's and Vm's low
 * halves take part, and imm4 >= 8 is reserved.
 */
public final class SimdExtract {
    private SimdExtract() {}

    /** EXT */
    public static void ext(Cpu c, int q, int rm, int imm4, int rn, int rd) {
        if (q == 0 && imm4 >= 8) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        long lo, hi = 0;
        if (q == 0) {
            long n = c.v[2 * rn], m = c.v[2 * rm];
            lo = imm4 == 0 ? n : (n >>> (8 * imm4)) | (m << (64 - 8 * imm4));
        } else {
            // The 256-bit Vm:Vn as four doublewords, w[0] lowest; take 128 bits from byte imm4.
            long w0 = c.v[2 * rn], w1 = c.v[2 * rn + 1], w2 = c.v[2 * rm], w3 = c.v[2 * rm + 1];
            int k = imm4 >>> 3, bits = 8 * (imm4 & 7);
            long a = k == 0 ? w0 : w1, b = k == 0 ? w1 : w2, d = k == 0 ? w2 : w3;
            lo = bits == 0 ? a : (a >>> bits) | (b << (64 - bits));
            hi = bits == 0 ? b : (b >>> bits) | (d << (64 - bits));
        }
        VectorLanes.write(c, rd, lo, hi, q == 1);
        c.pc += 4;
    }
}
