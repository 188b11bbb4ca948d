package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Cryptographic AES (Arm ARM C4.1.95, "Cryptographic AES"): one AES round
 * step each, on the 128-bit state held in a V register with byte i at bits
 * 8i+7:8i and the FIPS-197 column-major layout (row r, column c is byte
 * r + 4c), as the pseudocode's AESShiftRows, AESSubBytes and AESMixColumns.
 * AESE/AESD first add the round key (V[n]) to the state (V[d]).
 */
public final class CryptoAes {
    private CryptoAes() {}

    /** The FIPS-197 S-box and its inverse, derived from their definition (GF(2^8) inverse, then the affine map). */
    private static final byte[] SBOX = new byte[256], INV_SBOX = new byte[256];
    /** ShiftRows: result byte i comes from byte SHIFT[i]; InvShiftRows likewise. */
    private static final int[] SHIFT = {0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11};
    private static final int[] INV_SHIFT = {0, 13, 10, 7, 4, 1, 14, 11, 8, 5, 2, 15, 12, 9, 6, 3};

    static {
        for (int x = 0; x < 256; x++) {
            int inv = 0;
            if (x != 0) for (int y = 1; y < 256; y++) if (gmul(x, y) == 1) { inv = y; break; }
            int s = inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^ 0x63;
            SBOX[x] = (byte) s;
            INV_SBOX[s] = (byte) x;
        }
    }

    private static int rotl8(int x, int n) {
        return ((x << n) | (x >>> (8 - n))) & 0xFF;
    }

    /** Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
    static int gmul(int a, int b) {
        int p = 0;
        for (int i = 0; i < 8; i++) {
            if ((b & 1) != 0) p ^= a;
            boolean carry = (a & 0x80) != 0;
            a = (a << 1) & 0xFF;
            if (carry) a ^= 0x1B;
            b >>>= 1;
        }
        return p;
    }

    private static int byteOf(long lo, long hi, int i) {
        return (int) ((i < 8 ? lo >>> (8 * i) : hi >>> (8 * (i - 8))) & 0xFF);
    }

    /** (Inv)ShiftRows then (Inv)SubBytes of lo:hi, written to V[d]. */
    private static void shiftSub(Cpu c, int d, long lo, long hi, int[] shift, byte[] box) {
        long rlo = 0, rhi = 0;
        for (int i = 0; i < 8; i++) {
            rlo |= (box[byteOf(lo, hi, shift[i])] & 0xFFL) << (8 * i);
            rhi |= (box[byteOf(lo, hi, shift[i + 8])] & 0xFFL) << (8 * i);
        }
        c.v[2 * d] = rlo;
        c.v[2 * d + 1] = rhi;
    }

    /** MUL[m << 8 | x] = m * x in GF(2^8), for the MixColumns coefficients m < 16. */
    private static final byte[] MUL = new byte[16 * 256];

    static {
        for (int m = 0; m < 16; m++) for (int x = 0; x < 256; x++) MUL[m << 8 | x] = (byte) gmul(m, x);
    }

    private static int mul(int m, long x) {
        return MUL[m << 8 | (int) (x & 0xFF)] & 0xFF;
    }

    /** Mixes the two columns of one 64-bit half with the circulant matrix whose first row is (m0 m1 m2 m3). */
    private static long mixHalf(long half, int m0, int m1, int m2, int m3) {
        long r = 0;
        for (int base = 0; base < 64; base += 32) {
            long a0 = half >>> base, a1 = half >>> (base + 8), a2 = half >>> (base + 16), a3 = half >>> (base + 24);
            long r0 = mul(m0, a0) ^ mul(m1, a1) ^ mul(m2, a2) ^ mul(m3, a3);
            long r1 = mul(m0, a1) ^ mul(m1, a2) ^ mul(m2, a3) ^ mul(m3, a0);
            long r2 = mul(m0, a2) ^ mul(m1, a3) ^ mul(m2, a0) ^ mul(m3, a1);
            long r3 = mul(m0, a3) ^ mul(m1, a0) ^ mul(m2, a1) ^ mul(m3, a2);
            r |= (r0 | r1 << 8 | r2 << 16 | r3 << 24) << base;
        }
        return r;
    }

    /** AESE: AddRoundKey, ShiftRows, SubBytes. */
    public static void aese(Cpu c, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        shiftSub(c, rd, c.v[2 * rd] ^ c.v[2 * rn], c.v[2 * rd + 1] ^ c.v[2 * rn + 1], SHIFT, SBOX);
        c.pc += 4;
    }

    /** AESD: AddRoundKey, InvShiftRows, InvSubBytes. */
    public static void aesd(Cpu c, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        shiftSub(c, rd, c.v[2 * rd] ^ c.v[2 * rn], c.v[2 * rd + 1] ^ c.v[2 * rn + 1], INV_SHIFT, INV_SBOX);
        c.pc += 4;
    }

    /** AESMC: MixColumns of V[n]. */
    public static void aesmc(Cpu c, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        long lo = mixHalf(c.v[2 * rn], 2, 3, 1, 1), hi = mixHalf(c.v[2 * rn + 1], 2, 3, 1, 1);
        c.v[2 * rd] = lo;
        c.v[2 * rd + 1] = hi;
        c.pc += 4;
    }

    /** AESIMC: InvMixColumns of V[n]. */
    public static void aesimc(Cpu c, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        long lo = mixHalf(c.v[2 * rn], 14, 11, 13, 9), hi = mixHalf(c.v[2 * rn + 1], 14, 11, 13, 9);
        c.v[2 * rd] = lo;
        c.v[2 * rd + 1] = hi;
        c.pc += 4;
    }
}
