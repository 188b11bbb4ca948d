package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Data processing, register (Arm ARM C4.1.89 / C6.2): logical and add/subtract
 * (shifted and extended register), add/subtract with carry, conditional
 * compare and select, 1-source, 2-source (divide, variable shifts, CRC32) and
 * 3-source (multiply) instructions.
 *
 * Bit 31 of every encoding here is sf, so {@code insn < 0} selects the
 * 64-bit form. 32-bit forms compute on the low word and write it
 * zero-extended; register 31 is XZR except where a method says SP.
 */
public final class DataProcReg {
    private DataProcReg() {}

    private static final long W = 0xFFFF_FFFFL;

    private static int rd(int insn) {
        return insn & 31;
    }

    private static int rn(int insn) {
        return (insn >>> 5) & 31;
    }

    private static int rm(int insn) {
        return (insn >>> 16) & 31;
    }

    private static int ra(int insn) {
        return (insn >>> 10) & 31;
    }

    private static int cond(int insn) {
        return (insn >>> 12) & 15;
    }

    /** Result of a 64- or 32-bit operation, zero-extended when sf is 0. */
    private static long sized(int insn, long v) {
        return insn < 0 ? v : v & W;
    }

    // ---- Shifted register operand -------------------------------------------------

    /** imm6 >= 32 in a 32-bit form is UNDEFINED. */
    private static boolean shift32Reserved(int insn) {
        return insn >= 0 && (insn & 0x8000) != 0;
    }

    /** ShiftReg(Rm, shift, imm6); only the low word is meaningful in 32-bit forms. */
    private static long shiftedRm(Cpu c, int insn) {
        long m = c.x[rm(insn)];
        // Any shift by 0 is the identity: the common "add x0, x1, x2" skips the switch.
        if ((insn & 0xFC00) == 0) return m;
        int type = (insn >>> 22) & 3, amount = (insn >>> 10) & 0x3F;
        return insn < 0 ? Alu.shift64(m, type, amount) : Alu.shift32(m, type, amount);
    }

    /** Add/subtract shifted register: ROR and, in 32-bit forms, imm6 >= 32 are UNDEFINED. */
    private static boolean addSubShiftReserved(int insn) {
        return (insn & 0x00C0_0000) == 0x00C0_0000 || shift32Reserved(insn);
    }

    // ---- Logical (shifted register) -------------------------------------------------

    private static void logical(Cpu c, int insn, long r) {
        c.setX(rd(insn), sized(insn, r));
        c.pc += 4;
    }

    private static void logicalWithFlags(Cpu c, int insn, long r) {
        if (insn < 0) Alu.logicFlags64(c, r); else Alu.logicFlags32(c, r);
        logical(c, insn, r);
    }

    /** AND_sh */
    public static void andSh(Cpu c, int insn) {
        if (shift32Reserved(insn)) {
            c.undefined();
            return;
        }
        logical(c, insn, c.x[rn(insn)] & shiftedRm(c, insn));
    }

    /** BIC_sh */
    public static void bicSh(Cpu c, int insn) {
        if (shift32Reserved(insn)) {
            c.undefined();
            return;
        }
        logical(c, insn, c.x[rn(insn)] & ~shiftedRm(c, insn));
    }

    /** ORR_sh (MOV register is ORR with XZR) */
    public static void orrSh(Cpu c, int insn) {
        if (shift32Reserved(insn)) {
            c.undefined();
            return;
        }
        logical(c, insn, c.x[rn(insn)] | shiftedRm(c, insn));
    }

    /** ORN_sh (MVN) */
    public static void ornSh(Cpu c, int insn) {
        if (shift32Reserved(insn)) {
            c.undefined();
            return;
        }
        logical(c, insn, c.x[rn(insn)] | ~shiftedRm(c, insn));
    }

    /** EOR_sh */
    public static void eorSh(Cpu c, int insn) {
        if (shift32Reserved(insn)) {
            c.undefined();
            return;
        }
        logical(c, insn, c.x[rn(insn)] ^ shiftedRm(c, insn));
    }

