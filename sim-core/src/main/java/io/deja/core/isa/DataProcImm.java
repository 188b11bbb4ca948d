package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Data processing, immediate (Arm ARM C4.1.86 / C6.2): PC-relative
 * addressing, add/subtract, logical, move wide, bitfield and extract.
 *
 * Bit 31 of every encoding here is sf, so {@code insn < 0} selects the
 * 64-bit form. 32-bit forms compute on the low word and write it
 * zero-extended.
 */
public final class DataProcImm {
    private DataProcImm() {}

    private static final long W = 0xFFFF_FFFFL;

    private static int rd(int insn) {
        return insn & 31;
    }

    private static int rn(int insn) {
        return (insn >>> 5) & 31;
    }

    /** Result of a 64- or 32-bit operation, zero-extended when sf is 0. */
    private static long sized(int insn, long v) {
        return insn < 0 ? v : v & W;
    }

    // ---- PC-relative addressing -----------------------------------------------------

    /** immhi:immlo sign-extended from 21 bits. */
    private static long adrOffset(int insn) {
        int imm = ((insn >> 3) & ~3) | ((insn >>> 29) & 3);
        return (imm << 11) >> 11;
    }

    /** ADR */
    public static void adr(Cpu c, int insn) {
        c.setX(rd(insn), c.pc + adrOffset(insn));
        c.pc += 4;
    }

    /** ADRP */
    public static void adrp(Cpu c, int insn) {
        c.setX(rd(insn), (c.pc & ~0xFFFL) + (adrOffset(insn) << 12));
        c.pc += 4;
    }

    // ---- Add/subtract (immediate) ---------------------------------------------------

    /** imm12, shifted left by 12 when sh (bit 22) is set. */
    private static long addImmOperand(int insn) {
        return (long) ((insn >>> 10) & 0xFFF) << (((insn >>> 22) & 1) * 12);
    }

    /** ADD_imm: Rd and Rn are SP when 31 (MOV to/from SP is this). */
    public static void addImm(Cpu c, int insn) {
        c.setXOrSp(rd(insn), sized(insn, c.xOrSp(rn(insn)) + addImmOperand(insn)));
        c.pc += 4;
    }

    /** ADDS_imm: Rn is SP, Rd is XZR (CMN). */
    public static void addsImm(Cpu c, int insn) {
        long x = c.xOrSp(rn(insn)), y = addImmOperand(insn);
        c.setX(rd(insn), insn < 0 ? Alu.adds64(c, x, y) : Alu.adds32(c, x, y));
        c.pc += 4;
    }

    /** SUB_imm: Rd and Rn are SP when 31. */
    public static void subImm(Cpu c, int insn) {
        c.setXOrSp(rd(insn), sized(insn, c.xOrSp(rn(insn)) - addImmOperand(insn)));
        c.pc += 4;
    }

    /** SUBS_imm: Rn is SP, Rd is XZR (CMP). */
    public static void subsImm(Cpu c, int insn) {
        long x = c.xOrSp(rn(insn)), y = addImmOperand(insn);
        c.setX(rd(insn), insn < 0 ? Alu.subs64(c, x, y) : Alu.subs32(c, x, y));
        c.pc += 4;
    }

    // ---- Logical (immediate) --------------------------------------------------------

    /**
     * The bitmask immediate, or {@link Alu#RESERVED} when UNDEFINED: reserved
     * N:imms combinations, and N = 1 (64-bit element) in a 32-bit operation.
     */
    private static long bitmask(int insn) {
        if ((insn & 0x8040_0000) == 0x0040_0000) return Alu.RESERVED;
        return Alu.logicalImmediate(insn);
    }

    /** AND_imm: Rd is SP when 31, Rn is XZR. */
    public static void andImm(Cpu c, int insn) {
        long imm = bitmask(insn);
        if (imm == Alu.RESERVED) {
            c.undefined();
            return;
        }
        c.setXOrSp(rd(insn), sized(insn, c.x[rn(insn)] & imm));
        c.pc += 4;
    }

    /** ORR_imm: Rd is SP when 31 (MOV (bitmask immediate) can set SP), Rn is XZR. */
    public static void orrImm(Cpu c, int insn) {
        long imm = bitmask(insn);
        if (imm == Alu.RESERVED) {
            c.undefined();
            return;
        }
        c.setXOrSp(rd(insn), sized(insn, c.x[rn(insn)] | imm));
        c.pc += 4;
    }

    /** EOR_imm: Rd is SP when 31, Rn is XZR. */
    public static void eorImm(Cpu c, int insn) {
        long imm = bitmask(insn);
        if (imm == Alu.RESERVED) {
            c.undefined();
            return;
        }
        c.setXOrSp(rd(insn), sized(insn, c.x[rn(insn)] ^ imm));
        c.pc += 4;
    }

    /** ANDS_imm: Rd is XZR (TST). */
    public static void andsImm(Cpu c, int insn) {
        long imm = bitmask(insn);
        if (imm == Alu.RESERVED) {
            c.undefined();
            return;
        }
        long r = c.x[rn(insn)] & imm;
        if (insn < 0) Alu.logicFlags64(c, r); else Alu.logicFlags32(c, r);
        c.setX(rd(insn), sized(insn, r));
        c.pc += 4;
    }

