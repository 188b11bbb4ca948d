package io.deja.core.isa;

import io.deja.core.cpu.Cpu;
import io.deja.core.trace.TraceSink;
import io.deja.core.cpu.ExceptionClass;
import io.deja.core.cpu.GenericTimer;
import io.deja.core.cpu.SystemRegisters;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The MRS/MSR register map of an ARMv8.0 Cortex-A57 at EL0/EL1.
 *
 * A register is found by its 16-bit encoding op0:op1:CRn:CRm:op2 (bits 20..5
 * of MRS/MSR) through a 64 Ki-entry table of small register ids; the ids of
 * registers with behaviour are compile-time constants for the switches in
 * {@link #get} and {@link #set}, and constant registers (IDs, RAZ/WI
 * IMPLEMENTATION DEFINED ones) share one path through {@code CONSTANT}.
 * Nothing here allocates after class initialisation.
 *
 * Values: the identification registers read exactly what QEMU 7.2's
 * cortex-a57 on the virt board (no EL2, no EL3) reads; write masks follow
 * QEMU (which keeps RES0 bits of most registers, as the Arm ARM permits)
 * except where QEMU disagrees with the Arm ARM (see {@link #set}).
 * SysRegsTest.agreesWithQemu compares both with a run of qemu-system-aarch64.
 */
public final class SysRegs {
    private SysRegs() {}

    // ---- Register ids with behaviour (0 = no register at that encoding) ----------------
    private static final int NZCV = 1, DAIF = 2, SPSEL = 3, CURRENT_EL = 4, SP_EL0 = 5, ELR_EL1 = 6, SPSR_EL1 = 7,
            FPCR = 8, FPSR = 9,
            SCTLR = 10, CPACR = 11, TTBR0 = 12, TTBR1 = 13, TCR = 14, ESR = 15, FAR = 16, PAR = 17, MAIR = 18,
            VBAR = 19, ISR = 20, CONTEXTIDR = 21, TPIDR_EL1 = 22, TPIDR_EL0 = 23, TPIDRRO_EL0 = 24,
            MPIDR = 25, DCZID = 26, CCSIDR = 27, CSSELR = 28, ID_PFR1 = 29, ID_AA64PFR0 = 30, CBAR = 31,
            CNTFRQ = 32, CNTPCT = 33, CNTVCT = 34, CNTP_CTL = 35, CNTP_CVAL = 36, CNTP_TVAL = 37,
            CNTV_CTL = 38, CNTV_CVAL = 39, CNTV_TVAL = 40, CNTKCTL = 41,
            MDSCR = 42, OSLAR = 43, OSLSR = 44, OSDLR = 45, MDCCINT = 46, DBGPRCR = 47,
            PMCR = 48, PMCNTENSET = 49, PMCNTENCLR = 50, PMOVSCLR = 51, PMOVSSET = 52, PMSWINC = 53, PMSELR = 54,
            PMCCNTR = 55, PMXEVTYPER = 56, PMXEVCNTR = 57, PMUSERENR = 58, PMINTENSET = 59, PMINTENCLR = 60,
            PMCCFILTR = 61,
            DBGBVR0 = 62, DBGBCR0 = DBGBVR0 + SystemRegisters.BREAKPOINTS, DBGWVR0 = DBGBCR0 + SystemRegisters.BREAKPOINTS,
            DBGWCR0 = DBGWVR0 + SystemRegisters.WATCHPOINTS, PMEVCNTR0 = DBGWCR0 + SystemRegisters.WATCHPOINTS,
            PMEVTYPER0 = PMEVCNTR0 + SystemRegisters.PMU_COUNTERS,
            // A register of the board's CPU interface (SystemRegisters.cpuInterface); never in ID_OF.
            EXTERNAL = PMEVTYPER0 + SystemRegisters.PMU_COUNTERS,
            FIRST_CONSTANT = EXTERNAL + 1;
    private static final int MAX_IDS = 256;

    // ---- Access flags per id ------------------------------------------------------------
    private static final int R1 = 1, W1 = 2, R0 = 4, W0 = 8;
    /** Read returns CONSTANT[id]. */
    private static final int CONST = 1 << 4;
    /** Writes are ignored (RAZ/WI registers). */
    private static final int WI = 1 << 5;
    /** Access is trapped to EL1 with EC 0x07 when CPACR_EL1.FPEN forbids FP at the current EL. */
    private static final int FP = 1 << 6;
    /** EL0 accesses permitted by R0/W0 are further gated by a control bit (else trapped, EC 0x18). */
    private static final int GATE_SHIFT = 8;
    private static final int G_UMA = 1, G_UCT = 2, G_CNTPCT = 3, G_CNTVCT = 4, G_CNTFRQ = 5, G_CNTP = 6, G_CNTV = 7,
            G_PMU = 8, G_PMSWINC = 9, G_PMCCNTR = 10, G_PMEVCNTR = 11, G_PMSELR = 12, G_DCC = 13;
    private static final int RW1 = R1 | W1, RW0 = R0 | W0;

    // ---- Tables, filled once by the static initialiser -----------------------------------------
    private static final short[] ID_OF = new short[1 << 16];
    private static final int[] ACCESS = new int[MAX_IDS];
    private static final long[] CONSTANT = new long[MAX_IDS];
    private static final String[] NAME = new String[MAX_IDS];
    private static final Map<String, Integer> BY_NAME = new HashMap<>();
    private static int nextConstantId = FIRST_CONSTANT;

    // ---- Values and masks (QEMU 7.2 cortex-a57 on virt, checked by SysRegsTest) -----------------
    static final long MIDR_VALUE = 0x411F_D070L;
    static final long CTR_VALUE = 0x8444_C004L;
    static final long CLIDR_VALUE = 0x0A20_0023L;
    /** CCSIDR_EL1 by CSSELR_EL1 (Level:InD): 32 KiB L1 D, 48 KiB L1 I, 2 MiB L2; other selections read 0. */
    private static final long[] CCSIDR_VALUES = {0x701F_E00AL, 0x201F_E012L, 0x70FF_E07AL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /** DCZID_EL0.BS = 4: DC ZVA zeroes 16 words (64 bytes). */
    private static final long DCZID_BS = 4, DCZID_DZP = 1 << 4;
    /**
     * ID_PFR1 and ID_AA64PFR0 without a GICv3 CPU interface; EL2/EL3 fields are 0 as on virt without them.
     * ID_AA64PFR0 differs from QEMU's cortex-a57 (0x22) in one field pair, on purpose: EL0 and
     * EL1 are AArch64-only (0b0001: there is no AArch32 state, so an OS must not start 32-bit
     * tasks). FP and AdvSIMD read 0, implemented, as on QEMU: every FP/SIMD encoding executes.
     */
    private static final long ID_PFR1_BASE = 0x0001_0001L, ID_AA64PFR0_BASE = 0x0000_0011L;
    private static final long ID_PFR1_GIC = 1L << 28, ID_AA64PFR0_GIC = 1L << 24;

    /** SCTLR_EL1 in ARMv8.0 (Arm ARM, SCTLR_EL1 without the v8.1+ fields): RES1 bits 29, 28, 23, 22, 20, 11; RES0 31, 30, 27, 21, 17, 13, 10, 6 and 63:32. */
    static final long SCTLR_RES1 = (1L << 29) | (1L << 28) | (1L << 23) | (1L << 22) | (1L << 20) | (1L << 11);
    static final long SCTLR_RES0 = 0xFFFF_FFFF_0000_0000L | (1L << 31) | (1L << 30) | (1L << 27) | (1L << 21)
            | (1L << 17) | (1L << 13) | (1L << 10) | (1L << 6);
    static final long SCTLR_UMA = 1L << 9, SCTLR_DZE = 1L << 14, SCTLR_UCT = 1L << 15, SCTLR_NTWI = 1L << 16,
            SCTLR_NTWE = 1L << 18, SCTLR_UCI = 1L << 26;
    private static final long FPCR_MASK = 0x07F7_0000L, FPSR_MASK = 0xF800_009FL;
    private static final long PMCR_WRITABLE = 0xF9, PMCR_P = 1 << 1, PMCR_C = 1 << 2;
    /** PMCNTEN/PMINTEN/PMOVS: the cycle counter (bit 31) and the six event counters. */
    private static final long PMU_COUNTER_BITS = 0x8000_0000L | ((1L << SystemRegisters.PMU_COUNTERS) - 1);
    private static final long PMEVTYPER_MASK = 0xFE00_FFFFL, PMCCFILTR_MASK = 0xFC00_0000L;
    private static final int PMU_EVENT_SW_INCR = 0;

    static {
        // Special-purpose registers (op0 = 3, CRn = 4)
        def(NZCV, "NZCV", 3, 3, 4, 2, 0, RW1 | RW0);
        def(DAIF, "DAIF", 3, 3, 4, 2, 1, RW1 | RW0 | gate(G_UMA));
        def(SPSEL, "SPSel", 3, 0, 4, 2, 0, RW1);
        def(CURRENT_EL, "CurrentEL", 3, 0, 4, 2, 2, R1);
        def(SP_EL0, "SP_EL0", 3, 0, 4, 1, 0, RW1);
        def(ELR_EL1, "ELR_EL1", 3, 0, 4, 0, 1, RW1);
        def(SPSR_EL1, "SPSR_EL1", 3, 0, 4, 0, 0, RW1);
        def(FPCR, "FPCR", 3, 3, 4, 4, 0, RW1 | RW0 | FP);
        def(FPSR, "FPSR", 3, 3, 4, 4, 1, RW1 | RW0 | FP);

        // System control and memory system configuration
        def(SCTLR, "SCTLR_EL1", 3, 0, 1, 0, 0, RW1);
        constant("ACTLR_EL1", 3, 0, 1, 0, 1, 0, RW1 | WI);
        def(CPACR, "CPACR_EL1", 3, 0, 1, 0, 2, RW1);
        def(TTBR0, "TTBR0_EL1", 3, 0, 2, 0, 0, RW1);
        def(TTBR1, "TTBR1_EL1", 3, 0, 2, 0, 1, RW1);
        def(TCR, "TCR_EL1", 3, 0, 2, 0, 2, RW1);
        constant("AFSR0_EL1", 3, 0, 5, 1, 0, 0, RW1 | WI);
        constant("AFSR1_EL1", 3, 0, 5, 1, 1, 0, RW1 | WI);
        def(ESR, "ESR_EL1", 3, 0, 5, 2, 0, RW1);
        def(FAR, "FAR_EL1", 3, 0, 6, 0, 0, RW1);
        def(PAR, "PAR_EL1", 3, 0, 7, 4, 0, RW1);
        def(MAIR, "MAIR_EL1", 3, 0, 10, 2, 0, RW1);
        constant("AMAIR_EL1", 3, 0, 10, 3, 0, 0, RW1 | WI);
        def(VBAR, "VBAR_EL1", 3, 0, 12, 0, 0, RW1);
        // RVBAR_EL1 exists because EL1 is the highest EL; QEMU's reset address property defaults to 0.
        constant("RVBAR_EL1", 3, 0, 12, 0, 1, 0, R1);
        def(ISR, "ISR_EL1", 3, 0, 12, 1, 0, R1);
        def(CONTEXTIDR, "CONTEXTIDR_EL1", 3, 0, 13, 0, 1, RW1);
        def(TPIDR_EL1, "TPIDR_EL1", 3, 0, 13, 0, 4, RW1);
        def(TPIDR_EL0, "TPIDR_EL0", 3, 3, 13, 0, 2, RW1 | RW0);
        def(TPIDRRO_EL0, "TPIDRRO_EL0", 3, 3, 13, 0, 3, RW1 | R0);

        // Identification
        constant("MIDR_EL1", 3, 0, 0, 0, 0, MIDR_VALUE, R1);
        def(MPIDR, "MPIDR_EL1", 3, 0, 0, 0, 5, R1);
        constant("REVIDR_EL1", 3, 0, 0, 0, 6, 0, R1);
        constant("CTR_EL0", 3, 3, 0, 0, 1, CTR_VALUE, R1 | R0 | gate(G_UCT));
        def(DCZID, "DCZID_EL0", 3, 3, 0, 0, 7, R1 | R0);
        constant("CLIDR_EL1", 3, 1, 0, 0, 1, CLIDR_VALUE, R1);
        def(CCSIDR, "CCSIDR_EL1", 3, 1, 0, 0, 0, R1);
        constant("AIDR_EL1", 3, 1, 0, 0, 7, 0, R1);
        def(CSSELR, "CSSELR_EL1", 3, 2, 0, 0, 0, RW1);
        def(ID_PFR1, "ID_PFR1_EL1", 3, 0, 0, 1, 1, R1);
        def(ID_AA64PFR0, "ID_AA64PFR0_EL1", 3, 0, 0, 4, 0, R1);
        defineIdSpace();

        // Generic timer
        def(CNTFRQ, "CNTFRQ_EL0", 3, 3, 14, 0, 0, RW1 | R0 | gate(G_CNTFRQ));
        def(CNTPCT, "CNTPCT_EL0", 3, 3, 14, 0, 1, R1 | R0 | gate(G_CNTPCT));
        def(CNTVCT, "CNTVCT_EL0", 3, 3, 14, 0, 2, R1 | R0 | gate(G_CNTVCT));
        def(CNTP_TVAL, "CNTP_TVAL_EL0", 3, 3, 14, 2, 0, RW1 | RW0 | gate(G_CNTP));
        def(CNTP_CTL, "CNTP_CTL_EL0", 3, 3, 14, 2, 1, RW1 | RW0 | gate(G_CNTP));
        def(CNTP_CVAL, "CNTP_CVAL_EL0", 3, 3, 14, 2, 2, RW1 | RW0 | gate(G_CNTP));
        def(CNTV_TVAL, "CNTV_TVAL_EL0", 3, 3, 14, 3, 0, RW1 | RW0 | gate(G_CNTV));
        def(CNTV_CTL, "CNTV_CTL_EL0", 3, 3, 14, 3, 1, RW1 | RW0 | gate(G_CNTV));
        def(CNTV_CVAL, "CNTV_CVAL_EL0", 3, 3, 14, 3, 2, RW1 | RW0 | gate(G_CNTV));
        def(CNTKCTL, "CNTKCTL_EL1", 3, 0, 14, 1, 0, RW1);

        // Debug (op0 = 2)
        def(MDSCR, "MDSCR_EL1", 2, 0, 0, 2, 2, RW1);
        def(MDCCINT, "MDCCINT_EL1", 2, 0, 0, 2, 0, RW1);
        constant("MDCCSR_EL0", 2, 3, 0, 1, 0, 0, R1 | R0 | gate(G_DCC));
        constant("MDRAR_EL1", 2, 0, 1, 0, 0, 0, R1);
        def(OSLAR, "OSLAR_EL1", 2, 0, 1, 0, 4, W1);
        def(OSLSR, "OSLSR_EL1", 2, 0, 1, 1, 4, R1);
        def(OSDLR, "OSDLR_EL1", 2, 0, 1, 3, 4, RW1);
        def(DBGPRCR, "DBGPRCR_EL1", 2, 0, 1, 4, 4, RW1);
        for (int n = 0; n < SystemRegisters.BREAKPOINTS; n++) {
            def(DBGBVR0 + n, "DBGBVR" + n + "_EL1", 2, 0, 0, n, 4, RW1);
            def(DBGBCR0 + n, "DBGBCR" + n + "_EL1", 2, 0, 0, n, 5, RW1);
        }
        for (int n = 0; n < SystemRegisters.WATCHPOINTS; n++) {
            def(DBGWVR0 + n, "DBGWVR" + n + "_EL1", 2, 0, 0, n, 6, RW1);
            def(DBGWCR0 + n, "DBGWCR" + n + "_EL1", 2, 0, 0, n, 7, RW1);
        }

        // Performance monitors
        def(PMCR, "PMCR_EL0", 3, 3, 9, 12, 0, RW1 | RW0 | gate(G_PMU));
        def(PMCNTENSET, "PMCNTENSET_EL0", 3, 3, 9, 12, 1, RW1 | RW0 | gate(G_PMU));
        def(PMCNTENCLR, "PMCNTENCLR_EL0", 3, 3, 9, 12, 2, RW1 | RW0 | gate(G_PMU));
        def(PMOVSCLR, "PMOVSCLR_EL0", 3, 3, 9, 12, 3, RW1 | RW0 | gate(G_PMU));
        def(PMSWINC, "PMSWINC_EL0", 3, 3, 9, 12, 4, W1 | W0 | gate(G_PMSWINC));
        def(PMSELR, "PMSELR_EL0", 3, 3, 9, 12, 5, RW1 | RW0 | gate(G_PMSELR));
        constant("PMCEID0_EL0", 3, 3, 9, 12, 6, 0x2_0001L, R1 | R0 | gate(G_PMU));
        constant("PMCEID1_EL0", 3, 3, 9, 12, 7, 0, R1 | R0 | gate(G_PMU));
        def(PMCCNTR, "PMCCNTR_EL0", 3, 3, 9, 13, 0, RW1 | RW0 | gate(G_PMCCNTR));
        def(PMXEVTYPER, "PMXEVTYPER_EL0", 3, 3, 9, 13, 1, RW1 | RW0 | gate(G_PMU));
        def(PMXEVCNTR, "PMXEVCNTR_EL0", 3, 3, 9, 13, 2, RW1 | RW0 | gate(G_PMEVCNTR));
        def(PMUSERENR, "PMUSERENR_EL0", 3, 3, 9, 14, 0, RW1 | R0);
        def(PMINTENSET, "PMINTENSET_EL1", 3, 0, 9, 14, 1, RW1);
        def(PMINTENCLR, "PMINTENCLR_EL1", 3, 0, 9, 14, 2, RW1);
        def(PMOVSSET, "PMOVSSET_EL0", 3, 3, 9, 14, 3, RW1 | RW0 | gate(G_PMU));
        def(PMCCFILTR, "PMCCFILTR_EL0", 3, 3, 14, 15, 7, RW1 | RW0 | gate(G_PMU));
        for (int n = 0; n < SystemRegisters.PMU_COUNTERS; n++) {
            def(PMEVCNTR0 + n, "PMEVCNTR" + n + "_EL0", 3, 3, 14, 8 + (n >> 3), n & 7, RW1 | RW0 | gate(G_PMEVCNTR));
            def(PMEVTYPER0 + n, "PMEVTYPER" + n + "_EL0", 3, 3, 14, 12 + (n >> 3), n & 7, RW1 | RW0 | gate(G_PMU));
        }

        // Cortex-A57 IMPLEMENTATION DEFINED registers that QEMU provides: RAZ/WI except CBAR.
        constant("CPUACTLR_EL1", 3, 1, 15, 2, 0, 0, RW1 | WI);
        constant("CPUECTLR_EL1", 3, 1, 15, 2, 1, 0, RW1 | WI);
        constant("CPUMERRSR_EL1", 3, 1, 15, 2, 2, 0, RW1 | WI);
        constant("L2MERRSR_EL1", 3, 1, 15, 2, 3, 0, RW1 | WI);
        constant("L2ACTLR_EL1", 3, 1, 15, 0, 0, 0, RW1 | WI);
        // L2CTLR.NumCPUs (bits 25:24) = CPUs - 1 = 0.
        constant("L2CTLR_EL1", 3, 1, 11, 0, 2, 0, RW1 | WI);
        constant("L2ECTLR_EL1", 3, 1, 11, 0, 3, 0, RW1 | WI);
        def(CBAR, "CBAR_EL1", 3, 1, 15, 3, 0, R1);
    }

    /**
     * The ID register space op0=3, op1=0, CRn=0, CRm=1..7: every encoding is a
     * read-only EL1 register, RAZ where ARMv8.0 (or this CPU) allocates nothing.
     */
    private static void defineIdSpace() {
        String[][] names = {
                null,
                {"ID_PFR0_EL1", null, "ID_DFR0_EL1", "ID_AFR0_EL1", "ID_MMFR0_EL1", "ID_MMFR1_EL1", "ID_MMFR2_EL1", "ID_MMFR3_EL1"},
                {"ID_ISAR0_EL1", "ID_ISAR1_EL1", "ID_ISAR2_EL1", "ID_ISAR3_EL1", "ID_ISAR4_EL1", "ID_ISAR5_EL1", "ID_MMFR4_EL1", "ID_ISAR6_EL1"},
                {"MVFR0_EL1", "MVFR1_EL1", "MVFR2_EL1", null, "ID_PFR2_EL1", "ID_DFR1_EL1", "ID_MMFR5_EL1", null},
                {null, "ID_AA64PFR1_EL1", null, null, "ID_AA64ZFR0_EL1", "ID_AA64SMFR0_EL1", null, null},
                {"ID_AA64DFR0_EL1", "ID_AA64DFR1_EL1", null, null, "ID_AA64AFR0_EL1", "ID_AA64AFR1_EL1", null, null},
                {"ID_AA64ISAR0_EL1", "ID_AA64ISAR1_EL1", "ID_AA64ISAR2_EL1", null, null, null, null, null},
                {"ID_AA64MMFR0_EL1", "ID_AA64MMFR1_EL1", "ID_AA64MMFR2_EL1", null, null, null, null, null},
        };
        long[][] values = {
                null,
                {0x131, 0, 0x0301_0006L, 0, 0x1010_1105L, 0x4000_0000L, 0x0126_0000L, 0x0210_2211L},
                {0x0210_1110L, 0x1311_2111L, 0x2123_2042L, 0x0111_2131L, 0x0001_1142L, 0x0001_1121L, 0, 0},
                {0x1011_0222L, 0x1211_1111L, 0x43, 0, 0, 0, 0, 0},
                {0, 0, 0, 0, 0, 0, 0, 0},
                {0x1030_5106L, 0, 0, 0, 0, 0, 0, 0},
                {0x0001_1120L, 0, 0, 0, 0, 0, 0, 0},
                {0x1124, 0, 0, 0, 0, 0, 0, 0},
        };
        for (int crm = 1; crm <= 7; crm++) {
            for (int op2 = 0; op2 < 8; op2++) {
                if (ID_OF[encode(3, 0, 0, crm, op2)] != 0) continue; // ID_PFR1, ID_AA64PFR0
                constant(names[crm][op2], 3, 0, 0, crm, op2, values[crm][op2], R1);
            }
        }
    }

    private static int gate(int g) {
        return g << GATE_SHIFT;
    }

    static int encode(int op0, int op1, int crn, int crm, int op2) {
        return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
    }

    private static void def(int id, String name, int op0, int op1, int crn, int crm, int op2, int access) {
        int enc = encode(op0, op1, crn, crm, op2);
        if (ID_OF[enc] != 0 || NAME[id] != null || ACCESS[id] != 0) {
            throw new IllegalStateException("system register defined twice: " + name);
        }
        ID_OF[enc] = (short) id;
        ACCESS[id] = access;
        NAME[id] = name;
        if (name != null) BY_NAME.put(name.toUpperCase(Locale.ROOT), enc);
    }

    private static void constant(String name, int op0, int op1, int crn, int crm, int op2, long value, int access) {
        int id = nextConstantId++;
        CONSTANT[id] = value;
        def(id, name, op0, op1, crn, crm, op2, access | CONST);
    }

    // ---- Host API ----------------------------------------------------------------------------
    /** Encoding op0:op1:CRn:CRm:op2 as in bits 20..5 of MRS/MSR; -1 if the name is unknown. Accepts "S3_1_C15_C2_0". */
    public static int byName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        Integer enc = BY_NAME.get(upper);
        if (enc != null) return enc;
        return parseGeneric(upper);
    }

    /** "S<op0>_<op1>_C<n>_C<m>_<op2>" (the assembler's generic form) to an encoding, or -1. */
    private static int parseGeneric(String s) {
        String[] p = s.split("_");
        if (p.length != 5 || !p[0].startsWith("S") || !p[2].startsWith("C") || !p[3].startsWith("C")) return -1;
        try {
            int op0 = Integer.parseInt(p[0].substring(1));
            int op1 = Integer.parseInt(p[1]);
            int crn = Integer.parseInt(p[2].substring(1));
            int crm = Integer.parseInt(p[3].substring(1));
            int op2 = Integer.parseInt(p[4]);
            if (op0 < 2 || op0 > 3 || op1 > 7 || crn > 15 || crm > 15 || op2 > 7 || op1 < 0 || crn < 0 || crm < 0 || op2 < 0) return -1;
            return encode(op0, op1, crn, crm, op2);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The architectural name of the register at an encoding, or its generic form "S3_1_C15_C2_0". */
    public static String name(int encoding) {
        int id = ID_OF[encoding & 0xFFFF];
        if (id != 0 && NAME[id] != null) return NAME[id];
        return String.format("S%d_%d_C%d_C%d_%d", encoding >>> 14 & 3, encoding >>> 11 & 7, encoding >>> 7 & 15,
                encoding >>> 3 & 15, encoding & 7);
    }

    /** Host read (no access checks); throws IllegalArgumentException for an unknown or write-only register. */
    public static long read(Cpu c, int encoding) {
        int id = idOf(c, encoding);
        boolean readable = id == EXTERNAL ? c.sys.cpuInterface.readable(encoding) : (ACCESS[id] & R1) != 0;
        if (id == 0 || !readable) {
            throw new IllegalArgumentException((id == 0 ? "unknown" : "write-only") + " system register " + name(encoding));
        }
        return get(c, id, encoding);
    }

    /** Host write (no access checks); throws IllegalArgumentException for an unknown or read-only register. */
    public static void write(Cpu c, int encoding, long value) {
        int id = idOf(c, encoding);
        boolean writable = id == EXTERNAL ? c.sys.cpuInterface.writable(encoding) : (ACCESS[id] & W1) != 0;
        if (id == 0 || !writable) {
            throw new IllegalArgumentException((id == 0 ? "unknown" : "read-only") + " system register " + name(encoding));
        }
        set(c, id, encoding, value);
    }

    /** Every encoding with a register in the table (not the CPU interface's), ascending; for tests and generators. */
    public static int[] definedEncodings() {
        int n = 0;
        for (short id : ID_OF) if (id != 0) n++;
        int[] all = new int[n];
        n = 0;
        for (int e = 0; e < ID_OF.length; e++) if (ID_OF[e] != 0) all[n++] = e;
        return all;
    }

    /** Whether MRS of a defined encoding can succeed at EL1 (false for write-only and undefined ones). */
    public static boolean readableAtEl1(int encoding) {
        return (ACCESS[ID_OF[encoding]] & R1) != 0;
    }

    /** Whether MSR of a defined encoding can succeed at EL1 (false for read-only and undefined ones). */
    public static boolean writableAtEl1(int encoding) {
        return (ACCESS[ID_OF[encoding]] & W1) != 0;
    }

    // ---- MRS / MSR (register) -------------------------------------------------------------------

    /** The 16-bit encoding op0:op1:CRn:CRm:op2 of MRS/MSR (op0 = 0b1:o0), the key of the register map. */
    private static int encoding(int o0, int op1, int crn, int crm, int op2) {
        return ((2 | o0) << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
    }

    static void mrs(Cpu c, int o0, int op1, int crn, int crm, int op2, int rt) {
        int enc = encoding(o0, op1, crn, crm, op2);
        int id = idOf(c, enc);
        if (!permitted(c, id, enc, rt, true)) return;
        c.setX(rt, get(c, id, enc));
        c.pc += 4;
    }

    static void msr(Cpu c, int o0, int op1, int crn, int crm, int op2, int rt) {
        int enc = encoding(o0, op1, crn, crm, op2);
        int id = idOf(c, enc);
        if (!permitted(c, id, enc, rt, false)) return;
        if (c.trace == TraceSink.NONE) {
            set(c, id, enc, c.x[rt]);
        } else {
            // Write-only registers (OSLAR_EL1, PMSWINC_EL0) and the GIC's report 0 and the value written.
            boolean readable = id != EXTERNAL && (ACCESS[id] & R1) != 0;
            long old = readable ? get(c, id, enc) : 0;
            set(c, id, enc, c.x[rt]);
            c.trace.sysregWrite(c.executingInstruction(), c.pc, enc, old, readable ? get(c, id, enc) : c.x[rt]);
        }
        c.pc += 4;
    }

    private static int idOf(Cpu c, int enc) {
        int id = ID_OF[enc & 0xFFFF];
        if (id == 0) {
            SystemRegisters.CpuInterface gic = c.sys.cpuInterface;
            if (gic != null && gic.handles(enc)) return EXTERNAL;
        }
        return id;
    }

    /** Checks the access rules; if the access is not permitted, takes the exception and returns false. */
    private static boolean permitted(Cpu c, int id, int enc, int rt, boolean read) {
        if (id == 0) {
            c.undefined();
            return false;
        }
        if (id == EXTERNAL) {
            SystemRegisters.CpuInterface gic = c.sys.cpuInterface;
            if (c.el == 0 || !(read ? gic.readable(enc) : gic.writable(enc))) {
                c.undefined();
                return false;
            }
            return true;
        }
        int access = ACCESS[id];
        int need = c.el == 0 ? (read ? R0 : W0) : (read ? R1 : W1);
        if ((access & need) == 0) {
            c.undefined();
            return false;
        }
        if (id == SP_EL0 && !c.spx) {
            // SP_EL0 is not accessible by name while it is the current stack pointer.
            c.undefined();
            return false;
        }
        if ((access & FP) != 0 && !fpEnabled(c)) {
            c.takeSync(ExceptionClass.FP_ACCESS, Exceptions.ISS_CV_AL);
            return false;
        }
        int gate = access >>> GATE_SHIFT;
        if (c.el == 0 && gate != 0 && !gateOpen(c, gate, read)) {
            c.takeSync(ExceptionClass.SYSREG, Exceptions.sysregTrapIss(enc >>> 14, (enc >>> 11) & 7, (enc >>> 7) & 15, (enc >>> 3) & 15, enc & 7, rt, read));
            return false;
        }
        return true;
    }

    /** CPACR_EL1.FPEN: 0b11 enables FP/SIMD at EL0 and EL1, 0b01 at EL1 only, 0b00/0b10 at neither. */
    static boolean fpEnabled(Cpu c) {
        int fpen = (int) (c.sys.cpacrEl1 >>> 20) & 3;
        return fpen == 3 || (fpen == 1 && c.el == 1);
    }

    private static boolean gateOpen(Cpu c, int gate, boolean read) {
        long pmuserenr = c.sys.pmuserenrEl0;
        boolean en = (pmuserenr & 1) != 0;
        GenericTimer t = c.timer;
        return switch (gate) {
            case G_UMA -> (c.sctlrEl1 & SCTLR_UMA) != 0;
            case G_UCT -> (c.sctlrEl1 & SCTLR_UCT) != 0;
            case G_CNTPCT -> t.el0PhysCountAccess();
            case G_CNTVCT -> t.el0VirtCountAccess();
            case G_CNTFRQ -> t.el0FrequencyAccess();
            case G_CNTP -> t.el0PhysTimerAccess();
            case G_CNTV -> t.el0VirtTimerAccess();
            case G_PMU -> en;
            case G_PMSWINC -> en || (pmuserenr & 2) != 0;
            case G_PMCCNTR -> en || (read && (pmuserenr & 4) != 0);
            case G_PMEVCNTR -> en || (read && (pmuserenr & 8) != 0);
            case G_PMSELR -> en || (pmuserenr & 8) != 0;
            case G_DCC -> (c.sys.mdscrEl1 & (1L << 12)) == 0;
            default -> false;
        };
    }

    // ---- Values -----------------------------------------------------------------------------------
    private static long get(Cpu c, int id, int enc) {
        int access = ACCESS[id];
        if ((access & CONST) != 0) return CONSTANT[id];
        SystemRegisters s = c.sys;
        GenericTimer t = c.timer;
        if (id >= DBGBVR0 && id < EXTERNAL) return getBanked(c, id);
        return switch (id) {
            case NZCV -> c.nzcv() & 0xFFFF_FFFFL;
            case DAIF -> c.daif;
            case SPSEL -> c.spx ? 1 : 0;
            case CURRENT_EL -> (long) c.el << 2;
            case SP_EL0 -> c.spEl0();
            case ELR_EL1 -> c.elrEl1;
            case SPSR_EL1 -> c.spsrEl1;
            case FPCR -> c.fpcr;
            case FPSR -> c.fpsr;
            case SCTLR -> c.sctlrEl1;
            case CPACR -> s.cpacrEl1;
            case TTBR0 -> s.ttbr0El1;
            case TTBR1 -> s.ttbr1El1;
            case TCR -> s.tcrEl1;
            case ESR -> c.esrEl1;
            case FAR -> c.farEl1;
            case PAR -> s.parEl1;
            case MAIR -> s.mairEl1;
            case VBAR -> c.vbarEl1;
            case ISR -> (c.irqLine.irq() ? 1 << 7 : 0) | (c.irqLine.fiq() ? 1 << 6 : 0);
            case CONTEXTIDR -> s.contextidrEl1;
            case TPIDR_EL1 -> s.tpidrEl1;
            case TPIDR_EL0 -> s.tpidrEl0;
            case TPIDRRO_EL0 -> s.tpidrroEl0;
            case MPIDR -> s.mpidrEl1;
            case DCZID -> DCZID_BS | (dcZvaAllowed(c) ? 0 : DCZID_DZP);
            case CCSIDR -> CCSIDR_VALUES[(int) s.csselrEl1 & 0xF];
            case CSSELR -> s.csselrEl1;
            case ID_PFR1 -> ID_PFR1_BASE | (s.cpuInterface != null ? ID_PFR1_GIC : 0);
            case ID_AA64PFR0 -> ID_AA64PFR0_BASE | (s.cpuInterface != null ? ID_AA64PFR0_GIC : 0);
            case CBAR -> s.cbarEl1;
            case CNTFRQ -> t.cntfrq();
            case CNTPCT, CNTVCT -> t.count();
            case CNTP_CTL -> t.physCtl();
            case CNTP_CVAL -> t.physCval();
            case CNTP_TVAL -> t.physTval();
            case CNTV_CTL -> t.virtCtl();
            case CNTV_CVAL -> t.virtCval();
            case CNTV_TVAL -> t.virtTval();
            case CNTKCTL -> t.cntkctl();
            case MDSCR -> s.mdscrEl1;
            case OSLSR -> s.oslsrEl1;
            case OSDLR -> s.osdlrEl1;
            case MDCCINT -> s.mdccintEl1;
            case DBGPRCR -> s.dbgprcrEl1;
            case PMCR -> s.pmcrEl0;
            case PMCNTENSET, PMCNTENCLR -> s.pmcntenset;
            case PMOVSCLR, PMOVSSET -> s.pmovs;
            case PMINTENSET, PMINTENCLR -> s.pmintenset;
            case PMSELR -> s.pmselrEl0;
            case PMCCNTR -> s.pmccntr(c.cycles);
            case PMXEVTYPER -> selectedCounter(s) < 0 ? (s.pmselrEl0 == 31 ? s.pmccfiltrEl0 : 0) : s.pmevtyper[selectedCounter(s)];
            case PMXEVCNTR -> selectedCounter(s) < 0 ? 0 : s.pmevcntr[selectedCounter(s)];
            case PMUSERENR -> s.pmuserenrEl0;
            case PMCCFILTR -> s.pmccfiltrEl0;
            case EXTERNAL -> s.cpuInterface.read(enc);
            default -> throw new IllegalStateException("no read for " + NAME[id]);
        };
    }

    private static long getBanked(Cpu c, int id) {
        SystemRegisters s = c.sys;
        if (id < DBGBCR0) return s.dbgbvr[id - DBGBVR0];
        if (id < DBGWVR0) return s.dbgbcr[id - DBGBCR0];
        if (id < DBGWCR0) return s.dbgwvr[id - DBGWVR0];
        if (id < PMEVCNTR0) return s.dbgwcr[id - DBGWCR0];
        if (id < PMEVTYPER0) return s.pmevcntr[id - PMEVCNTR0];
        return s.pmevtyper[id - PMEVTYPER0];
    }

    /**
     * Writes a register. Masks follow QEMU 7.2 except where it disagrees with
     * the Arm ARM: SCTLR_EL1 forces its RES0/RES1 bits (QEMU stores most of
     * them), VBAR_EL1 clears bits 10:0 (QEMU only 4:0, for its AArch32 view),
     * MDCCINT_EL1 keeps RX/TX (QEMU: RAZ/WI) and DBGPRCR_EL1 exists (QEMU 7.2
     * lacks it).
     */
    private static void set(Cpu c, int id, int enc, long v) {
        int access = ACCESS[id];
        if ((access & WI) != 0) return;
        SystemRegisters s = c.sys;
        GenericTimer t = c.timer;
        if (id >= DBGBVR0 && id < EXTERNAL) {
            setBanked(c, id, v);
            if (id < PMEVCNTR0) c.debug.registersChanged();
            return;
        }
        switch (id) {
            case NZCV -> c.setNzcv(v);
            case DAIF -> {
                c.daif = (int) v & 0x3C0;
                c.requestService();
            }
            case SPSEL -> c.setElAndSp(c.el, (v & 1) != 0);
            case SP_EL0 -> c.setSpEl0(v);
            case ELR_EL1 -> c.elrEl1 = v;
            case SPSR_EL1 -> c.spsrEl1 = v;
            case FPCR -> c.fpcr = v & FPCR_MASK;
            case FPSR -> c.fpsr = v & FPSR_MASK;
            case SCTLR -> {
                long sctlr = (v & ~SCTLR_RES0) | SCTLR_RES1;
                if (sctlr != c.sctlrEl1) {
                    c.sctlrEl1 = sctlr;
                    c.mmu.flushAll();
                }
            }
            case CPACR -> s.cpacrEl1 = v;
            case TTBR0 -> {
                // Cached translations depend on it (the ASID too): forget them when it changes.
                if (s.ttbr0El1 != v) {
                    s.ttbr0El1 = v;
                    c.mmu.flushAll();
                }
            }
            case TTBR1 -> {
                // Cached translations depend on it (the ASID too): forget them when it changes.
                if (s.ttbr1El1 != v) {
                    s.ttbr1El1 = v;
                    c.mmu.flushAll();
                }
            }
            case TCR -> {
                // Cached translations depend on it (the ASID too): forget them when it changes.
                if (s.tcrEl1 != v) {
                    s.tcrEl1 = v;
                    c.mmu.flushAll();
                }
            }
            case ESR -> c.esrEl1 = v;
            case FAR -> c.farEl1 = v;
            case PAR -> s.parEl1 = v;
            case MAIR -> {
                // Cached translations depend on it (the ASID too): forget them when it changes.
                if (s.mairEl1 != v) {
                    s.mairEl1 = v;
                    c.mmu.flushAll();
                }
            }
            case VBAR -> c.vbarEl1 = v & ~0x7FFL;
            case CONTEXTIDR -> s.contextidrEl1 = v;
            case TPIDR_EL1 -> s.tpidrEl1 = v;
            case TPIDR_EL0 -> s.tpidrEl0 = v;
            case TPIDRRO_EL0 -> s.tpidrroEl0 = v;
            case CSSELR -> s.csselrEl1 = v & 0xF;
            case CNTFRQ -> t.setCntfrq(v);
            case CNTP_CTL -> t.setPhysCtl(v);
            case CNTP_CVAL -> t.setPhysCval(v);
            case CNTP_TVAL -> t.setPhysTval(v);
            case CNTV_CTL -> t.setVirtCtl(v);
            case CNTV_CVAL -> t.setVirtCval(v);
            case CNTV_TVAL -> t.setVirtTval(v);
            case CNTKCTL -> t.setCntkctl(v);
            case MDSCR -> {
                s.mdscrEl1 = v;
                c.debug.registersChanged();
            }
            case OSLAR -> {
                s.oslsrEl1 = (s.oslsrEl1 & ~2L) | ((v & 1) << 1);
                c.debug.registersChanged();
            }
            case OSDLR -> {
                s.osdlrEl1 = v & 1;
                c.debug.registersChanged();
            }
            case MDCCINT -> s.mdccintEl1 = v & (3L << 29);
            case DBGPRCR -> {
                s.dbgprcrEl1 = v & 1;
                c.debug.registersChanged();
            }
            case PMCR -> setPmcr(c, v);
            case PMCNTENSET -> {
                s.pmcntenset |= v & PMU_COUNTER_BITS;
                s.updatePmccntr(c.cycles);
            }
            case PMCNTENCLR -> {
                s.pmcntenset &= ~(v & PMU_COUNTER_BITS);
                s.updatePmccntr(c.cycles);
            }
            case PMOVSSET -> s.pmovs |= v & PMU_COUNTER_BITS;
            case PMOVSCLR -> s.pmovs &= ~(v & PMU_COUNTER_BITS);
            case PMINTENSET -> s.pmintenset |= v & PMU_COUNTER_BITS;
            case PMINTENCLR -> s.pmintenset &= ~(v & PMU_COUNTER_BITS);
            case PMSWINC -> softwareIncrement(s, v);
            case PMSELR -> s.pmselrEl0 = v & 0x1F;
            case PMCCNTR -> s.setPmccntr(c.cycles, v);
            case PMXEVTYPER -> {
                int n = selectedCounter(s);
                if (n >= 0) s.pmevtyper[n] = v & PMEVTYPER_MASK;
                else if (s.pmselrEl0 == 31) s.pmccfiltrEl0 = v & PMCCFILTR_MASK;
            }
            case PMXEVCNTR -> {
                int n = selectedCounter(s);
                if (n >= 0) s.pmevcntr[n] = v & 0xFFFF_FFFFL;
            }
            case PMUSERENR -> s.pmuserenrEl0 = v & 0xF;
            case PMCCFILTR -> s.pmccfiltrEl0 = v & PMCCFILTR_MASK;
            case EXTERNAL -> {
                s.cpuInterface.write(enc, v);
                c.requestService();
            }
            default -> throw new IllegalStateException("no write for " + NAME[id]);
        }
    }

    private static void setBanked(Cpu c, int id, long v) {
        SystemRegisters s = c.sys;
        if (id < DBGBCR0) {
            s.dbgbvr[id - DBGBVR0] = v;
        } else if (id < DBGWVR0) {
            // BAS pairs up halfwords as QEMU does for its AArch32 view: BAS[1] = BAS[0], BAS[3] = BAS[2].
            long bas0 = (v >>> 5) & 1, bas2 = (v >>> 7) & 1;
            s.dbgbcr[id - DBGBCR0] = (v & ~((1L << 6) | (1L << 8))) | (bas0 << 6) | (bas2 << 8);
        } else if (id < DBGWCR0) {
            s.dbgwvr[id - DBGWVR0] = v & ~3L;
        } else if (id < PMEVCNTR0) {
            s.dbgwcr[id - DBGWCR0] = v;
        } else if (id < PMEVTYPER0) {
            s.pmevcntr[id - PMEVCNTR0] = v & 0xFFFF_FFFFL;
        } else {
            s.pmevtyper[id - PMEVTYPER0] = v & PMEVTYPER_MASK;
        }
    }

    private static void setPmcr(Cpu c, long v) {
        SystemRegisters s = c.sys;
        if ((v & PMCR_C) != 0) s.setPmccntr(c.cycles, 0);
        if ((v & PMCR_P) != 0) Arrays.fill(s.pmevcntr, 0);
        s.pmcrEl0 = (s.pmcrEl0 & ~PMCR_WRITABLE) | (v & PMCR_WRITABLE);
        s.updatePmccntr(c.cycles);
    }

    /** PMSWINC: counts the SW_INCR event (0x00) on enabled counters; overflow sets PMOVS (no interrupt is modelled). */
    private static void softwareIncrement(SystemRegisters s, long v) {
        if ((s.pmcrEl0 & 1) == 0) return;
        for (int n = 0; n < SystemRegisters.PMU_COUNTERS; n++) {
            if ((v & s.pmcntenset & (1L << n)) == 0 || (s.pmevtyper[n] & 0xFFFF) != PMU_EVENT_SW_INCR) continue;
            long next = (s.pmevcntr[n] + 1) & 0xFFFF_FFFFL;
            if (next == 0) s.pmovs |= 1L << n;
            s.pmevcntr[n] = next;
        }
    }

    /** The event counter PMSELR_EL0.SEL selects, or -1 (the cycle counter's 31, or no such counter: RAZ/WI as QEMU). */
    private static int selectedCounter(SystemRegisters s) {
        int sel = (int) s.pmselrEl0;
        return sel < SystemRegisters.PMU_COUNTERS ? sel : -1;
    }

    /** DC ZVA is permitted at EL1, and at EL0 when SCTLR_EL1.DZE is set (DCZID_EL0.DZP reports the opposite). */
    static boolean dcZvaAllowed(Cpu c) {
        return c.el == 1 || (c.sctlrEl1 & SCTLR_DZE) != 0;
    }
}
