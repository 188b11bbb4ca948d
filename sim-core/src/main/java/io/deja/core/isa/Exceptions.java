package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/** SKELETON: every method raises UNDEFINED until implemented. */
public final class Exceptions {
    private Exceptions() {}

    /** SVC */
    public static void svc(Cpu c, int insn) {
        c.undefined();
    }

    /** HVC */
    public static void hvc(Cpu c, int insn) {
        c.undefined();
    }

    /** SMC */
    public static void smc(Cpu c, int insn) {
        c.undefined();
    }

    /** BRK */
    public static void brk(Cpu c, int insn) {
        c.undefined();
    }

    /** HLT */
    public static void hlt(Cpu c, int insn) {
        c.undefined();
    }
}