    // ---- Move wide ------------------------------------------------------------------

    /** hw*16, or -1 when sf is 0 and hw is 2 or 3 (UNDEFINED). */
    private static int moveWideShift(int insn) {
        int hw = (insn >>> 21) & 3;
        return (insn >= 0 && hw >= 2) ? -1 : hw << 4;
    }

    private static long imm16(int insn) {
        return (insn >>> 5) & 0xFFFFL;
    }

    /** MOVN */
    public static void movn(Cpu c, int insn) {
        int pos = moveWideShift(insn);
        if (pos < 0) {
            c.undefined();
            return;
        }
        c.setX(rd(insn), sized(insn, ~(imm16(insn) << pos)));
        c.pc += 4;
    }

    /** MOVZ */
    public static void movz(Cpu c, int insn) {
        int pos = moveWideShift(insn);
        if (pos < 0) {
            c.undefined();
            return;
        }
        c.setX(rd(insn), imm16(insn) << pos);
        c.pc += 4;
    }

    /** MOVK */
    public static void movk(Cpu c, int insn) {
        int pos = moveWideShift(insn);
        if (pos < 0) {
            c.undefined();
            return;
        }
        int d = rd(insn);
        c.setX(d, sized(insn, (c.x[d] & ~(0xFFFFL << pos)) | (imm16(insn) << pos)));
        c.pc += 4;
    }

    // ---- Bitfield -------------------------------------------------------------------
    // With esize = datasize (the only legal case), DecodeBitMasks reduces to: for
    // imms >= immr, bits imms..immr of Rn move to the bottom (xBFX); otherwise
    // bits imms..0 move up to bit datasize-immr (xBFIZ, LSL).

    /**
     * Bitfield encodings need N == sf, and in 32-bit forms immr and imms below
     * 32: bits 31, 22, 21 and 15 must be 0,0,0,0 or 1,1,x,x.
     */
    private static boolean bitfieldReserved(int insn) {
        return insn < 0 ? (insn & 0x0040_0000) == 0 : (insn & 0x0060_8000) != 0;
    }

    private static int immr(int insn) {
        return (insn >>> 16) & 0x3F;
    }

    private static int imms(int insn) {
        return (insn >>> 10) & 0x3F;
    }

    /** SBFM (ASR, SBFX, SBFIZ, SXTB/H/W). */
    public static void sbfm(Cpu c, int insn) {
        if (bitfieldReserved(insn)) {
            c.undefined();
            return;
        }
        int r = immr(insn), s = imms(insn);
        long src = c.x[rn(insn)];
        long result;
        if (insn < 0) {
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
        c.setX(rd(insn), result);
        c.pc += 4;
    }

    /** BFM (BFI, BFXIL): bits outside the field keep Rd's value. */
    public static void bfm(Cpu c, int insn) {
        if (bitfieldReserved(insn)) {
            c.undefined();
            return;
        }
        int r = immr(insn), s = imms(insn);
        int d = rd(insn);
        long src = c.x[rn(insn)], dst = c.x[d];
        int datasize = insn < 0 ? 64 : 32;
        long field, mask;
        if (s >= r) {
            mask = lowOnes(s - r + 1);
            field = (src >>> r) & mask;
        } else {
            int pos = datasize - r;
            mask = lowOnes(s + 1) << pos;
            field = (src << pos) & mask;
        }
        c.setX(d, sized(insn, (dst & ~mask) | field));
        c.pc += 4;
    }

    /** UBFM (LSL, LSR, UBFX, UBFIZ, UXTB/H). */
    public static void ubfm(Cpu c, int insn) {
        if (bitfieldReserved(insn)) {
            c.undefined();
            return;
        }
        int r = immr(insn), s = imms(insn);
        long src = insn < 0 ? c.x[rn(insn)] : c.x[rn(insn)] & W;
        int datasize = insn < 0 ? 64 : 32;
        long result = s >= r
                ? (src >>> r) & lowOnes(s - r + 1)
                : (src & lowOnes(s + 1)) << (datasize - r);
        c.setX(rd(insn), sized(insn, result));
        c.pc += 4;
    }

    /** Ones in bits width-1..0, for width 1-64. */
    private static long lowOnes(int width) {
        return -1L >>> (64 - width);
    }

    // ---- Extract ----------------------------------------------------------------------

    /** EXTR (ROR immediate when Rn == Rm): bits lsb+datasize-1..lsb of Rn:Rm. */
    public static void extr(Cpu c, int insn) {
        boolean reserved = insn < 0 ? (insn & 0x0040_0000) == 0 : (insn & 0x0040_8000) != 0;
        if (reserved) {
            c.undefined();
            return;
        }
        int lsb = imms(insn);
        long hi = c.x[rn(insn)], lo = c.x[(insn >>> 16) & 31];
        long result = insn < 0
                // Two shifts so that lsb = 0 shifts hi out entirely (a single << 64 would be << 0).
                ? (lo >>> lsb) | ((hi << 1) << (63 - lsb))
                : (((lo & W) >>> lsb) | (hi << (32 - lsb))) & W;
        c.setX(rd(insn), result);
        c.pc += 4;
    }
}
