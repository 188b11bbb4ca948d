package io.deja.core.cpu;

/**
 * The self-hosted debug architecture of ARMv8.0 at EL0/EL1 (Arm ARM D2):
 * hardware breakpoints (DBGBCRn/DBGBVRn, unlinked address match),
 * watchpoints (DBGWCRn/DBGWVRn with BAS, LSC, PAC and MASK), software step
 * (MDSCR_EL1.SS with PSTATE.SS), gated by the OS lock, the OS double lock,
 * MDSCR_EL1.KDE/MDE and PSTATE.D. The registers live in
 * {@link SystemRegisters}; this class answers whether a debug event happens
 * and raises its exception.
 *
 * Cost: nothing while no breakpoint, watchpoint or step is armed. When
 * breakpoints or step are armed the run loop services every instruction
 * boundary ({@link #armed}); when watchpoints are armed the MMU sends
 * accesses to watched pages down its slow path ({@link #watchpointsArmed}).
 */
public final class SelfHostedDebug implements io.deja.core.state.Stateful {
    private static final long MDSCR_SS = 1, MDSCR_KDE = 1L << 13, MDSCR_MDE = 1L << 15;
    /** IFSC/DFSC of every debug exception: 0b100010. */
    private static final int DEBUG_FSC = 0b100010;

    private final Cpu cpu;
    private final SystemRegisters s;
    /** Breakpoints or software step armed: the run loop must look at every instruction boundary. */
    public boolean armed;
    /** Any watchpoint enabled with MDSCR_EL1.MDE: accesses to watched pages take the MMU's slow path. */
    public boolean watchpointsArmed;

    /** Software step: the instruction now executing is being stepped (PSTATE.SS was 1 when it started). */
    private boolean stepInFlight;
    /** Exceptions taken and cycles when the stepped instruction started, and whether it is a load-exclusive. */
    private long stepExceptions, stepCycles;
    private boolean stepLoadExclusive;

    SelfHostedDebug(Cpu cpu) {
        this.cpu = cpu;
        this.s = cpu.sys;
    }

    /** Re-derives what is armed; call after a write to MDSCR_EL1 or any DBGBCR/DBGWCR/DBGWVR. */
    public void registersChanged() {
        boolean wasWatching = watchpointsArmed;
        derive();
        if (watchpointsArmed || wasWatching) cpu.mmu.flushAll(); // watched pages change: refill the TLB
        stepInFlight = false;
        cpu.requestService();
    }

    private void derive() {
        boolean mde = (s.mdscrEl1 & MDSCR_MDE) != 0;
        boolean bp = false, wp = false;
        for (long bcr : s.dbgbcr) bp |= (bcr & 1) != 0;
        for (long wcr : s.dbgwcr) wp |= (wcr & 1) != 0;
        armed = (s.mdscrEl1 & MDSCR_SS) != 0 || (mde && bp);
        watchpointsArmed = mde && wp;
    }

    /** The step in flight (the registers are the system registers'); what is armed is derived from them. */
    @Override
    public void state(io.deja.core.state.StateVisitor v) {
        stepInFlight = v.bool("step_in_flight", stepInFlight);
        stepExceptions = v.u64("step_exceptions", stepExceptions);
        stepCycles = v.u64("step_cycles", stepCycles);
        stepLoadExclusive = v.bool("step_load_exclusive", stepLoadExclusive);
        derive();
    }

    /**
     * AArch64.GenerateDebugExceptionsFrom(el, D): never with the OS lock or the
     * OS double lock set; from EL0 always (the debug exception goes to EL1);
     * from EL1 only with MDSCR_EL1.KDE set and PSTATE.D clear.
     */
    public boolean enabledFrom(int el, boolean dMasked) {
        if ((s.oslsrEl1 & 2) != 0) return false;
        if ((s.osdlrEl1 & 1) != 0 && (s.dbgprcrEl1 & 1) == 0) return false;
        if (el == 0) return true;
        return (s.mdscrEl1 & MDSCR_KDE) != 0 && !dMasked;
    }

