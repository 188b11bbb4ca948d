package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/** SKELETON: every method raises UNDEFINED until implemented. */
public final class SystemOps {
    private SystemOps() {}

    /** MSR_imm */
    public static void msrImm(Cpu c, int insn) {
        c.undefined();
    }

    /** HINT */
    public static void hint(Cpu c, int insn) {
        c.undefined();
    }

    /** CLREX */
    public static void clrex(Cpu c, int insn) {
        c.undefined();
    }

    /** DSB */
    public static void dsb(Cpu c, int insn) {
        c.undefined();
    }

    /** DMB */
    public static void dmb(Cpu c, int insn) {
        c.undefined();
    }

    /** ISB */
    public static void isb(Cpu c, int insn) {
        c.undefined();
    }

    /** SYS */
    public static void sys(Cpu c, int insn) {
        c.undefined();
    }

    /** SYSL */
    public static void sysl(Cpu c, int insn) {
        c.undefined();
    }

    /** MSR_reg */
    public static void msrReg(Cpu c, int insn) {
        c.undefined();
    }

    /** MRS */
    public static void mrs(Cpu c, int insn) {
        c.undefined();
    }
}
