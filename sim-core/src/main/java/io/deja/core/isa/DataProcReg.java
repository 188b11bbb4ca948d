package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Data processing, register (Arm ARM C4.1.89 / C6.2): logical and add/subtract
 * (shifted and extended register), add/subtract with carry, conditional
 * compare and select, 1-source, 2-source (divide, variable shifts, CRC32) and
 * 3-source (multiply) instructions.
 *
 * Handlers receive the fields named by their rows in a64.decode. sf = 1
 * selects the 64-bit form; 32-bit forms compute on the low word and write it
 * zero-extended; register 31 is XZR except where a method says SP.
 */
public final class DataProcReg {
    private DataProcReg() {}

    private static final long W = 0xFFFF_FFFFL;

    /** Result of a 64- or 32-bit operation, zero-extended when sf is 0. */
    private static long sized(int sf, long v) {
        return sf != 0 ? v : v & W;
    }

    // ---- Shifted register operand -------------------------------------------------

    /** imm6 >= 32 in a 32-bit form is UNDEFINED. */
    private static boolean shift32Reserved(int sf, int imm6) {
        return sf == 0 && imm6 >= 32;
    }

    /**
     * ShiftReg(Rm, shift, imm6); only the low word is meaningful in 32-bit forms.
     * The 64-bit shifts are spelled out here rather than calling Alu.shift64:
     * this call site is rarely reached in the interpreter's profile (most
     * shifted-register instructions shift by 0), so C2 would not inline the
     * call even in a translated block where shift and imm6 are constants.
     */
    private static long shiftedRm(Cpu c, int sf, int shift, int rm, int imm6) {
        long m = c.x[rm];
        // Any shift by 0 is the identity: the common "add x0, x1, x2" skips the switch.
        if (imm6 == 0) return m;
        if (sf == 0) return Alu.shift32(m, shift, imm6);
        if (shift == 0) return m << imm6;
        if (shift == 1) return m >>> imm6;
        if (shift == 2) return m >> imm6;
        return Long.rotateRight(m, imm6);
    }

    /** Add/subtract shifted register: ROR and, in 32-bit forms, imm6 >= 32 are UNDEFINED. */
    private static boolean addSubShiftReserved(int sf, int shift, int imm6) {
        return shift == 3 || shift32Reserved(sf, imm6);
    }

    // ---- Logical (shifted register) -------------------------------------------------

    private static void logical(Cpu c, int sf, int rd, long r) {
        c.setX(rd, sized(sf, r));
        c.pc += 4;
    }

    private static void logicalWithFlags(Cpu c, int sf, int rd, long r) {
        if (sf != 0) Alu.logicFlags64(c, r); else Alu.logicFlags32(c, r);
        logical(c, sf, rd, r);
    }

    /** AND_sh */
    public static void andSh(Cpu c, int sf, int shift, int rm, int imm6, int rn, int rd) {
        if (shift32Reserved(sf, imm6)) {
            c.undefined();
            return;
        }
        logical(c, sf, rd, c.x[rn] & shiftedRm(c, sf, shift, rm, imm6));
    }

    /** BIC_sh */
    public static void bicSh(Cpu c, int sf, int shift, int rm, int imm6, int rn, int rd) {
        if (shift32Reserved(sf, imm6)) {
            c.undefined();
            return;
        }
        logical(c, sf, rd, c.x[rn] & ~shiftedRm(c, sf, shift, rm, imm6));
    }

    /** ORR_sh (MOV register is ORR with XZR) */
    public static void orrSh(Cpu c, int sf, int shift, int rm, int imm6, int rn, int rd) {
        if (shift32Reserved(sf, imm6)) {
            c.undefined();
            return;
        }
        logical(c, sf, rd, c.x[rn] | shiftedRm(c, sf, shift, rm, imm6));
    }

    /** ORN_sh (MVN) */
    public static void ornSh(Cpu c, int sf, int shift, int rm, int imm6, int rn, int rd) {
        if (shift32Reserved(sf, imm6)) {
            c.undefined();
            return;
        }
        logical(c, sf, rd, c.x[rn] | ~shiftedRm(c, sf, shift, rm, imm6));
    }