    /** EON_sh */
    public static void eonSh(Cpu c, int insn) {
        if (shift32Reserved(insn)) {
            c.undefined();
            return;
        }
        logical(c, insn, c.x[rn(insn)] ^ ~shiftedRm(c, insn));
    }

    /** ANDS_sh (TST) */
    public static void andsSh(Cpu c, int insn) {
        if (shift32Reserved(insn)) {
            c.undefined();
            return;
        }
        logicalWithFlags(c, insn, c.x[rn(insn)] & shiftedRm(c, insn));
    }

    /** BICS_sh */
    public static void bicsSh(Cpu c, int insn) {
        if (shift32Reserved(insn)) {
            c.undefined();
            return;
        }
        logicalWithFlags(c, insn, c.x[rn(insn)] & ~shiftedRm(c, insn));
    }

    // ---- Add/subtract (shifted register): Rd and Rn are XZR ----------------------

    /** ADD_sh */
    public static void addSh(Cpu c, int insn) {
        if (addSubShiftReserved(insn)) {
            c.undefined();
            return;
        }
        c.setX(rd(insn), sized(insn, c.x[rn(insn)] + shiftedRm(c, insn)));
        c.pc += 4;
    }

    /** ADDS_sh (CMN) */
    public static void addsSh(Cpu c, int insn) {
        if (addSubShiftReserved(insn)) {
            c.undefined();
            return;
        }
        long x = c.x[rn(insn)], y = shiftedRm(c, insn);
        c.setX(rd(insn), insn < 0 ? Alu.adds64(c, x, y) : Alu.adds32(c, x, y));
        c.pc += 4;
    }

    /** SUB_sh (NEG) */
    public static void subSh(Cpu c, int insn) {
        if (addSubShiftReserved(insn)) {
            c.undefined();
            return;
        }
        c.setX(rd(insn), sized(insn, c.x[rn(insn)] - shiftedRm(c, insn)));
        c.pc += 4;
    }

    /** SUBS_sh (CMP, NEGS) */
    public static void subsSh(Cpu c, int insn) {
        if (addSubShiftReserved(insn)) {
            c.undefined();
            return;
        }
        long x = c.x[rn(insn)], y = shiftedRm(c, insn);
        c.setX(rd(insn), insn < 0 ? Alu.subs64(c, x, y) : Alu.subs32(c, x, y));
        c.pc += 4;
    }

    // ---- Add/subtract (extended register): Rn is SP; Rd is SP unless flags are set ----

    /** imm3 (left shift of the extended Rm) above 4 is UNDEFINED. */
    private static boolean extendReserved(int insn) {
        return ((insn >>> 10) & 7) > 4;
    }

    private static long extendedRm(Cpu c, int insn) {
        return Alu.extend(c.x[rm(insn)], (insn >>> 13) & 7, (insn >>> 10) & 7);
    }

    /** ADD_ext */
    public static void addExt(Cpu c, int insn) {
        if (extendReserved(insn)) {
            c.undefined();
            return;
        }
        c.setXOrSp(rd(insn), sized(insn, c.xOrSp(rn(insn)) + extendedRm(c, insn)));
        c.pc += 4;
    }

    /** ADDS_ext (CMN) */
    public static void addsExt(Cpu c, int insn) {
        if (extendReserved(insn)) {
            c.undefined();
            return;
        }
        long x = c.xOrSp(rn(insn)), y = extendedRm(c, insn);
        c.setX(rd(insn), insn < 0 ? Alu.adds64(c, x, y) : Alu.adds32(c, x, y));
        c.pc += 4;
    }

    /** SUB_ext */
    public static void subExt(Cpu c, int insn) {
        if (extendReserved(insn)) {
            c.undefined();
            return;
        }
        c.setXOrSp(rd(insn), sized(insn, c.xOrSp(rn(insn)) - extendedRm(c, insn)));
        c.pc += 4;
    }

