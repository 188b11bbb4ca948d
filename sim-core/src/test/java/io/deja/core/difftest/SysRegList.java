package io.deja.core.difftest;

import java.util.ArrayList;
import java.util.List;

/**
 * The system registers and system instructions the generator may use: ones
 * whose behaviour is the same in Deja and QEMU by design. Never: counters
 * (CNTVCT/CNTPCT: virtual versus host time), and writes that change the
 * machine under the harness (TTBR, TCR, SCTLR, VBAR, CPACR).
 */
final class SysRegList {
    private SysRegList() {}

    /**
     * A register by op0:op1:CRn:CRm:op2. writeMask: the bits MSR may set at
     * random (the fix-up masks the value so RES0 bits stay zero; 0 = any
     * register value will do, the register ignores the rest).
     */
    record Spec(String name, int op0, int op1, int crn, int crm, int op2, long writeMask) {}

    /** A SYS instruction; takesAddress: Xt is set to a scratch address first. */
    record SysOp(String name, int op1, int crn, int crm, int op2, boolean takesAddress) {}

    static final List<Spec> WRITABLE = List.of(
            new Spec("NZCV", 3, 3, 4, 2, 0, 0),
            new Spec("DAIF", 3, 3, 4, 2, 1, 0),
            new Spec("SPSel", 3, 0, 4, 2, 0, 0),
            new Spec("TPIDR_EL0", 3, 3, 13, 0, 2, -1L),
            new Spec("TPIDRRO_EL0", 3, 3, 13, 0, 3, -1L),
            new Spec("TPIDR_EL1", 3, 0, 13, 0, 4, -1L),
            new Spec("SP_EL0", 3, 0, 4, 1, 0, -1L),
            new Spec("ELR_EL1", 3, 0, 4, 0, 1, -1L),
            // N Z C V, SS, IL, D A I F, M[4:0]: the SPSR bits an ARMv8.0 PE defines.
            new Spec("SPSR_EL1", 3, 0, 4, 0, 0, 0xF03003DFL),
            new Spec("ESR_EL1", 3, 0, 5, 2, 0, 0xFFFF_FFFFL),
            new Spec("FAR_EL1", 3, 0, 6, 0, 0, -1L),
            new Spec("CONTEXTIDR_EL1", 3, 0, 13, 0, 1, 0xFFFF_FFFFL),
            new Spec("MAIR_EL1", 3, 0, 10, 2, 0, -1L),
            new Spec("AMAIR_EL1", 3, 0, 10, 3, 0, -1L),
            new Spec("PAR_EL1", 3, 0, 7, 4, 0, -1L),
            new Spec("CSSELR_EL1", 3, 2, 0, 0, 0, 0xFL),
            new Spec("CNTKCTL_EL1", 3, 0, 14, 1, 0, 0x3FFL),
            // FPEN only: whether FP/SIMD register accesses trap (EC 0x07).
            new Spec("CPACR_EL1", 3, 0, 1, 0, 2, 0x0030_0000L),
            // AHP, DN, FZ, RMode: the FPCR bits a Cortex-A57 implements in AArch64.
            new Spec("FPCR", 3, 3, 4, 4, 0, 0x07C0_0000L),
            new Spec("FPSR", 3, 3, 4, 4, 1, 0x0800_009FL),
            new Spec("OSLAR_EL1", 2, 0, 1, 0, 4, 1),
            new Spec("OSDLR_EL1", 2, 0, 1, 3, 4, 1),
            new Spec("MDCCINT_EL1", 2, 0, 0, 2, 0, 0x6000_0000L),
            new Spec("PMSELR_EL0", 3, 3, 9, 12, 5, 0x1F),
            new Spec("PMUSERENR_EL0", 3, 3, 9, 14, 0, 0xF),
            // IMPLEMENTATION DEFINED registers a Cortex-A57 has (RAZ/WI in QEMU).
            new Spec("ACTLR_EL1", 3, 0, 1, 0, 1, -1L),
            new Spec("AFSR0_EL1", 3, 0, 5, 1, 0, -1L),
            new Spec("AFSR1_EL1", 3, 0, 5, 1, 1, -1L),
            new Spec("CPUACTLR_EL1", 3, 1, 15, 2, 0, -1L),
            new Spec("CPUECTLR_EL1", 3, 1, 15, 2, 1, -1L),
            new Spec("L2CTLR_EL1", 3, 1, 11, 0, 2, -1L),
            new Spec("L2ECTLR_EL1", 3, 1, 11, 0, 3, -1L));