    /** EOR_sh */
    public static void eorSh(Cpu c, int sf, int shift, int rm, int imm6, int rn, int rd) {
        if (shift32Reserved(sf, imm6)) {
            c.undefined();
            return;
        }
        logical(c, sf, rd, c.x[rn] ^ shiftedRm(c, sf, shift, rm, imm6));
    }

    /** EON_sh */
    public static void eonSh(Cpu c, int sf, int shift, int rm, int imm6, int rn, int rd) {
        if (shift32Reserved(sf, imm6)) {
            c.undefined();
            return;
        }
        logical(c, sf, rd, c.x[rn] ^ ~shiftedRm(c, sf, shift, rm, imm6));
    }

    /** ANDS_sh (TST) */
    public static void andsSh(Cpu c, int sf, int shift, int rm, int imm6, int rn, int rd) {
        if (shift32Reserved(sf, imm6)) {
            c.undefined();
            return;
        }
        logicalWithFlags(c, sf, rd, c.x[rn] & shiftedRm(c, sf, shift, rm, imm6));
    }

    /** BICS_sh */
    public static void bicsSh(Cpu c, int sf, int shift, int rm, int imm6, int rn, int rd) {
        if (shift32Reserved(sf, imm6)) {
            c.undefined();
            return;
        }
        logicalWithFlags(c, sf, rd, c.x[rn] & ~shiftedRm(c, sf, shift, rm, imm6));
    }

    // ---- Add/subtract (shifted register): Rd and Rn are XZR ----------------------

    /** ADD_sh */
    public static void addSh(Cpu c, int sf, int shift, int rm, int imm6, int rn, int rd) {
        if (addSubShiftReserved(sf, shift, imm6)) {
            c.undefined();
            return;
        }
        c.setX(rd, sized(sf, c.x[rn] + shiftedRm(c, sf, shift, rm, imm6)));
        c.pc += 4;
    }

    /** ADDS_sh (CMN) */
    public static void addsSh(Cpu c, int sf, int shift, int rm, int imm6, int rn, int rd) {
        if (addSubShiftReserved(sf, shift, imm6)) {
            c.undefined();
            return;
        }
        long x = c.x[rn], y = shiftedRm(c, sf, shift, rm, imm6);
        c.setX(rd, sf != 0 ? Alu.adds64(c, x, y) : Alu.adds32(c, x, y));
        c.pc += 4;
    }

    /** SUB_sh (NEG) */
    public static void subSh(Cpu c, int sf, int shift, int rm, int imm6, int rn, int rd) {
        if (addSubShiftReserved(sf, shift, imm6)) {
            c.undefined();
            return;
        }
        c.setX(rd, sized(sf, c.x[rn] - shiftedRm(c, sf, shift, rm, imm6)));
        c.pc += 4;
    }

    /** SUBS_sh (CMP, NEGS) */
    public static void subsSh(Cpu c, int sf, int shift, int rm, int imm6, int rn, int rd) {
        if (addSubShiftReserved(sf, shift, imm6)) {
            c.undefined();
            return;
        }
        long x = c.x[rn], y = shiftedRm(c, sf, shift, rm, imm6);
        c.setX(rd, sf != 0 ? Alu.subs64(c, x, y) : Alu.subs32(c, x, y));
        c.pc += 4;
    }

    // ---- Add/subtract (extended register): Rn is SP; Rd is SP unless flags are set ----

    /** imm3 (left shift of the extended Rm) above 4 is UNDEFINED. */
    private static boolean extendReserved(int imm3) {
        return imm3 > 4;
    }

    private static long extendedRm(Cpu c, int rm, int option, int imm3) {
        return Alu.extend(c.x[rm], option, imm3);
    }

    /** ADD_ext */
    public static void addExt(Cpu c, int sf, int rm, int option, int imm3, int rn, int rd) {
        if (extendReserved(imm3)) {
            c.undefined();
            return;
        }
        c.setXOrSp(rd, sized(sf, c.xOrSp(rn) + extendedRm(c, rm, option, imm3)));
        c.pc += 4;
    }

    /** ADDS_ext (CMN) */
    public static void addsExt(Cpu c, int sf, int rm, int option, int imm3, int rn, int rd) {
        if (extendReserved(imm3)) {
            c.undefined();
            return;
        }
        long x = c.xOrSp(rn), y = extendedRm(c, rm, option, imm3);
        c.setX(rd, sf != 0 ? Alu.adds64(c, x, y) : Alu.adds32(c, x, y));
        c.pc += 4;
    }

