package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Cryptographic SHA-1 and SHA-256 (Arm ARM C4.1.95, "Cryptographic
 * three-register SHA" and "two-register SHA"), as the pseudocode of each
 * instruction: four rounds of the hash (SHA1C/P/M, SHA256H/H2) or a step of
 * the message schedule (SU0/SU1). 32-bit element e of a V register is bits
 * 32e+31:32e. Operands are read before V[d] is written.
 */
public final class CryptoSha {
    private CryptoSha() {}

    private static final int CHOOSE = 0, PARITY = 1, MAJORITY = 2;

    private static int elem(Cpu c, int n, int e) {
        return (int) (c.v[2 * n + (e >> 1)] >>> (32 * (e & 1)));
    }

    private static long pack(int e0, int e1) {
        return (e0 & 0xFFFF_FFFFL) | ((long) e1 << 32);
    }

    private static int choose(int x, int y, int z) {
        return ((y ^ z) & x) ^ z;
    }

    private static int majority(int x, int y, int z) {
        return (x & y) | ((x | y) & z);
    }

    /** SHA1C, SHA1P, SHA1M: X = V[d] (a, b, c, d), Y = S[n] (e), W = V[m]. */
    private static void sha1Hash(Cpu c, int f, int rm, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        int x0 = elem(c, rd, 0), x1 = elem(c, rd, 1), x2 = elem(c, rd, 2), x3 = elem(c, rd, 3);
        int y = elem(c, rn, 0);
        int w0 = elem(c, rm, 0), w1 = elem(c, rm, 1), w2 = elem(c, rm, 2), w3 = elem(c, rm, 3);
        for (int e = 0; e < 4; e++) {
            int t = switch (f) {
                case CHOOSE -> choose(x1, x2, x3);
                case PARITY -> x1 ^ x2 ^ x3;
                default -> majority(x1, x2, x3);
            };
            int w = e == 0 ? w0 : e == 1 ? w1 : e == 2 ? w2 : w3;
            y = y + Integer.rotateLeft(x0, 5) + t + w;
            x1 = Integer.rotateLeft(x1, 30);
            // <Y, X> = ROL(Y:X, 32)
            int top = x3;
            x3 = x2;
            x2 = x1;
            x1 = x0;
            x0 = y;
            y = top;
        }
        c.v[2 * rd] = pack(x0, x1);
        c.v[2 * rd + 1] = pack(x2, x3);
        c.pc += 4;
    }

    /** SHA1C: rounds with Ch. */
    public static void sha1c(Cpu c, int rm, int rn, int rd) { sha1Hash(c, CHOOSE, rm, rn, rd); }
    /** SHA1P: rounds with Parity. */
    public static void sha1p(Cpu c, int rm, int rn, int rd) { sha1Hash(c, PARITY, rm, rn, rd); }
    /** SHA1M: rounds with Maj. */
    public static void sha1m(Cpu c, int rm, int rn, int rd) { sha1Hash(c, MAJORITY, rm, rn, rd); }

    /** SHA1H: the fixed rotate, ROL(S[n], 30), zero-extended. */
    public static void sha1h(Cpu c, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        c.v[2 * rd] = Integer.rotateLeft(elem(c, rn, 0), 30) & 0xFFFF_FFFFL;
        c.v[2 * rd + 1] = 0;
        c.pc += 4;
    }

    /** SHA1SU0: (V[n]<63:0> : V[d]<127:64>) EOR V[d] EOR V[m]. */
    public static void sha1su0(Cpu c, int rm, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        long lo = c.v[2 * rd + 1] ^ c.v[2 * rd] ^ c.v[2 * rm];
        long hi = c.v[2 * rn] ^ c.v[2 * rd + 1] ^ c.v[2 * rm + 1];
        c.v[2 * rd] = lo;
        c.v[2 * rd + 1] = hi;
        c.pc += 4;
    }

    /** SHA1SU1: T = V[d] EOR LSR(V[n], 32); each element rotated by 1, the top one also EOR ROL(T<31:0>, 2). */
    public static void sha1su1(Cpu c, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        int t0 = elem(c, rd, 0) ^ elem(c, rn, 1);
        int t1 = elem(c, rd, 1) ^ elem(c, rn, 2);
        int t2 = elem(c, rd, 2) ^ elem(c, rn, 3);
        int t3 = elem(c, rd, 3);
        int r0 = Integer.rotateLeft(t0, 1), r1 = Integer.rotateLeft(t1, 1), r2 = Integer.rotateLeft(t2, 1);
        int r3 = Integer.rotateLeft(t3, 1) ^ Integer.rotateLeft(t0, 2);
        c.v[2 * rd] = pack(r0, r1);
        c.v[2 * rd + 1] = pack(r2, r3);
        c.pc += 4;
    }

    private static int sigma0(int x) {
        return Integer.rotateRight(x, 2) ^ Integer.rotateRight(x, 13) ^ Integer.rotateRight(x, 22);
    }

    private static int sigma1(int x) {
        return Integer.rotateRight(x, 6) ^ Integer.rotateRight(x, 11) ^ Integer.rotateRight(x, 25);
    }

    /** SHA256hash(X, Y, W, part1): X = (a, b, c, d), Y = (e, f, g, h); part1 returns X, else Y. */
    private static void sha256Hash(Cpu c, int xr, int yr, int rm, int rd, boolean part1) {
        int x0 = elem(c, xr, 0), x1 = elem(c, xr, 1), x2 = elem(c, xr, 2), x3 = elem(c, xr, 3);
        int y0 = elem(c, yr, 0), y1 = elem(c, yr, 1), y2 = elem(c, yr, 2), y3 = elem(c, yr, 3);
        int w0 = elem(c, rm, 0), w1 = elem(c, rm, 1), w2 = elem(c, rm, 2), w3 = elem(c, rm, 3);
        for (int e = 0; e < 4; e++) {
            int chs = choose(y0, y1, y2);
            int maj = majority(x0, x1, x2);
            int w = e == 0 ? w0 : e == 1 ? w1 : e == 2 ? w2 : w3;
            int t = y3 + sigma1(y0) + chs + w;
            x3 = t + x3;
            y3 = t + sigma0(x0) + maj;
            // <Y, X> = ROL(Y:X, 32): Y's top element moves into X, X's top into Y's bottom.
            int xTop = x3, yTop = y3;
            x3 = x2; x2 = x1; x1 = x0; x0 = yTop;
            y3 = y2; y2 = y1; y1 = y0; y0 = xTop;
        }
        if (part1) {
            c.v[2 * rd] = pack(x0, x1);
            c.v[2 * rd + 1] = pack(x2, x3);
        } else {
            c.v[2 * rd] = pack(y0, y1);
            c.v[2 * rd + 1] = pack(y2, y3);
        }
    }

    /** SHA256H: SHA256hash(V[d], V[n], V[m], TRUE). */
    public static void sha256h(Cpu c, int rm, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        sha256Hash(c, rd, rn, rm, rd, true);
        c.pc += 4;
    }

    /** SHA256H2: SHA256hash(V[n], V[d], V[m], FALSE). */
    public static void sha256h2(Cpu c, int rm, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        sha256Hash(c, rn, rd, rm, rd, false);
        c.pc += 4;
    }

    private static int smallSigma0(int x) {
        return Integer.rotateRight(x, 7) ^ Integer.rotateRight(x, 18) ^ (x >>> 3);
    }

    private static int smallSigma1(int x) {
        return Integer.rotateRight(x, 17) ^ Integer.rotateRight(x, 19) ^ (x >>> 10);
    }

    /** SHA256SU0: T = V[n]<31:0> : V[d]<127:32>; result element e = sigma0(T[e]) + V[d][e]. */
    public static void sha256su0(Cpu c, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        int d0 = elem(c, rd, 0), d1 = elem(c, rd, 1), d2 = elem(c, rd, 2), d3 = elem(c, rd, 3);
        int n0 = elem(c, rn, 0);
        int r0 = smallSigma0(d1) + d0, r1 = smallSigma0(d2) + d1, r2 = smallSigma0(d3) + d2, r3 = smallSigma0(n0) + d3;
        c.v[2 * rd] = pack(r0, r1);
        c.v[2 * rd + 1] = pack(r2, r3);
        c.pc += 4;
    }

    /** SHA256SU1: T0 = V[m]<31:0> : V[n]<127:32>; sigma1 of V[m]'s top two elements, then of the first two results. */
    public static void sha256su1(Cpu c, int rm, int rn, int rd) {
        if (!FpScalar.fpEnabled(c)) return;
        int d0 = elem(c, rd, 0), d1 = elem(c, rd, 1), d2 = elem(c, rd, 2), d3 = elem(c, rd, 3);
        int t0 = elem(c, rn, 1), t1 = elem(c, rn, 2), t2 = elem(c, rn, 3), t3 = elem(c, rm, 0);
        int m2 = elem(c, rm, 2), m3 = elem(c, rm, 3);
        int r0 = smallSigma1(m2) + d0 + t0;
        int r1 = smallSigma1(m3) + d1 + t1;
        int r2 = smallSigma1(r0) + d2 + t2;
        int r3 = smallSigma1(r1) + d3 + t3;
        c.v[2 * rd] = pack(r0, r1);
        c.v[2 * rd + 1] = pack(r2, r3);
        c.pc += 4;
    }
}