    /**
     * Registers that are read-only for the architecture (ID registers and the
     * like): MSR to one of them is UNDEFINED in both emulators.
     */
    static final List<Spec> READ_ONLY = List.of(
            new Spec("CurrentEL", 3, 0, 4, 2, 2, 0),
            new Spec("MIDR_EL1", 3, 0, 0, 0, 0, 0),
            new Spec("MPIDR_EL1", 3, 0, 0, 0, 5, 0),
            new Spec("REVIDR_EL1", 3, 0, 0, 0, 6, 0),
            new Spec("ID_PFR0_EL1", 3, 0, 0, 1, 0, 0),
            new Spec("ID_PFR1_EL1", 3, 0, 0, 1, 1, 0),
            new Spec("ID_DFR0_EL1", 3, 0, 0, 1, 2, 0),
            new Spec("ID_AFR0_EL1", 3, 0, 0, 1, 3, 0),
            new Spec("ID_MMFR0_EL1", 3, 0, 0, 1, 4, 0),
            new Spec("ID_MMFR1_EL1", 3, 0, 0, 1, 5, 0),
            new Spec("ID_MMFR2_EL1", 3, 0, 0, 1, 6, 0),
            new Spec("ID_MMFR3_EL1", 3, 0, 0, 1, 7, 0),
            new Spec("ID_ISAR0_EL1", 3, 0, 0, 2, 0, 0),
            new Spec("ID_ISAR1_EL1", 3, 0, 0, 2, 1, 0),
            new Spec("ID_ISAR2_EL1", 3, 0, 0, 2, 2, 0),
            new Spec("ID_ISAR3_EL1", 3, 0, 0, 2, 3, 0),
            new Spec("ID_ISAR4_EL1", 3, 0, 0, 2, 4, 0),
            new Spec("ID_ISAR5_EL1", 3, 0, 0, 2, 5, 0),
            new Spec("MVFR0_EL1", 3, 0, 0, 3, 0, 0),
            new Spec("MVFR1_EL1", 3, 0, 0, 3, 1, 0),
            new Spec("MVFR2_EL1", 3, 0, 0, 3, 2, 0),
            new Spec("ID_AA64PFR0_EL1", 3, 0, 0, 4, 0, 0),
            new Spec("ID_AA64PFR1_EL1", 3, 0, 0, 4, 1, 0),
            new Spec("ID_AA64DFR0_EL1", 3, 0, 0, 5, 0, 0),
            new Spec("ID_AA64DFR1_EL1", 3, 0, 0, 5, 1, 0),
            new Spec("ID_AA64AFR0_EL1", 3, 0, 0, 5, 4, 0),
            new Spec("ID_AA64AFR1_EL1", 3, 0, 0, 5, 5, 0),
            new Spec("ID_AA64ISAR0_EL1", 3, 0, 0, 6, 0, 0),
            new Spec("ID_AA64ISAR1_EL1", 3, 0, 0, 6, 1, 0),
            new Spec("ID_AA64MMFR0_EL1", 3, 0, 0, 7, 0, 0),
            new Spec("ID_AA64MMFR1_EL1", 3, 0, 0, 7, 1, 0),
            new Spec("CTR_EL0", 3, 3, 0, 0, 1, 0),
            new Spec("DCZID_EL0", 3, 3, 0, 0, 7, 0),
            new Spec("CLIDR_EL1", 3, 1, 0, 0, 1, 0),
            new Spec("AIDR_EL1", 3, 1, 0, 0, 7, 0),
            new Spec("CCSIDR_EL1", 3, 1, 0, 0, 0, 0),
            new Spec("CBAR_EL1", 3, 1, 15, 3, 0, 0),
            new Spec("ISR_EL1", 3, 0, 12, 1, 0, 0),
            new Spec("OSLSR_EL1", 2, 0, 1, 1, 4, 0),
            new Spec("PMCEID0_EL0", 3, 3, 9, 12, 6, 0),
            new Spec("PMCEID1_EL0", 3, 3, 9, 12, 7, 0),
            // Reserved ID space (RAZ in ARMv8.0): later architecture versions put registers here.
            new Spec("ID_AA64ZFR0_EL1", 3, 0, 0, 4, 4, 0),
            new Spec("ID_AA64MMFR2_EL1", 3, 0, 0, 7, 2, 0),
            new Spec("ID_MMFR4_EL1", 3, 0, 0, 2, 6, 0),
            new Spec("ID_ISAR6_EL1", 3, 0, 0, 2, 7, 0),
            new Spec("S3_0_C0_C3_3", 3, 0, 0, 3, 3, 0));

