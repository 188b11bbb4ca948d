package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Integer helpers from the Arm ARM shared pseudocode (AddWithCarry,
 * DecodeBitMasks, ShiftReg, ExtendReg, CRC32). Everything here is
 * allocation-free; the tables are built once when the class loads.
 *
 * 32-bit variants take and return longs whose low 32 bits are the operand or
 * result, so callers can feed them X registers directly and write the result
 * with {@link Cpu#setW}.
 */
public final class Alu {
    private Alu() {}

    private static final long W = 0xFFFF_FFFFL;

    // ---- AddWithCarry ------------------------------------------------------------

    /** AddWithCarry(x, y, carryIn) for N = 64: returns the sum and sets NZCV. */
    public static long addWithCarry64(Cpu c, long x, long y, int carryIn) {
        long r = x + y + carryIn;
        c.nf = r < 0;
        c.zf = r == 0;
        // Carry out of bit 63 is majority(x63, y63, carry into bit 63), and the carry into bit 63 is x63^y63^r63.
        c.cf = ((x & y) | ((x | y) & ~r)) < 0;
        c.vf = ((x ^ r) & (y ^ r)) < 0;
        return r;
    }

    /** AddWithCarry(x, y, carryIn) for N = 32 on the low words: returns the zero-extended sum and sets NZCV. */
    public static long addWithCarry32(Cpu c, long x, long y, int carryIn) {
        long wide = (x & W) + (y & W) + carryIn;
        int r = (int) wide;
        c.nf = r < 0;
        c.zf = r == 0;
        c.cf = (wide >>> 32) != 0;
        c.vf = (((int) x ^ r) & ((int) y ^ r)) < 0;
        return wide & W;
    }

    /** x + y with NZCV, for N = 64 (ADDS, CMN). */
    public static long adds64(Cpu c, long x, long y) {
        long r = x + y;
        c.nf = r < 0;
        c.zf = r == 0;
        c.cf = Long.compareUnsigned(r, x) < 0;
        c.vf = ((x ^ r) & (y ^ r)) < 0;
        return r;
    }

    /** x - y with NZCV as AddWithCarry(x, NOT(y), 1), for N = 64 (SUBS, CMP). */
    public static long subs64(Cpu c, long x, long y) {
        long r = x - y;
        c.nf = r < 0;
        c.zf = r == 0;
        c.cf = Long.compareUnsigned(x, y) >= 0;
        c.vf = ((x ^ y) & (x ^ r)) < 0;
        return r;
    }

    /** Low-word x + y with NZCV, for N = 32; returns the zero-extended sum. */
    public static long adds32(Cpu c, long x, long y) {
        return addWithCarry32(c, x, y, 0);
    }

    /** Low-word x - y with NZCV, for N = 32; returns the zero-extended difference. */
    public static long subs32(Cpu c, long x, long y) {
        int a = (int) x, b = (int) y, r = a - b;
        c.nf = r < 0;
        c.zf = r == 0;
        c.cf = Integer.compareUnsigned(a, b) >= 0;
        c.vf = ((a ^ b) & (a ^ r)) < 0;
        return r & W;
    }

    /** NZCV of a logical result (ANDS, BICS, TST): C and V clear. */
    public static void logicFlags64(Cpu c, long r) {
        c.nf = r < 0;
        c.zf = r == 0;
        c.cf = false;
        c.vf = false;
    }

    public static void logicFlags32(Cpu c, long r) {
        int w = (int) r;
        c.nf = w < 0;
        c.zf = w == 0;
        c.cf = false;
        c.vf = false;
    }

    // ---- Shifts and extends ------------------------------------------------------

    /** ShiftReg for N = 64: type LSL, LSR, ASR, ROR = 0..3; amount 0-63. */
    public static long shift64(long v, int type, int amount) {
        return switch (type) {
            case 0 -> v << amount;
            case 1 -> v >>> amount;
            case 2 -> v >> amount;
            default -> Long.rotateRight(v, amount);
        };
    }

    /** ShiftReg for N = 32 on the low word; amount 0-31. The upper word of the result is junk: write with setW. */
    public static long shift32(long v, int type, int amount) {
        return switch (type) {
            case 0 -> v << amount;
            case 1 -> (v & W) >>> amount;
            case 2 -> (long) ((int) v >> amount);
            default -> Integer.rotateRight((int) v, amount);
        };
    }

    /**
     * Arm ARM ExtendReg: extends the low 8/16/32/64 bits of {@code value} as
     * selected by {@code option} (UXTB, UXTH, UXTW, UXTX, SXTB, SXTH, SXTW,
     * SXTX = 0..7) and shifts it left by {@code shift} (0-4). Used by add/sub
     * (extended register) and by register-offset addressing.
     */
    public static long extend(long value, int option, int shift) {
        long v = switch (option & 7) {
            case 0 -> value & 0xFFL;
            case 1 -> value & 0xFFFFL;
            case 2 -> value & W;
            case 4 -> (byte) value;
            case 5 -> (short) value;
            case 6 -> (int) value;
            default -> value;
        };
        return v << shift;
    }

    // ---- DecodeBitMasks ----------------------------------------------------------

    /** Replicate(element) multipliers for element sizes 2, 4, 8, 16, 32, 64 (index len = log2(esize)). */
    private static final long[] REPLICATE = {
        0, 0x5555_5555_5555_5555L, 0x1111_1111_1111_1111L, 0x0101_0101_0101_0101L,
        0x0001_0001_0001_0001L, 0x0000_0001_0000_0001L, 1L,
    };

    /** Returned by {@link #decodeWMask} for reserved (UNDEFINED) encodings; no valid immediate is 0. */
    public static final long RESERVED = 0;

    /**
     * wmask of DecodeBitMasks(immN, imms, immr, immediate = TRUE), replicated to
     * 64 bits (a 32-bit operation uses the low word). Returns {@link #RESERVED}
     * when the encoding is reserved: no element size (immN:NOT(imms) has no
     * set bit above bit 0) or an all-ones element (imms selects every bit).
     */
    public static long decodeWMask(int immN, int imms, int immr) {
        int len = 31 - Integer.numberOfLeadingZeros((immN << 6) | (~imms & 0x3F));
        if (len < 1) return RESERVED;
        int levels = (1 << len) - 1;
        int s = imms & levels;
        if (s == levels) return RESERVED;
        int r = immr & levels;
        int esize = 1 << len;
        long welem = (1L << (s + 1)) - 1;
        long elem = r == 0 ? welem : ((welem >>> r) | (welem << (esize - r))) & elementMask(esize);
        return elem * REPLICATE[len];
    }

    /**
     * tmask of DecodeBitMasks(immN, imms, immr, immediate = FALSE), replicated to
     * 64 bits; the caller has rejected encodings with no element size.
     */
    public static long decodeTMask(int immN, int imms, int immr) {
        int len = 31 - Integer.numberOfLeadingZeros((immN << 6) | (~imms & 0x3F));
        int levels = (1 << len) - 1;
        int d = ((imms & levels) - (immr & levels)) & levels;
        long telem = d == 63 ? -1L : (1L << (d + 1)) - 1;
        return telem * REPLICATE[len];
    }

    private static long elementMask(int esize) {
        return esize == 64 ? -1L : (1L << esize) - 1;
    }

    /**
     * Logical immediates for every N:immr:imms (bits 22..10 of the instruction),
     * {@link #RESERVED} where UNDEFINED. 64 KiB, and one load on the hot path
     * instead of a dozen dependent operations.
     */
    private static final long[] LOGICAL_IMM = new long[1 << 13];

    static {
        for (int i = 0; i < LOGICAL_IMM.length; i++) {
            LOGICAL_IMM[i] = decodeWMask(i >>> 12, i & 0x3F, (i >>> 6) & 0x3F);
        }
    }

    /** The logical immediate of an AND/ORR/EOR/ANDS (immediate) instruction, or {@link #RESERVED}. */
    public static long logicalImmediate(int n, int immr, int imms) {
        return LOGICAL_IMM[n << 12 | immr << 6 | imms];
    }

    // ---- CRC32 -------------------------------------------------------------------

    /** Slicing-by-8 tables: entry [k*256 + b] is the CRC of byte b followed by k zero bytes. */
    private static final int[] CRC32_TABLE = crcTables(0xEDB8_8320);
    private static final int[] CRC32C_TABLE = crcTables(0x82F6_3B78);

    private static int[] crcTables(int reflectedPoly) {
        int[] t = new int[8 * 256];
        for (int b = 0; b < 256; b++) {
            int crc = b;
            for (int i = 0; i < 8; i++) crc = (crc >>> 1) ^ ((crc & 1) != 0 ? reflectedPoly : 0);
            t[b] = crc;
        }
        for (int k = 1; k < 8; k++) {
            for (int b = 0; b < 256; b++) {
                int prev = t[(k - 1) * 256 + b];
                t[k * 256 + b] = (prev >>> 8) ^ t[prev & 0xFF];
            }
        }
        return t;
    }

    /**
     * The CRC32 (castagnoli = false) or CRC32C instruction result: accumulator
     * updated with the low 2^sz bytes of value, least significant byte first,
     * with no pre- or post-inversion (the Arm ARM's bit-reversed Poly32Mod2).
     */
    public static int crc(boolean castagnoli, int acc, long value, int sz) {
        int[] t = castagnoli ? CRC32C_TABLE : CRC32_TABLE;
        switch (sz) {
            case 0: {
                return (acc >>> 8) ^ t[(acc ^ (int) value) & 0xFF];
            }
            case 1: {
                int x = acc ^ ((int) value & 0xFFFF);
                return (acc >>> 16) ^ t[256 + (x & 0xFF)] ^ t[(x >>> 8) & 0xFF];
            }
            case 2: {
                int x = acc ^ (int) value;
                return t[3 * 256 + (x & 0xFF)] ^ t[2 * 256 + ((x >>> 8) & 0xFF)]
                        ^ t[256 + ((x >>> 16) & 0xFF)] ^ t[x >>> 24];
            }
            default: {
                int x = acc ^ (int) value;
                int hi = (int) (value >>> 32);
                return t[7 * 256 + (x & 0xFF)] ^ t[6 * 256 + ((x >>> 8) & 0xFF)]
                        ^ t[5 * 256 + ((x >>> 16) & 0xFF)] ^ t[4 * 256 + (x >>> 24)]
                        ^ t[3 * 256 + (hi & 0xFF)] ^ t[2 * 256 + ((hi >>> 8) & 0xFF)]
                        ^ t[256 + ((hi >>> 16) & 0xFF)] ^ t[hi >>> 24];
            }
        }
    }
}