    private boolean enabledHere() {
        return enabledFrom(cpu.el, debugMasked());
    }

    private boolean stepActiveHere() {
        return stepActive(cpu.el, debugMasked());
    }

    /** PSTATE.D. */
    private boolean debugMasked() {
        return (cpu.daif & 0x200) != 0;
    }

    /** Whether software step is active at el with PSTATE.D = dMasked (ERET uses this for the target). */
    public boolean stepActive(int el, boolean dMasked) {
        return (s.mdscrEl1 & MDSCR_SS) != 0 && enabledFrom(el, dMasked);
    }

    // ---- Before an instruction ------------------------------------------------------------------
    /**
     * Right after an instruction, with {@link #armed}: if it was stepped and
     * took no exception, the step is complete: PSTATE.SS becomes 0 and the
     * Software Step exception is taken with ISV = 1 and EX (whether it was a
     * load-exclusive), before any interrupt. Returns true if it was taken.
     */
    public boolean completeStep() {
        if (!stepInFlight) return false;
        // An instruction abandoned for an MMIO exit has not executed yet: it is still being stepped.
        if (cpu.cycles == stepCycles) return false;
        stepInFlight = false;
        if (cpu.exceptionsTaken != stepExceptions || !stepActiveHere()) return false;
        cpu.ss = false;
        cpu.takeException(Cpu.VEC_SYNC, cpu.el == 0 ? ExceptionClass.SOFTWARE_STEP_LOWER : ExceptionClass.SOFTWARE_STEP_SAME,
                (1 << 24) | (stepLoadExclusive ? 1 << 6 : 0) | DEBUG_FSC, false, 0, cpu.pc);
        return true;
    }

    /**
     * Before the instruction at PC (whose word is nextWord), with {@link #armed}:
     * takes the Software Step exception of an active-pending step (ISV = 0), or
     * a Breakpoint exception (which counts as the step of the instruction it
     * replaces, as an instruction abort does); otherwise notes whether this
     * instruction is being stepped. Returns true if an exception was taken.
     */
    public boolean beforeInstruction(int nextWord) {
        if (stepActiveHere()) {
            if (!cpu.ss) {
                cpu.takeException(Cpu.VEC_SYNC, cpu.el == 0 ? ExceptionClass.SOFTWARE_STEP_LOWER : ExceptionClass.SOFTWARE_STEP_SAME,
                        DEBUG_FSC, false, 0, cpu.pc);
                return true;
            }
        }
        if (breakpointMatches(cpu.pc)) {
            cpu.cycles++;
            // FAR is UNKNOWN for breakpoints: 0, as QEMU.
            cpu.takeException(Cpu.VEC_SYNC, cpu.el == 0 ? ExceptionClass.BREAKPOINT_LOWER : ExceptionClass.BREAKPOINT_SAME,
                    DEBUG_FSC, true, 0, cpu.pc);
            return true;
        }
        if (cpu.ss && stepActiveHere()) {
            stepInFlight = true;
            stepExceptions = cpu.exceptionsTaken;
            stepCycles = cpu.cycles;
            stepLoadExclusive = isLoadExclusive(nextWord);
        }
        return false;
    }

    /** LDXR, LDAXR, LDXP, LDAXP (all sizes; bits 29:22 = 0b00100001): the EX bit of a completed step. */
    private static boolean isLoadExclusive(int insn) {
        return (insn & 0x3FC0_0000) == 0x0840_0000;
    }

