package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/** SKELETON: every method raises UNDEFINED until implemented. */
public final class Branches {
    private Branches() {}

    /** B */
    public static void b(Cpu c, int insn) {
        c.undefined();
    }

    /** BL */
    public static void bl(Cpu c, int insn) {
        c.undefined();
    }

    /** B_cond */
    public static void bCond(Cpu c, int insn) {
        c.undefined();
    }

    /** CBZ */
    public static void cbz(Cpu c, int insn) {
        c.undefined();
    }

    /** CBNZ */
    public static void cbnz(Cpu c, int insn) {
        c.undefined();
    }

    /** TBZ */
    public static void tbz(Cpu c, int insn) {
        c.undefined();
    }

    /** TBNZ */
    public static void tbnz(Cpu c, int insn) {
        c.undefined();
    }

    /** BR */
    public static void br(Cpu c, int insn) {
        c.undefined();
    }

    /** BLR */
    public static void blr(Cpu c, int insn) {
        c.undefined();
    }

    /** RET */
    public static void ret(Cpu c, int insn) {
        c.undefined();
    }

    /** ERET */
    public static void eret(Cpu c, int insn) {
        c.undefined();
    }
}
