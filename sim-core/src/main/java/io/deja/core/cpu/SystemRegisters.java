package io.deja.core.cpu;

/**
 * Storage for the system registers that have no behaviour of their own in
 * the CPU core (exception state lives in Cpu, timers in GenericTimer). The
 * MRS/MSR encoding map, access rules and write masks are in
 * io.deja.core.isa.SysRegs.
 *
 * Registers that a Cortex-A57 (and QEMU's model of it) implements as RAZ/WI,
 * such as ACTLR_EL1, AFSR0/1_EL1 and AMAIR_EL1, have no field here.
 */
public final class SystemRegisters implements io.deja.core.state.Stateful {
    /** OSLSR_EL1 at reset: OSLM = 0b10 (OS lock implemented) and OSLK = 1 (locked), as QEMU. */
    public static final long OSLSR_RESET = 0xA;
    /** PMCR_EL0 at reset: IMP = 0x41 (Arm), IDCODE = 1, N = 6 event counters, as QEMU's cortex-a57. */
    public static final long PMCR_RESET = 0x41013000L;
    public static final int PMU_COUNTERS = 6;
    public static final int BREAKPOINTS = 6, WATCHPOINTS = 4;

    // ---- Board configuration (read-only to the guest) -----------------------------
    /** MPIDR_EL1: bit 31 RES1, affinity 0.0.0 (CPU 0 of QEMU's virt). */
    public long mpidrEl1 = 0x8000_0000L;
    /** CBAR_EL1 (Cortex-A57 IMPLEMENTATION DEFINED): base of the GIC, QEMU virt's 0x0800_0000. */
    public long cbarEl1 = 0x0800_0000L;
    /**
     * This CPU's GICv3 CPU interface when the board has one (null with GICv2): its
     * ICC_* registers are reached through MRS/MSR, and ID_AA64PFR0.GIC and
     * ID_PFR1.GIC report it, as QEMU does when a GICv3 is attached.
     */
    public CpuInterface cpuInterface;

    // ---- Thread IDs, context and memory system configuration ----------------------
    public long tpidrEl0, tpidrroEl0, tpidrEl1;
    public long cpacrEl1;
    public long contextidrEl1;
    public long mairEl1, tcrEl1, ttbr0El1, ttbr1El1;
    public long parEl1;
    public long csselrEl1;

    // ---- Debug -------------------------------------------------------------------
    public long mdscrEl1, oslsrEl1 = OSLSR_RESET, osdlrEl1, mdccintEl1, dbgprcrEl1;
    public final long[] dbgbcr = new long[BREAKPOINTS], dbgbvr = new long[BREAKPOINTS];
    public final long[] dbgwcr = new long[WATCHPOINTS], dbgwvr = new long[WATCHPOINTS];

    // ---- Performance monitors -------------------------------------------------------
    public long pmcrEl0 = PMCR_RESET, pmuserenrEl0, pmcntenset, pmintenset, pmovs, pmselrEl0, pmccfiltrEl0;
    public final long[] pmevcntr = new long[PMU_COUNTERS], pmevtyper = new long[PMU_COUNTERS];
    /** PMCCNTR = pmccntrBase + (cycles - pmccntrStart) while the cycle counter runs, else pmccntrBase. */
    private long pmccntrBase, pmccntrStart;
    private boolean pmccntrRunning;

    /** Everything the guest can change (the board's constants, MPIDR and CBAR, and the CPU interface wiring are not state). */
    @Override
    public void state(io.deja.core.state.StateVisitor v) {
        tpidrEl0 = v.u64("tpidr_el0", tpidrEl0);
        tpidrroEl0 = v.u64("tpidrro_el0", tpidrroEl0);
        tpidrEl1 = v.u64("tpidr_el1", tpidrEl1);
        cpacrEl1 = v.u64("cpacr_el1", cpacrEl1);
        contextidrEl1 = v.u64("contextidr_el1", contextidrEl1);
        mairEl1 = v.u64("mair_el1", mairEl1);
        tcrEl1 = v.u64("tcr_el1", tcrEl1);
        ttbr0El1 = v.u64("ttbr0_el1", ttbr0El1);
        ttbr1El1 = v.u64("ttbr1_el1", ttbr1El1);
        parEl1 = v.u64("par_el1", parEl1);
        csselrEl1 = v.u64("csselr_el1", csselrEl1);
        mdscrEl1 = v.u64("mdscr_el1", mdscrEl1);
        oslsrEl1 = v.u64("oslsr_el1", oslsrEl1);
        osdlrEl1 = v.u64("osdlr_el1", osdlrEl1);
        mdccintEl1 = v.u64("mdccint_el1", mdccintEl1);
        dbgprcrEl1 = v.u64("dbgprcr_el1", dbgprcrEl1);
        v.u64s("dbgbcr", dbgbcr);
        v.u64s("dbgbvr", dbgbvr);
        v.u64s("dbgwcr", dbgwcr);
        v.u64s("dbgwvr", dbgwvr);
        pmcrEl0 = v.u64("pmcr_el0", pmcrEl0);
        pmuserenrEl0 = v.u64("pmuserenr_el0", pmuserenrEl0);
        pmcntenset = v.u64("pmcntenset", pmcntenset);
        pmintenset = v.u64("pmintenset", pmintenset);
        pmovs = v.u64("pmovs", pmovs);
        pmselrEl0 = v.u64("pmselr_el0", pmselrEl0);
        pmccfiltrEl0 = v.u64("pmccfiltr_el0", pmccfiltrEl0);
        v.u64s("pmevcntr", pmevcntr);
        v.u64s("pmevtyper", pmevtyper);
        pmccntrBase = v.u64("pmccntr_base", pmccntrBase);
        pmccntrStart = v.u64("pmccntr_start", pmccntrStart);
        pmccntrRunning = v.bool("pmccntr_running", pmccntrRunning);
    }

    /** PMCCNTR_EL0 at virtual time {@code cycles}. */
    public long pmccntr(long cycles) {
        return pmccntrRunning ? pmccntrBase + (cycles - pmccntrStart) : pmccntrBase;
    }

    public void setPmccntr(long cycles, long value) {
        pmccntrBase = value;
        pmccntrStart = cycles;
    }

    /**
     * Re-evaluates whether the cycle counter runs (PMCR_EL0.E and
     * PMCNTENSET_EL0.C); call after either changes. It counts one per cycle:
     * PMCR.D (divide by 64), PMCCFILTR's EL filters and overflow are not modelled.
     */
    public void updatePmccntr(long cycles) {
        boolean run = (pmcrEl0 & 1) != 0 && (pmcntenset & (1L << 31)) != 0;
        if (run == pmccntrRunning) return;
        pmccntrBase = pmccntr(cycles);
        pmccntrStart = cycles;
        pmccntrRunning = run;
    }

    /** System registers implemented outside the core, such as a GICv3 CPU interface (ICC_*_EL1). */
    public interface CpuInterface {
        /** Whether the encoding (op0:op1:CRn:CRm:op2, as SysRegs uses) is one of this interface's registers. */
        boolean handles(int encoding);

        /** Whether the register is readable (false: write-only, such as ICC_SGI1R_EL1). */
        boolean readable(int encoding);

        /** Whether the register is writable (false: read-only, such as ICC_IAR1_EL1). */
        boolean writable(int encoding);

        long read(int encoding);

        void write(int encoding, long value);
    }
}