    /** SUBS_ext (CMP) */
    public static void subsExt(Cpu c, int insn) {
        if (extendReserved(insn)) {
            c.undefined();
            return;
        }
        long x = c.xOrSp(rn(insn)), y = extendedRm(c, insn);
        c.setX(rd(insn), insn < 0 ? Alu.subs64(c, x, y) : Alu.subs32(c, x, y));
        c.pc += 4;
    }

    // ---- Add/subtract with carry ---------------------------------------------------

    private static int carry(Cpu c) {
        return c.cf ? 1 : 0;
    }

    /** ADC */
    public static void adc(Cpu c, int insn) {
        c.setX(rd(insn), sized(insn, c.x[rn(insn)] + c.x[rm(insn)] + carry(c)));
        c.pc += 4;
    }

    /** ADCS */
    public static void adcs(Cpu c, int insn) {
        long x = c.x[rn(insn)], y = c.x[rm(insn)];
        int cin = carry(c);
        c.setX(rd(insn), insn < 0 ? Alu.addWithCarry64(c, x, y, cin) : Alu.addWithCarry32(c, x, y, cin));
        c.pc += 4;
    }

    /** SBC (NGC) */
    public static void sbc(Cpu c, int insn) {
        c.setX(rd(insn), sized(insn, c.x[rn(insn)] + ~c.x[rm(insn)] + carry(c)));
        c.pc += 4;
    }

    /** SBCS (NGCS) */
    public static void sbcs(Cpu c, int insn) {
        long x = c.x[rn(insn)], y = ~c.x[rm(insn)];
        int cin = carry(c);
        c.setX(rd(insn), insn < 0 ? Alu.addWithCarry64(c, x, y, cin) : Alu.addWithCarry32(c, x, y, cin));
        c.pc += 4;
    }

    // ---- Conditional compare -------------------------------------------------------
    // When the condition fails, NZCV comes from the instruction's nzcv field (bits 3:0).

    private static void conditionalCompare(Cpu c, int insn, long y, boolean negate) {
        if (c.conditionHolds(cond(insn))) {
            long x = c.x[rn(insn)];
            if (insn < 0) {
                if (negate) Alu.adds64(c, x, y); else Alu.subs64(c, x, y);
            } else {
                if (negate) Alu.adds32(c, x, y); else Alu.subs32(c, x, y);
            }
        } else {
            c.setNzcv((long) (insn & 15) << 28);
        }
        c.pc += 4;
    }

    /** CCMN_reg */
    public static void ccmnReg(Cpu c, int insn) {
        conditionalCompare(c, insn, c.x[rm(insn)], true);
    }

    /** CCMP_reg */
    public static void ccmpReg(Cpu c, int insn) {
        conditionalCompare(c, insn, c.x[rm(insn)], false);
    }

    /** CCMN_imm: imm5 sits where Rm would. */
    public static void ccmnImm(Cpu c, int insn) {
        conditionalCompare(c, insn, rm(insn), true);
    }

    /** CCMP_imm */
    public static void ccmpImm(Cpu c, int insn) {
        conditionalCompare(c, insn, rm(insn), false);
    }

    // ---- Conditional select --------------------------------------------------------

    /** CSEL */
    public static void csel(Cpu c, int insn) {
        long r = c.conditionHolds(cond(insn)) ? c.x[rn(insn)] : c.x[rm(insn)];
        c.setX(rd(insn), sized(insn, r));
        c.pc += 4;
    }

    /** CSINC (CSET, CINC) */
    public static void csinc(Cpu c, int insn) {
        long r = c.conditionHolds(cond(insn)) ? c.x[rn(insn)] : c.x[rm(insn)] + 1;
        c.setX(rd(insn), sized(insn, r));
        c.pc += 4;
    }

    /** CSINV (CSETM, CINV) */
    public static void csinv(Cpu c, int insn) {
        long r = c.conditionHolds(cond(insn)) ? c.x[rn(insn)] : ~c.x[rm(insn)];
        c.setX(rd(insn), sized(insn, r));
        c.pc += 4;
    }

