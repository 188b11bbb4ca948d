package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Data processing, immediate (Arm ARM C4.1.86 / C6.2): PC-relative
 * addressing, add/subtract, logical, move wide, bitfield and extract.
 *
 * Handlers receive the fields named by their rows in a64.decode. sf = 1
 * selects the 64-bit form; 32-bit forms compute on the low word and write it
 * zero-extended.
 */
public final class DataProcImm {
    private DataProcImm() {}

    private static final long W = 0xFFFF_FFFFL;

    /** Result of a 64- or 32-bit operation, zero-extended when sf is 0. */
    private static long sized(int sf, long v) {
        return sf != 0 ? v : v & W;
    }

    // ---- PC-relative addressing -----------------------------------------------------

    /** ADR: imm is immhi:immlo, a signed byte offset. */
    public static void adr(Cpu c, int imm, int rd) {
        c.setX(rd, c.pc + imm);
        c.pc += 4;
    }

    /** ADRP: imm is immhi:immlo, a signed offset in 4 KiB pages. */
    public static void adrp(Cpu c, int imm, int rd) {
        c.setX(rd, (c.pc & ~0xFFFL) + ((long) imm << 12));
        c.pc += 4;
    }

    // ---- Add/subtract (immediate) ---------------------------------------------------

    /** imm12, shifted left by 12 when sh is set. */
    private static long addImmOperand(int sh, int imm12) {
        return (long) imm12 << (sh * 12);
    }

    /** ADD_imm: Rd and Rn are SP when 31 (MOV to/from SP is this). */
    public static void addImm(Cpu c, int sf, int sh, int imm12, int rn, int rd) {
        c.setXOrSp(rd, sized(sf, c.xOrSp(rn) + addImmOperand(sh, imm12)));
        c.pc += 4;
    }

    /** ADDS_imm: Rn is SP, Rd is XZR (CMN). */
    public static void addsImm(Cpu c, int sf, int sh, int imm12, int rn, int rd) {
        long x = c.xOrSp(rn), y = addImmOperand(sh, imm12);
        c.setX(rd, sf != 0 ? Alu.adds64(c, x, y) : Alu.adds32(c, x, y));
        c.pc += 4;
    }

    /** SUB_imm: Rd and Rn are SP when 31. */
    public static void subImm(Cpu c, int sf, int sh, int imm12, int rn, int rd) {
        c.setXOrSp(rd, sized(sf, c.xOrSp(rn) - addImmOperand(sh, imm12)));
        c.pc += 4;
    }

    /** SUBS_imm: Rn is SP, Rd is XZR (CMP). */
    public static void subsImm(Cpu c, int sf, int sh, int imm12, int rn, int rd) {
        long x = c.xOrSp(rn), y = addImmOperand(sh, imm12);
        c.setX(rd, sf != 0 ? Alu.subs64(c, x, y) : Alu.subs32(c, x, y));
        c.pc += 4;
    }

    // ---- Logical (immediate) --------------------------------------------------------

    /**
     * The bitmask immediate, or {@link Alu#RESERVED} when UNDEFINED: reserved
     * N:imms combinations, and N = 1 (64-bit element) in a 32-bit operation.
     */
    private static long bitmask(int sf, int n, int immr, int imms) {
        if (sf == 0 && n != 0) return Alu.RESERVED;
        return Alu.logicalImmediate(n, immr, imms);
    }

    /** AND_imm: Rd is SP when 31, Rn is XZR. */
    public static void andImm(Cpu c, int sf, int n, int immr, int imms, int rn, int rd) {
        long imm = bitmask(sf, n, immr, imms);
        if (imm == Alu.RESERVED) {
            c.undefined();
            return;
        }
        c.setXOrSp(rd, sized(sf, c.x[rn] & imm));
        c.pc += 4;
    }

    /** ORR_imm: Rd is SP when 31 (MOV (bitmask immediate) can set SP), Rn is XZR. */
    public static void orrImm(Cpu c, int sf, int n, int immr, int imms, int rn, int rd) {
        long imm = bitmask(sf, n, immr, imms);
        if (imm == Alu.RESERVED) {
            c.undefined();
            return;
        }
        c.setXOrSp(rd, sized(sf, c.x[rn] | imm));
        c.pc += 4;
    }

    /** EOR_imm: Rd is SP when 31, Rn is XZR. */
    public static void eorImm(Cpu c, int sf, int n, int immr, int imms, int rn, int rd) {
        long imm = bitmask(sf, n, immr, imms);
        if (imm == Alu.RESERVED) {
            c.undefined();
            return;
        }
        c.setXOrSp(rd, sized(sf, c.x[rn] ^ imm));
        c.pc += 4;
    }

    /** ANDS_imm: Rd is XZR (TST). */
    public static void andsImm(Cpu c, int sf, int n, int immr, int imms, int rn, int rd) {
        long imm = bitmask(sf, n, immr, imms);
        if (imm == Alu.RESERVED) {
            c.undefined();
            return;
        }
        long r = c.x[rn] & imm;
        if (sf != 0) Alu.logicFlags64(c, r); else Alu.logicFlags32(c, r);
        c.setX(rd, sized(sf, r));
        c.pc += 4;
    }