    /** SUB_ext */
    public static void subExt(Cpu c, int sf, int rm, int option, int imm3, int rn, int rd) {
        if (extendReserved(imm3)) {
            c.undefined();
            return;
        }
        c.setXOrSp(rd, sized(sf, c.xOrSp(rn) - extendedRm(c, rm, option, imm3)));
        c.pc += 4;
    }

    /** SUBS_ext (CMP) */
    public static void subsExt(Cpu c, int sf, int rm, int option, int imm3, int rn, int rd) {
        if (extendReserved(imm3)) {
            c.undefined();
            return;
        }
        long x = c.xOrSp(rn), y = extendedRm(c, rm, option, imm3);
        c.setX(rd, sf != 0 ? Alu.subs64(c, x, y) : Alu.subs32(c, x, y));
        c.pc += 4;
    }

    // ---- Add/subtract with carry ---------------------------------------------------

    private static int carry(Cpu c) {
        return c.cf ? 1 : 0;
    }

    /** ADC */
    public static void adc(Cpu c, int sf, int rm, int rn, int rd) {
        c.setX(rd, sized(sf, c.x[rn] + c.x[rm] + carry(c)));
        c.pc += 4;
    }

    /** ADCS */
    public static void adcs(Cpu c, int sf, int rm, int rn, int rd) {
        long x = c.x[rn], y = c.x[rm];
        int cin = carry(c);
        c.setX(rd, sf != 0 ? Alu.addWithCarry64(c, x, y, cin) : Alu.addWithCarry32(c, x, y, cin));
        c.pc += 4;
    }

    /** SBC (NGC) */
    public static void sbc(Cpu c, int sf, int rm, int rn, int rd) {
        c.setX(rd, sized(sf, c.x[rn] + ~c.x[rm] + carry(c)));
        c.pc += 4;
    }

    /** SBCS (NGCS) */
    public static void sbcs(Cpu c, int sf, int rm, int rn, int rd) {
        long x = c.x[rn], y = ~c.x[rm];
        int cin = carry(c);
        c.setX(rd, sf != 0 ? Alu.addWithCarry64(c, x, y, cin) : Alu.addWithCarry32(c, x, y, cin));
        c.pc += 4;
    }

    // ---- Conditional compare -------------------------------------------------------
    // When the condition fails, NZCV comes from the instruction's nzcv field.

    private static void conditionalCompare(Cpu c, int sf, int cond, int rn, int nzcv, long y, boolean negate) {
        if (c.conditionHolds(cond)) {
            long x = c.x[rn];
            if (sf != 0) {
                if (negate) Alu.adds64(c, x, y); else Alu.subs64(c, x, y);
            } else {
                if (negate) Alu.adds32(c, x, y); else Alu.subs32(c, x, y);
            }
        } else {
            c.setNzcv((long) nzcv << 28);
        }
        c.pc += 4;
    }

    /** CCMN_reg */
    public static void ccmnReg(Cpu c, int sf, int rm, int cond, int rn, int nzcv) {
        conditionalCompare(c, sf, cond, rn, nzcv, c.x[rm], true);
    }

    /** CCMP_reg */
    public static void ccmpReg(Cpu c, int sf, int rm, int cond, int rn, int nzcv) {
        conditionalCompare(c, sf, cond, rn, nzcv, c.x[rm], false);
    }

    /** CCMN_imm */
    public static void ccmnImm(Cpu c, int sf, int imm5, int cond, int rn, int nzcv) {
        conditionalCompare(c, sf, cond, rn, nzcv, imm5, true);
    }

    /** CCMP_imm */
    public static void ccmpImm(Cpu c, int sf, int imm5, int cond, int rn, int nzcv) {
        conditionalCompare(c, sf, cond, rn, nzcv, imm5, false);
    }

    // ---- Conditional select --------------------------------------------------------

    /** CSEL */
    public static void csel(Cpu c, int sf, int rm, int cond, int rn, int rd) {
        long r = c.conditionHolds(cond) ? c.x[rn] : c.x[rm];
        c.setX(rd, sized(sf, r));
        c.pc += 4;
    }

