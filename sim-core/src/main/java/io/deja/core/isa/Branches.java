package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Branches (Arm ARM C6.2: B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR, BLR, RET)
 * and ERET, receiving the fields named by their rows in a64.decode (branch
 * offsets already sign-extended and scaled to bytes). A misaligned target is
 * not checked here: the PC alignment fault is taken when the next instruction
 * is fetched, as the Arm ARM prescribes.
 */
public final class Branches {
    private Branches() {}

    /** B: offset (imm26 words) in bytes, PC-relative. */
    public static void b(Cpu c, int offset) {
        c.pc += offset;
    }

    /** BL: as B, with the return address in X30. */
    public static void bl(Cpu c, int offset) {
        c.x[30] = c.pc + 4;
        c.pc += offset;
    }

    /** B.cond: offset (imm19 words) in bytes if the condition holds. */
    public static void bCond(Cpu c, int offset, int cond) {
        c.pc += c.conditionHolds(cond) ? offset : 4;
    }

    /** CBZ: branch if Rt (W or X by sf) is zero. */
    public static void cbz(Cpu c, int sf, int offset, int rt) {
        c.pc += operand(c, sf, rt) == 0 ? offset : 4;
    }

    /** CBNZ */
    public static void cbnz(Cpu c, int sf, int offset, int rt) {
        c.pc += operand(c, sf, rt) != 0 ? offset : 4;
    }

    /** TBZ: branch if bit b5:b40 of Rt is zero (offset: imm14 words in bytes). */
    public static void tbz(Cpu c, int bit, int offset, int rt) {
        c.pc += ((c.x[rt] >>> bit) & 1) == 0 ? offset : 4;
    }

    /** TBNZ */
    public static void tbnz(Cpu c, int bit, int offset, int rt) {
        c.pc += ((c.x[rt] >>> bit) & 1) != 0 ? offset : 4;
    }

    /** BR */
    public static void br(Cpu c, int rn) {
        c.pc = c.branchAddress(c.x[rn]);
    }

    /** BLR: the target is read before X30 is written, so BLR X30 works. */
    public static void blr(Cpu c, int rn) {
        long target = c.x[rn];
        c.x[30] = c.pc + 4;
        c.pc = c.branchAddress(target);
    }

    /** RET: to Rn (X30 when the assembler's default is used). */
    public static void ret(Cpu c, int rn) {
        c.pc = c.branchAddress(c.x[rn]);
    }

    /** ERET: UNDEFINED at EL0; otherwise returns to ELR_EL1 with PSTATE from SPSR_EL1 (illegal returns set PSTATE.IL). */
    public static void eret(Cpu c) {
        if (c.el == 0) {
            c.undefined();
            return;
        }
        c.exceptionReturn();
    }

    private static long operand(Cpu c, int sf, int rt) {
        long v = c.x[rt];
        return sf != 0 ? v : v & 0xFFFF_FFFFL;
    }
}
