package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Branches (Arm ARM C6.2: B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR, BLR, RET)
 * and ERET. A misaligned target is not checked here: the PC alignment fault
 * is taken when the next instruction is fetched, as the Arm ARM prescribes.
 */
public final class Branches {
    private Branches() {}

    /** B: imm26 words, PC-relative. */
    public static void b(Cpu c, int insn) {
        c.pc += imm26(insn);
    }

    /** BL: as B, with the return address in X30. */
    public static void bl(Cpu c, int insn) {
        c.x[30] = c.pc + 4;
        c.pc += imm26(insn);
    }

    /** B.cond: imm19 words if the condition holds. */
    public static void bCond(Cpu c, int insn) {
        c.pc += c.conditionHolds(insn & 15) ? imm19(insn) : 4;
    }

    /** CBZ: branch if Rt (W or X by sf) is zero. */
    public static void cbz(Cpu c, int insn) {
        c.pc += operand(c, insn) == 0 ? imm19(insn) : 4;
    }

    /** CBNZ */
    public static void cbnz(Cpu c, int insn) {
        c.pc += operand(c, insn) != 0 ? imm19(insn) : 4;
    }

    /** TBZ: branch if bit b5:b40 of Rt is zero (imm14 words). */
    public static void tbz(Cpu c, int insn) {
        c.pc += testedBit(c, insn) == 0 ? imm14(insn) : 4;
    }

    /** TBNZ */
    public static void tbnz(Cpu c, int insn) {
        c.pc += testedBit(c, insn) != 0 ? imm14(insn) : 4;
    }

    /** BR */
    public static void br(Cpu c, int insn) {
        c.pc = c.branchAddress(c.x[(insn >>> 5) & 31]);
    }

    /** BLR: the target is read before X30 is written, so BLR X30 works. */
    public static void blr(Cpu c, int insn) {
        long target = c.x[(insn >>> 5) & 31];
        c.x[30] = c.pc + 4;
        c.pc = c.branchAddress(target);
    }

    /** RET: to Rn (X30 when the assembler's default is used). */
    public static void ret(Cpu c, int insn) {
        c.pc = c.branchAddress(c.x[(insn >>> 5) & 31]);
    }

    /** ERET: UNDEFINED at EL0; otherwise returns to ELR_EL1 with PSTATE from SPSR_EL1 (illegal returns set PSTATE.IL). */
    public static void eret(Cpu c, int insn) {
        if (c.el == 0) {
            c.undefined();
            return;
        }
        c.exceptionReturn();
    }

    private static long imm26(int insn) {
        return (long) (insn << 6 >> 6) << 2;
    }

    private static long imm19(int insn) {
        return (long) (insn << 8 >> 13) << 2;
    }

    private static long imm14(int insn) {
        return (long) (insn << 13 >> 18) << 2;
    }

    private static long operand(Cpu c, int insn) {
        long v = c.x[insn & 31];
        return insn < 0 ? v : v & 0xFFFF_FFFFL;
    }

    private static long testedBit(Cpu c, int insn) {
        int bit = ((insn >>> 26) & 0x20) | ((insn >>> 19) & 0x1F);
        return (c.x[insn & 31] >>> bit) & 1;
    }
}
