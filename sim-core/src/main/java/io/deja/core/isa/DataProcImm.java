package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/** SKELETON: every method raises UNDEFINED until implemented. */
public final class DataProcImm {
    private DataProcImm() {}

    /** ADR */
    public static void adr(Cpu c, int insn) {
        c.undefined();
    }

    /** ADRP */
    public static void adrp(Cpu c, int insn) {
        c.undefined();
    }

    /** ADD_imm */
    public static void addImm(Cpu c, int insn) {
        c.undefined();
    }

    /** ADDS_imm */
    public static void addsImm(Cpu c, int insn) {
        c.undefined();
    }

    /** SUB_imm */
    public static void subImm(Cpu c, int insn) {
        c.undefined();
    }

    /** SUBS_imm */
    public static void subsImm(Cpu c, int insn) {
        c.undefined();
    }

    /** AND_imm */
    public static void andImm(Cpu c, int insn) {
        c.undefined();
    }

    /** ORR_imm */
    public static void orrImm(Cpu c, int insn) {
        c.undefined();
    }

    /** EOR_imm */
    public static void eorImm(Cpu c, int insn) {
        c.undefined();
    }

    /** ANDS_imm */
    public static void andsImm(Cpu c, int insn) {
        c.undefined();
    }

    /** MOVN */
    public static void movn(Cpu c, int insn) {
        c.undefined();
    }

    /** MOVZ */
    public static void movz(Cpu c, int insn) {
        c.undefined();
    }

    /** MOVK */
    public static void movk(Cpu c, int insn) {
        c.undefined();
    }

    /** SBFM */
    public static void sbfm(Cpu c, int insn) {
        c.undefined();
    }

    /** BFM */
    public static void bfm(Cpu c, int insn) {
        c.undefined();
    }

    /** UBFM */
    public static void ubfm(Cpu c, int insn) {
        c.undefined();
    }

    /** EXTR */
    public static void extr(Cpu c, int insn) {
        c.undefined();
    }
}