    // ---- Move wide ------------------------------------------------------------------

    /** hw*16, or -1 when sf is 0 and hw is 2 or 3 (UNDEFINED). */
    private static int moveWideShift(int sf, int hw) {
        return (sf == 0 && hw >= 2) ? -1 : hw << 4;
    }

    /** MOVN */
    public static void movn(Cpu c, int sf, int hw, int imm16, int rd) {
        int pos = moveWideShift(sf, hw);
        if (pos < 0) {
            c.undefined();
            return;
        }
        c.setX(rd, sized(sf, ~((long) imm16 << pos)));
        c.pc += 4;
    }

    /** MOVZ */
    public static void movz(Cpu c, int sf, int hw, int imm16, int rd) {
        int pos = moveWideShift(sf, hw);
        if (pos < 0) {
            c.undefined();
            return;
        }
        c.setX(rd, (long) imm16 << pos);
        c.pc += 4;
    }

    /** MOVK */
    public static void movk(Cpu c, int sf, int hw, int imm16, int rd) {
        int pos = moveWideShift(sf, hw);
        if (pos < 0) {
            c.undefined();
            return;
        }
        c.setX(rd, sized(sf, (c.x[rd] & ~(0xFFFFL << pos)) | ((long) imm16 << pos)));
        c.pc += 4;
    }

    // ---- Bitfield -------------------------------------------------------------------
    // With esize = datasize (the only legal case), DecodeBitMasks reduces to: for
    // imms >= immr, bits imms..immr of Rn move to the bottom (xBFX); otherwise
    // bits imms..0 move up to bit datasize-immr (xBFIZ, LSL).

    /** Bitfield encodings need N == sf, and in 32-bit forms immr and imms below 32. */
    private static boolean bitfieldReserved(int sf, int n, int immr, int imms) {
        return sf != 0 ? n == 0 : n != 0 || immr >= 32 || imms >= 32;
    }

    /** SBFM (ASR, SBFX, SBFIZ, SXTB/H/W). */
    public static void sbfm(Cpu c, int sf, int n, int r, int s, int rn, int rd) {
        if (bitfieldReserved(sf, n, r, s)) {
            c.undefined();
            return;
        }
        long src = c.x[rn];
        long result;
        if (sf != 0) {
            result = s >= r
                    ? (src << (63 - s)) >> (63 - s + r)
                    : ((src << (63 - s)) >> (63 - s)) << (64 - r);
        } else {
            int v = (int) src;
            result = s >= r
                    ? (v << (31 - s)) >> (31 - s + r)
                    : ((v << (31 - s)) >> (31 - s)) << (32 - r);
            result &= W;
        }
        c.setX(rd, result);
        c.pc += 4;
    }

    /** BFM (BFI, BFXIL): bits outside the field keep Rd's value. */
    public static void bfm(Cpu c, int sf, int n, int r, int s, int rn, int rd) {
        if (bitfieldReserved(sf, n, r, s)) {
            c.undefined();
            return;
        }
        long src = c.x[rn], dst = c.x[rd];
        int datasize = sf != 0 ? 64 : 32;
        long field, mask;
        if (s >= r) {
            mask = lowOnes(s - r + 1);
            field = (src >>> r) & mask;
        } else {
            int pos = datasize - r;
            mask = lowOnes(s + 1) << pos;
            field = (src << pos) & mask;
        }
        c.setX(rd, sized(sf, (dst & ~mask) | field));
        c.pc += 4;
    }

    /** UBFM (LSL, LSR, UBFX, UBFIZ, UXTB/H). */
    public static void ubfm(Cpu c, int sf, int n, int r, int s, int rn, int rd) {
        if (bitfieldReserved(sf, n, r, s)) {
            c.undefined();
            return;
        }
        long src = sf != 0 ? c.x[rn] : c.x[rn] & W;
        int datasize = sf != 0 ? 64 : 32;
        long result = s >= r
                ? (src >>> r) & lowOnes(s - r + 1)
                : (src & lowOnes(s + 1)) << (datasize - r);
        c.setX(rd, sized(sf, result));
        c.pc += 4;
    }

    /** Ones in bits width-1..0, for width 1-64. */
    private static long lowOnes(int width) {
        return -1L >>> (64 - width);
    }

    // ---- Extract ----------------------------------------------------------------------

    /** EXTR (ROR immediate when Rn == Rm): bits lsb+datasize-1..lsb of Rn:Rm. N must equal sf, and lsb < 32 in 32-bit forms. */
    public static void extr(Cpu c, int sf, int n, int rm, int lsb, int rn, int rd) {
        boolean reserved = sf != 0 ? n == 0 : n != 0 || lsb >= 32;
        if (reserved) {
            c.undefined();
            return;
        }
        long hi = c.x[rn], lo = c.x[rm];
        long result = sf != 0
                // Two shifts so that lsb = 0 shifts hi out entirely (a single << 64 would be << 0).
                ? (lo >>> lsb) | ((hi << 1) << (63 - lsb))
                : (((lo & W) >>> lsb) | (hi << (32 - lsb))) & W;
        c.setX(rd, result);
        c.pc += 4;
    }
}