    /** CSNEG (CNEG) */
    public static void csneg(Cpu c, int insn) {
        long r = c.conditionHolds(cond(insn)) ? c.x[rn(insn)] : -c.x[rm(insn)];
        c.setX(rd(insn), sized(insn, r));
        c.pc += 4;
    }

    // ---- Data processing, 1 source ------------------------------------------------

    /** RBIT */
    public static void rbit(Cpu c, int insn) {
        long n = c.x[rn(insn)];
        c.setX(rd(insn), insn < 0 ? Long.reverse(n) : Integer.reverse((int) n) & W);
        c.pc += 4;
    }

    /** REV16: swaps the bytes of each halfword. */
    public static void rev16(Cpu c, int insn) {
        long n = c.x[rn(insn)];
        long r = ((n >>> 8) & 0x00FF_00FF_00FF_00FFL) | ((n & 0x00FF_00FF_00FF_00FFL) << 8);
        c.setX(rd(insn), sized(insn, r));
        c.pc += 4;
    }

    /** REV32 for X registers; with sf = 0 the same opcode is REV Wd (whole-register byte reverse). */
    public static void rev32(Cpu c, int insn) {
        long n = c.x[rn(insn)];
        c.setX(rd(insn), insn < 0
                ? Long.rotateLeft(Long.reverseBytes(n), 32)
                : Integer.reverseBytes((int) n) & W);
        c.pc += 4;
    }

    /** REV64 (REV Xd) */
    public static void rev64(Cpu c, int insn) {
        c.setX(rd(insn), Long.reverseBytes(c.x[rn(insn)]));
        c.pc += 4;
    }

    /** CLZ */
    public static void clz(Cpu c, int insn) {
        long n = c.x[rn(insn)];
        c.setX(rd(insn), insn < 0 ? Long.numberOfLeadingZeros(n) : Integer.numberOfLeadingZeros((int) n));
        c.pc += 4;
    }

    /** CLS: CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>); OR-ing in bit 0 caps the count at N-1. */
    public static void cls(Cpu c, int insn) {
        long n = c.x[rn(insn)];
        int w = (int) n;
        c.setX(rd(insn), insn < 0
                ? Long.numberOfLeadingZeros((n ^ (n << 1)) | 1)
                : Integer.numberOfLeadingZeros((w ^ (w << 1)) | 1));
        c.pc += 4;
    }

    // ---- Data processing, 2 source ------------------------------------------------

    /** UDIV: division by zero gives 0 (no trap in A64). */
    public static void udiv(Cpu c, int insn) {
        long n = c.x[rn(insn)], m = c.x[rm(insn)];
        long r;
        if (insn < 0) {
            r = m == 0 ? 0 : Long.divideUnsigned(n, m);
        } else {
            r = (int) m == 0 ? 0 : Integer.divideUnsigned((int) n, (int) m) & W;
        }
        c.setX(rd(insn), r);
        c.pc += 4;
    }

    /** SDIV: rounds toward zero; division by zero gives 0; MIN / -1 gives MIN (Java's / does the same). */
    public static void sdiv(Cpu c, int insn) {
        long n = c.x[rn(insn)], m = c.x[rm(insn)];
        long r;
        if (insn < 0) {
            r = m == 0 ? 0 : n / m;
        } else {
            r = (int) m == 0 ? 0 : ((int) n / (int) m) & W;
        }
        c.setX(rd(insn), r);
        c.pc += 4;
    }

    // Variable shifts use Rm modulo the register size, which is exactly how Java masks shift counts.

    /** LSLV */
    public static void lslv(Cpu c, int insn) {
        long n = c.x[rn(insn)];
        int m = (int) c.x[rm(insn)];
        c.setX(rd(insn), insn < 0 ? n << m : ((int) n << m) & W);
        c.pc += 4;
    }

