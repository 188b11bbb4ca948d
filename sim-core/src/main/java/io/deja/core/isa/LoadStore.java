package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/** SKELETON: every method raises UNDEFINED until implemented. */
public final class LoadStore {
    private LoadStore() {}

    /** STXR, STLXR */
    public static void stxr(Cpu c, int insn) {
        c.undefined();
    }

    /** LDXR, LDAXR */
    public static void ldxr(Cpu c, int insn) {
        c.undefined();
    }

    /** STXP, STLXP */
    public static void stxp(Cpu c, int insn) {
        c.undefined();
    }

    /** LDXP, LDAXP */
    public static void ldxp(Cpu c, int insn) {
        c.undefined();
    }

    /** STLR */
    public static void stlr(Cpu c, int insn) {
        c.undefined();
    }

    /** LDAR */
    public static void ldar(Cpu c, int insn) {
        c.undefined();
    }

    /** LDR_lit_w */
    public static void ldrLitW(Cpu c, int insn) {
        c.undefined();
    }

    /** LDR_lit_x */
    public static void ldrLitX(Cpu c, int insn) {
        c.undefined();
    }

    /** LDRSW_lit */
    public static void ldrswLit(Cpu c, int insn) {
        c.undefined();
    }

    /** PRFM_lit */
    public static void prfmLit(Cpu c, int insn) {
        c.undefined();
    }

    /** STP */
    public static void stp(Cpu c, int insn) {
        c.undefined();
    }

    /** LDP */
    public static void ldp(Cpu c, int insn) {
        c.undefined();
    }

    /** LDPSW */
    public static void ldpsw(Cpu c, int insn) {
        c.undefined();
    }

    /** STUR */
    public static void stur(Cpu c, int insn) {
        c.undefined();
    }

    /** LDUR */
    public static void ldur(Cpu c, int insn) {
        c.undefined();
    }

    /** LDURS */
    public static void ldurs(Cpu c, int insn) {
        c.undefined();
    }

    /** PRFUM */
    public static void prfum(Cpu c, int insn) {
        c.undefined();
    }

    /** STR_post */
    public static void strPost(Cpu c, int insn) {
        c.undefined();
    }

    /** LDR_post */
    public static void ldrPost(Cpu c, int insn) {
        c.undefined();
    }

    /** LDRS_post */
    public static void ldrsPost(Cpu c, int insn) {
        c.undefined();
    }

    /** STTR */
    public static void sttr(Cpu c, int insn) {
        c.undefined();
    }

    /** LDTR */
    public static void ldtr(Cpu c, int insn) {
        c.undefined();
    }

    /** LDTRS */
    public static void ldtrs(Cpu c, int insn) {
        c.undefined();
    }

    /** STR_pre */
    public static void strPre(Cpu c, int insn) {
        c.undefined();
    }

    /** LDR_pre */
    public static void ldrPre(Cpu c, int insn) {
        c.undefined();
    }

    /** LDRS_pre */
    public static void ldrsPre(Cpu c, int insn) {
        c.undefined();
    }

    /** STR_reg */
    public static void strReg(Cpu c, int insn) {
        c.undefined();
    }

    /** LDR_reg */
    public static void ldrReg(Cpu c, int insn) {
        c.undefined();
    }

    /** LDRS_reg */
    public static void ldrsReg(Cpu c, int insn) {
        c.undefined();
    }

    /** PRFM_reg */
    public static void prfmReg(Cpu c, int insn) {
        c.undefined();
    }

    /** STR_uimm */
    public static void strUimm(Cpu c, int insn) {
        c.undefined();
    }

    /** LDR_uimm */
    public static void ldrUimm(Cpu c, int insn) {
        c.undefined();
    }

    /** LDRS_uimm */
    public static void ldrsUimm(Cpu c, int insn) {
        c.undefined();
    }

    /** PRFM_uimm */
    public static void prfmUimm(Cpu c, int insn) {
        c.undefined();
    }

    /** LDR_x_uimm */
    public static void ldrXUimm(Cpu c, int insn) {
        c.undefined();
    }

    /** STR_x_uimm */
    public static void strXUimm(Cpu c, int insn) {
        c.undefined();
    }
}