    /** CSINC (CSET, CINC) */
    public static void csinc(Cpu c, int sf, int rm, int cond, int rn, int rd) {
        long r = c.conditionHolds(cond) ? c.x[rn] : c.x[rm] + 1;
        c.setX(rd, sized(sf, r));
        c.pc += 4;
    }

    /** CSINV (CSETM, CINV) */
    public static void csinv(Cpu c, int sf, int rm, int cond, int rn, int rd) {
        long r = c.conditionHolds(cond) ? c.x[rn] : ~c.x[rm];
        c.setX(rd, sized(sf, r));
        c.pc += 4;
    }

    /** CSNEG (CNEG) */
    public static void csneg(Cpu c, int sf, int rm, int cond, int rn, int rd) {
        long r = c.conditionHolds(cond) ? c.x[rn] : -c.x[rm];
        c.setX(rd, sized(sf, r));
        c.pc += 4;
    }

    // ---- Data processing, 1 source ------------------------------------------------

    /** RBIT */
    public static void rbit(Cpu c, int sf, int rn, int rd) {
        long n = c.x[rn];
        c.setX(rd, sf != 0 ? Long.reverse(n) : Integer.reverse((int) n) & W);
        c.pc += 4;
    }

    /** REV16: swaps the bytes of each halfword. */
    public static void rev16(Cpu c, int sf, int rn, int rd) {
        long n = c.x[rn];
        long r = ((n >>> 8) & 0x00FF_00FF_00FF_00FFL) | ((n & 0x00FF_00FF_00FF_00FFL) << 8);
        c.setX(rd, sized(sf, r));
        c.pc += 4;
    }

    /** REV32 for X registers; with sf = 0 the same opcode is REV Wd (whole-register byte reverse). */
    public static void rev32(Cpu c, int sf, int rn, int rd) {
        long n = c.x[rn];
        c.setX(rd, sf != 0
                ? Long.rotateLeft(Long.reverseBytes(n), 32)
                : Integer.reverseBytes((int) n) & W);
        c.pc += 4;
    }

    /** REV64 (REV Xd) */
    public static void rev64(Cpu c, int rn, int rd) {
        c.setX(rd, Long.reverseBytes(c.x[rn]));
        c.pc += 4;
    }

    /** CLZ */
    public static void clz(Cpu c, int sf, int rn, int rd) {
        long n = c.x[rn];
        c.setX(rd, sf != 0 ? Long.numberOfLeadingZeros(n) : Integer.numberOfLeadingZeros((int) n));
        c.pc += 4;
    }

    /** CLS: CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>); OR-ing in bit 0 caps the count at N-1. */
    public static void cls(Cpu c, int sf, int rn, int rd) {
        long n = c.x[rn];
        int w = (int) n;
        c.setX(rd, sf != 0
                ? Long.numberOfLeadingZeros((n ^ (n << 1)) | 1)
                : Integer.numberOfLeadingZeros((w ^ (w << 1)) | 1));
        c.pc += 4;
    }

    // ---- Data processing, 2 source ------------------------------------------------

    /** UDIV: division by zero gives 0 (no trap in A64). */
    public static void udiv(Cpu c, int sf, int rm, int rn, int rd) {
        long n = c.x[rn], m = c.x[rm];
        long r;
        if (sf != 0) {
            r = m == 0 ? 0 : Long.divideUnsigned(n, m);
        } else {
            r = (int) m == 0 ? 0 : Integer.divideUnsigned((int) n, (int) m) & W;
        }
        c.setX(rd, r);
        c.pc += 4;
    }

    /** SDIV: rounds toward zero; division by zero gives 0; MIN / -1 gives MIN (Java's / does the same). */
    public static void sdiv(Cpu c, int sf, int rm, int rn, int rd) {
        long n = c.x[rn], m = c.x[rm];
        long r;
        if (sf != 0) {
            r = m == 0 ? 0 : n / m;
        } else {
            r = (int) m == 0 ? 0 : ((int) n / (int) m) & W;
        }
        c.setX(rd, r);
        c.pc += 4;
    }

    // Variable shifts use Rm modulo the register size, which is exactly how Java masks shift counts.

    /** LSLV */
    public static void lslv(Cpu c, int sf, int rm, int rn, int rd) {
        long n = c.x[rn];
        int m = (int) c.x[rm];
        c.setX(rd, sf != 0 ? n << m : ((int) n << m) & W);
        c.pc += 4;
    }