    /** LSRV */
    public static void lsrv(Cpu c, int insn) {
        long n = c.x[rn(insn)];
        int m = (int) c.x[rm(insn)];
        c.setX(rd(insn), insn < 0 ? n >>> m : ((int) n >>> m) & W);
        c.pc += 4;
    }

    /** ASRV */
    public static void asrv(Cpu c, int insn) {
        long n = c.x[rn(insn)];
        int m = (int) c.x[rm(insn)];
        c.setX(rd(insn), insn < 0 ? n >> m : ((int) n >> m) & W);
        c.pc += 4;
    }

    /** RORV */
    public static void rorv(Cpu c, int insn) {
        long n = c.x[rn(insn)];
        int m = (int) c.x[rm(insn)];
        c.setX(rd(insn), insn < 0 ? Long.rotateRight(n, m) : Integer.rotateRight((int) n, m) & W);
        c.pc += 4;
    }

    /** The X forms (sz = 11) need sf = 1 and the B/H/W forms need sf = 0. */
    private static boolean crcReserved(int insn) {
        return (insn < 0) != ((insn & 0xC00) == 0xC00);
    }

    private static void crc(Cpu c, int insn, boolean castagnoli) {
        if (crcReserved(insn)) {
            c.undefined();
            return;
        }
        int r = Alu.crc(castagnoli, (int) c.x[rn(insn)], c.x[rm(insn)], (insn >>> 10) & 3);
        c.setX(rd(insn), r & W);
        c.pc += 4;
    }

    /** CRC32B/H/W/X (polynomial 0x04C11DB7) */
    public static void crc32(Cpu c, int insn) {
        crc(c, insn, false);
    }

    /** CRC32CB/H/W/X (Castagnoli polynomial 0x1EDC6F41) */
    public static void crc32c(Cpu c, int insn) {
        crc(c, insn, true);
    }

    // ---- Data processing, 3 source ------------------------------------------------

    /** MADD (MUL when Ra is XZR) */
    public static void madd(Cpu c, int insn) {
        c.setX(rd(insn), sized(insn, c.x[ra(insn)] + c.x[rn(insn)] * c.x[rm(insn)]));
        c.pc += 4;
    }

    /** MSUB (MNEG) */
    public static void msub(Cpu c, int insn) {
        c.setX(rd(insn), sized(insn, c.x[ra(insn)] - c.x[rn(insn)] * c.x[rm(insn)]));
        c.pc += 4;
    }

    /** SMADDL (SMULL) */
    public static void smaddl(Cpu c, int insn) {
        c.setX(rd(insn), c.x[ra(insn)] + (long) (int) c.x[rn(insn)] * (int) c.x[rm(insn)]);
        c.pc += 4;
    }

    /** SMSUBL (SMNEGL) */
    public static void smsubl(Cpu c, int insn) {
        c.setX(rd(insn), c.x[ra(insn)] - (long) (int) c.x[rn(insn)] * (int) c.x[rm(insn)]);
        c.pc += 4;
    }

    /** SMULH: Ra is should-be-one and ignored. */
    public static void smulh(Cpu c, int insn) {
        c.setX(rd(insn), Math.multiplyHigh(c.x[rn(insn)], c.x[rm(insn)]));
        c.pc += 4;
    }

    /** UMADDL (UMULL) */
    public static void umaddl(Cpu c, int insn) {
        c.setX(rd(insn), c.x[ra(insn)] + (c.x[rn(insn)] & W) * (c.x[rm(insn)] & W));
        c.pc += 4;
    }

    /** UMSUBL (UMNEGL) */
    public static void umsubl(Cpu c, int insn) {
        c.setX(rd(insn), c.x[ra(insn)] - (c.x[rn(insn)] & W) * (c.x[rm(insn)] & W));
        c.pc += 4;
    }

    /** UMULH: Ra is should-be-one and ignored. */
    public static void umulh(Cpu c, int insn) {
        c.setX(rd(insn), Math.unsignedMultiplyHigh(c.x[rn(insn)], c.x[rm(insn)]));
        c.pc += 4;
    }
}