    /** Writable registers the generator only reads: writing them would change the machine under the harness. */
    static final List<Spec> READ_ONLY_HERE = List.of(
            new Spec("CNTFRQ_EL0", 3, 3, 14, 0, 0, 0),
            new Spec("SCTLR_EL1", 3, 0, 1, 0, 0, 0),
            new Spec("CPACR_EL1", 3, 0, 1, 0, 2, 0),
            new Spec("TTBR0_EL1", 3, 0, 2, 0, 0, 0),
            new Spec("TTBR1_EL1", 3, 0, 2, 0, 1, 0),
            new Spec("TCR_EL1", 3, 0, 2, 0, 2, 0),
            new Spec("VBAR_EL1", 3, 0, 12, 0, 0, 0),
            // Writable, but a random value would turn on software step or debug exceptions (MDSCR)
            // or count cycles in the PMU, which the two emulators cannot agree on.
            new Spec("MDSCR_EL1", 2, 0, 0, 2, 2, 0),
            new Spec("PMCR_EL0", 3, 3, 9, 12, 0, 0),
            new Spec("PMCNTENSET_EL0", 3, 3, 9, 12, 1, 0),
            new Spec("PMOVSCLR_EL0", 3, 3, 9, 12, 3, 0),
            new Spec("PMINTENSET_EL1", 3, 0, 9, 14, 1, 0));

    static final List<Spec> READABLE = concat(WRITABLE, READ_ONLY, READ_ONLY_HERE);

    static final List<SysOp> SYS_OPS = List.of(
            new SysOp("IC IALLUIS", 0, 7, 1, 0, false),
            new SysOp("IC IALLU", 0, 7, 5, 0, false),
            new SysOp("IC IVAU", 3, 7, 5, 1, true),
            new SysOp("DC IVAC", 0, 7, 6, 1, true),
            new SysOp("DC CVAC", 3, 7, 10, 1, true),
            new SysOp("DC CVAU", 3, 7, 11, 1, true),
            new SysOp("DC CIVAC", 3, 7, 14, 1, true),
            new SysOp("TLBI VMALLE1IS", 0, 8, 3, 0, false),
            new SysOp("TLBI VMALLE1", 0, 8, 7, 0, false),
            new SysOp("TLBI VAE1", 0, 8, 7, 1, true),
            new SysOp("TLBI ASIDE1", 0, 8, 7, 2, true),
            new SysOp("TLBI VAALE1IS", 0, 8, 3, 7, true));

    /** With the MMU on memory is Normal, so DC ZVA behaves the same in both (with it off, see skip-list.txt). */
    static final List<SysOp> SYS_OPS_MMU = concat(SYS_OPS, List.of(new SysOp("DC ZVA", 3, 7, 4, 1, true)));

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        List<T> all = new ArrayList<>();
        for (List<T> l : lists) all.addAll(l);
        return List.copyOf(all);
    }
}