    /** LSRV */
    public static void lsrv(Cpu c, int sf, int rm, int rn, int rd) {
        long n = c.x[rn];
        int m = (int) c.x[rm];
        c.setX(rd, sf != 0 ? n >>> m : ((int) n >>> m) & W);
        c.pc += 4;
    }

    /** ASRV */
    public static void asrv(Cpu c, int sf, int rm, int rn, int rd) {
        long n = c.x[rn];
        int m = (int) c.x[rm];
        c.setX(rd, sf != 0 ? n >> m : ((int) n >> m) & W);
        c.pc += 4;
    }

    /** RORV */
    public static void rorv(Cpu c, int sf, int rm, int rn, int rd) {
        long n = c.x[rn];
        int m = (int) c.x[rm];
        c.setX(rd, sf != 0 ? Long.rotateRight(n, m) : Integer.rotateRight((int) n, m) & W);
        c.pc += 4;
    }

    /** The X forms (sz = 11) need sf = 1 and the B/H/W forms need sf = 0. */
    private static boolean crcReserved(int sf, int sz) {
        return (sf != 0) != (sz == 3);
    }

    private static void crc(Cpu c, int sf, int rm, int sz, int rn, int rd, boolean castagnoli) {
        if (crcReserved(sf, sz)) {
            c.undefined();
            return;
        }
        int r = Alu.crc(castagnoli, (int) c.x[rn], c.x[rm], sz);
        c.setX(rd, r & W);
        c.pc += 4;
    }

    /** CRC32B/H/W/X (polynomial 0x04C11DB7) */
    public static void crc32(Cpu c, int sf, int rm, int sz, int rn, int rd) {
        crc(c, sf, rm, sz, rn, rd, false);
    }

    /** CRC32CB/H/W/X (Castagnoli polynomial 0x1EDC6F41) */
    public static void crc32c(Cpu c, int sf, int rm, int sz, int rn, int rd) {
        crc(c, sf, rm, sz, rn, rd, true);
    }

    // ---- Data processing, 3 source ------------------------------------------------

    /** MADD (MUL when Ra is XZR) */
    public static void madd(Cpu c, int sf, int rm, int ra, int rn, int rd) {
        c.setX(rd, sized(sf, c.x[ra] + c.x[rn] * c.x[rm]));
        c.pc += 4;
    }

    /** MSUB (MNEG) */
    public static void msub(Cpu c, int sf, int rm, int ra, int rn, int rd) {
        c.setX(rd, sized(sf, c.x[ra] - c.x[rn] * c.x[rm]));
        c.pc += 4;
    }

    /** SMADDL (SMULL) */
    public static void smaddl(Cpu c, int rm, int ra, int rn, int rd) {
        c.setX(rd, c.x[ra] + (long) (int) c.x[rn] * (int) c.x[rm]);
        c.pc += 4;
    }

    /** SMSUBL (SMNEGL) */
    public static void smsubl(Cpu c, int rm, int ra, int rn, int rd) {
        c.setX(rd, c.x[ra] - (long) (int) c.x[rn] * (int) c.x[rm]);
        c.pc += 4;
    }

    /** SMULH: Ra is should-be-one and ignored (not a field of the row). */
    public static void smulh(Cpu c, int rm, int rn, int rd) {
        c.setX(rd, Math.multiplyHigh(c.x[rn], c.x[rm]));
        c.pc += 4;
    }

    /** UMADDL (UMULL) */
    public static void umaddl(Cpu c, int rm, int ra, int rn, int rd) {
        c.setX(rd, c.x[ra] + (c.x[rn] & W) * (c.x[rm] & W));
        c.pc += 4;
    }

    /** UMSUBL (UMNEGL) */
    public static void umsubl(Cpu c, int rm, int ra, int rn, int rd) {
        c.setX(rd, c.x[ra] - (c.x[rn] & W) * (c.x[rm] & W));
        c.pc += 4;
    }

    /** UMULH: Ra is should-be-one and ignored (not a field of the row). */
    public static void umulh(Cpu c, int rm, int rn, int rd) {
        c.setX(rd, Math.unsignedMultiplyHigh(c.x[rn], c.x[rm]));
        c.pc += 4;
    }
}
