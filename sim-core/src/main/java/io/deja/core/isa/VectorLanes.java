package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Lanes of the V registers, which Cpu keeps as (low, high) pairs of longs:
 * V[n] bits 63:0 in {@code c.v[2n]}, bits 127:64 in {@code c.v[2n + 1]}.
 * Element sizes are Arm's {@code size} field: 0 = 8, 1 = 16, 2 = 32, 3 = 64
 * bits; element i of a register counts from bit 0 upwards across both halves.
 * Every Advanced SIMD semantics class reads and writes lanes through these
 * methods (or works on whole halves), so the layout is known in one place.
 * Handlers read all their operands before they write: Rd may be Rn or Rm.
 */
public final class VectorLanes {
    private VectorLanes() {}

    /** Elements of size {@code size} in one 64-bit half. */
    public static int perHalf(int size) {
        return 8 >>> size;
    }

    /** All-ones mask of an element of size {@code size}. */
    public static long mask(int size) {
        return size == 3 ? -1L : (1L << (8 << size)) - 1;
    }

    /** Element j of a 64-bit half, zero-extended. */
    public static long field(long half, int j, int size) {
        return (half >>> (j << (3 + size))) & mask(size);
    }

    /** Element j of a 64-bit half, sign-extended. */
    public static long signedField(long half, int j, int size) {
        int bits = 8 << size;
        return half << (64 - bits - (j << (3 + size))) >> (64 - bits);
    }

    /** {@code half} with element j replaced by the low bits of {@code value}. */
    public static long withField(long half, int j, int size, long value) {
        int shift = j << (3 + size);
        long m = mask(size) << shift;
        return (half & ~m) | ((value << shift) & m);
    }

    /** Element i of V[n], zero-extended. */
    public static long get(Cpu c, int n, int i, int size) {
        int per = perHalf(size);
        return field(c.v[2 * n + (i >= per ? 1 : 0)], i & (per - 1), size);
    }

    /** Element i of V[n], sign-extended. */
    public static long getSigned(Cpu c, int n, int i, int size) {
        int per = perHalf(size);
        return signedField(c.v[2 * n + (i >= per ? 1 : 0)], i & (per - 1), size);
    }

    /** Replaces element i of V[d], leaving the other lanes (INS, LD1 single lane). */
    public static void set(Cpu c, int d, int i, int size, long value) {
        int per = perHalf(size);
        int k = 2 * d + (i >= per ? 1 : 0);
        c.v[k] = withField(c.v[k], i & (per - 1), size, value);
    }

    /** Writes V[d]: both halves for a 128-bit operation (Q = 1); a 64-bit one clears bits 127:64. */
    public static void write(Cpu c, int d, long lo, long hi, boolean q) {
        c.v[2 * d] = lo;
        c.v[2 * d + 1] = q ? hi : 0;
    }

    /** Writes a scalar of size {@code size} to V[d], clearing every other bit (scalar SIMD results). */
    public static void writeScalar(Cpu c, int d, int size, long value) {
        c.v[2 * d] = value & mask(size);
        c.v[2 * d + 1] = 0;
    }

    /** Copies each element i of {@code lanes} (count elements of size {@code size}) into V[d] and clears the rest. */
    public static void writeLanes(Cpu c, int d, long[] lanes, int count, int size) {
        long lo = 0, hi = 0;
        int per = perHalf(size);
        for (int i = 0; i < count; i++) {
            if (i < per) lo = withField(lo, i, size, lanes[i]);
            else hi = withField(hi, i - per, size, lanes[i]);
        }
        c.v[2 * d] = lo;
        c.v[2 * d + 1] = hi;
    }
}