    /** An enabled unlinked address-match breakpoint for pc at the current EL (DBGBCR.PMC), with MDE and debug enabled. */
    private boolean breakpointMatches(long pc) {
        if ((s.mdscrEl1 & MDSCR_MDE) == 0 || !enabledHere()) return false;
        int elBit = cpu.el == 0 ? 2 : 1;
        for (int n = 0; n < s.dbgbcr.length; n++) {
            long bcr = s.dbgbcr[n];
            if ((bcr & 1) == 0 || ((bcr >>> 1) & 3 & elBit) == 0) continue;
            if (((bcr >>> 20) & 0xF) != 0) continue; // BT: only unlinked address match; context and linked types never match here
            long address = (s.dbgbvr[n] << 15) >> 15 & ~3L; // VA[48:2], sign-extended from bit 48
            if (address == (pc & ~3L)) return true;
        }
        return false;
    }

    // ---- Data accesses ---------------------------------------------------------------------------
    /** Whether any enabled watchpoint's range overlaps the 4 KiB page at vaPage (the MMU keeps such pages off its fast path). */
    public boolean watchesPage(long vaPage) {
        for (int n = 0; n < s.dbgwcr.length; n++) {
            long wcr = s.dbgwcr[n];
            if ((wcr & 1) == 0) continue;
            long base = watchBase(n), size = watchSize(n);
            if (Long.compareUnsigned(base, vaPage + 0x1000) < 0 && Long.compareUnsigned(base + size, vaPage) > 0) return true;
        }
        return false;
    }

    private long watchBase(int n) {
        long wcr = s.dbgwcr[n];
        int mask = (int) (wcr >>> 24) & 31;
        long address = (s.dbgwvr[n] << 15) >> 15;
        return mask >= 3 ? address & -(1L << mask) : address & ~7L;
    }

    private long watchSize(int n) {
        int mask = (int) (s.dbgwcr[n] >>> 24) & 31;
        return mask >= 3 ? 1L << mask : 8;
    }

    /**
     * Raises a Watchpoint exception if an access of size bytes at va, a store
     * or not, with the privilege of el (LDTR/STTR: 0), matches an enabled
     * watchpoint: DBGWCR.LSC (bit 3 loads, bit 4 stores), PAC (bit 1 EL1,
     * bit 2 EL0), and BAS bytes of the doubleword at DBGWVR, or with MASK the
     * 2^MASK bytes around it. FAR is the first watched byte accessed, as QEMU.
     */
    public void checkWatchpoints(long va, int size, boolean write, int el, boolean cacheMaintenance) {
        if ((s.mdscrEl1 & MDSCR_MDE) == 0 || !enabledHere()) return;
        int elBit = el == 0 ? 2 : 1;
        for (int n = 0; n < s.dbgwcr.length; n++) {
            long wcr = s.dbgwcr[n];
            if ((wcr & 1) == 0 || ((wcr >>> 1) & 3 & elBit) == 0) continue;
            if (((wcr >>> 3) & (write ? 2 : 1)) == 0) continue;
            long hit = firstWatchedByte(n, va, size);
            if (hit == -1) continue;
            int ec = cpu.el == 0 ? ExceptionClass.WATCHPOINT_LOWER : ExceptionClass.WATCHPOINT_SAME;
            int iss = DEBUG_FSC | (write ? 1 << 6 : 0) | (cacheMaintenance ? 1 << 8 : 0);
            cpu.takeException(Cpu.VEC_SYNC, ec, iss, true, hit, cpu.pc);
            throw ExceptionTaken.INSTANCE;
        }
    }

    private long firstWatchedByte(int n, long va, int size) {
        long base = watchBase(n);
        int mask = (int) (s.dbgwcr[n] >>> 24) & 31;
        if (mask >= 3) {
            long end = base + (1L << mask);
            if (Long.compareUnsigned(va, end) >= 0 || Long.compareUnsigned(va + size, base) <= 0) return -1;
            return Long.compareUnsigned(va, base) > 0 ? va : base;
        }
        int bas = (int) (s.dbgwcr[n] >>> 5) & 0xFF;
        for (int i = 0; i < size; i++) {
            long b = va + i - base;
            if (b >= 0 && b < 8 && (bas & (1 << b)) != 0) return va + i;
        }
        return -1;
    }
}
