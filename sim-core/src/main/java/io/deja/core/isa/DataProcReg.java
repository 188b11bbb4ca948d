package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/** SKELETON: every method raises UNDEFINED until implemented. */
public final class DataProcReg {
    private DataProcReg() {}

    /** AND_sh */
    public static void andSh(Cpu c, int insn) {
        c.undefined();
    }

    /** BIC_sh */
    public static void bicSh(Cpu c, int insn) {
        c.undefined();
    }

    /** ORR_sh */
    public static void orrSh(Cpu c, int insn) {
        c.undefined();
    }

    /** ORN_sh */
    public static void ornSh(Cpu c, int insn) {
        c.undefined();
    }

    /** EOR_sh */
    public static void eorSh(Cpu c, int insn) {
        c.undefined();
    }

    /** EON_sh */
    public static void eonSh(Cpu c, int insn) {
        c.undefined();
    }

    /** ANDS_sh */
    public static void andsSh(Cpu c, int insn) {
        c.undefined();
    }

    /** BICS_sh */
    public static void bicsSh(Cpu c, int insn) {
        c.undefined();
    }

    /** ADD_sh */
    public static void addSh(Cpu c, int insn) {
        c.undefined();
    }

    /** ADDS_sh */
    public static void addsSh(Cpu c, int insn) {
        c.undefined();
    }

    /** SUB_sh */
    public static void subSh(Cpu c, int insn) {
        c.undefined();
    }

    /** SUBS_sh */
    public static void subsSh(Cpu c, int insn) {
        c.undefined();
    }

    /** ADD_ext */
    public static void addExt(Cpu c, int insn) {
        c.undefined();
    }

    /** ADDS_ext */
    public static void addsExt(Cpu c, int insn) {
        c.undefined();
    }

    /** SUB_ext */
    public static void subExt(Cpu c, int insn) {
        c.undefined();
    }

    /** SUBS_ext */
    public static void subsExt(Cpu c, int insn) {
        c.undefined();
    }

    /** ADC */
    public static void adc(Cpu c, int insn) {
        c.undefined();
    }

    /** ADCS */
    public static void adcs(Cpu c, int insn) {
        c.undefined();
    }

    /** SBC */
    public static void sbc(Cpu c, int insn) {
        c.undefined();
    }

    /** SBCS */
    public static void sbcs(Cpu c, int insn) {
        c.undefined();
    }

    /** CCMN_reg */
    public static void ccmnReg(Cpu c, int insn) {
        c.undefined();
    }

    /** CCMP_reg */
    public static void ccmpReg(Cpu c, int insn) {
        c.undefined();
    }

    /** CCMN_imm */
    public static void ccmnImm(Cpu c, int insn) {
        c.undefined();
    }

    /** CCMP_imm */
    public static void ccmpImm(Cpu c, int insn) {
        c.undefined();
    }

    /** CSEL */
    public static void csel(Cpu c, int insn) {
        c.undefined();
    }

    /** CSINC */
    public static void csinc(Cpu c, int insn) {
        c.undefined();
    }

    /** CSINV */
    public static void csinv(Cpu c, int insn) {
        c.undefined();
    }

    /** CSNEG */
    public static void csneg(Cpu c, int insn) {
        c.undefined();
    }

    /** RBIT */
    public static void rbit(Cpu c, int insn) {
        c.undefined();
    }

    /** REV16 */
    public static void rev16(Cpu c, int insn) {
        c.undefined();
    }

    /** REV32 */
    public static void rev32(Cpu c, int insn) {
        c.undefined();
    }

    /** REV64 */
    public static void rev64(Cpu c, int insn) {
        c.undefined();
    }

    /** CLZ */
    public static void clz(Cpu c, int insn) {
        c.undefined();
    }

    /** CLS */
    public static void cls(Cpu c, int insn) {
        c.undefined();
    }

    /** UDIV */
    public static void udiv(Cpu c, int insn) {
        c.undefined();
    }

    /** SDIV */
    public static void sdiv(Cpu c, int insn) {
        c.undefined();
    }

    /** LSLV */
    public static void lslv(Cpu c, int insn) {
        c.undefined();
    }

    /** LSRV */
    public static void lsrv(Cpu c, int insn) {
        c.undefined();
    }

    /** ASRV */
    public static void asrv(Cpu c, int insn) {
        c.undefined();
    }

    /** RORV */
    public static void rorv(Cpu c, int insn) {
        c.undefined();
    }

    /** CRC32 */
    public static void crc32(Cpu c, int insn) {
        c.undefined();
    }

    /** CRC32C */
    public static void crc32c(Cpu c, int insn) {
        c.undefined();
    }

    /** MADD */
    public static void madd(Cpu c, int insn) {
        c.undefined();
    }

    /** MSUB */
    public static void msub(Cpu c, int insn) {
        c.undefined();
    }

    /** SMADDL */
    public static void smaddl(Cpu c, int insn) {
        c.undefined();
    }

    /** SMSUBL */
    public static void smsubl(Cpu c, int insn) {
        c.undefined();
    }

    /** SMULH */
    public static void smulh(Cpu c, int insn) {
        c.undefined();
    }

    /** UMADDL */
    public static void umaddl(Cpu c, int insn) {
        c.undefined();
    }

    /** UMSUBL */
    public static void umsubl(Cpu c, int insn) {
        c.undefined();
    }

    /** UMULH */
    public static void umulh(Cpu c, int insn) {
        c.undefined();
    }
}
