package io.deja.core.cpu;

import io.deja.core.vm.ExitKind;

import io.deja.core.mem.PhysicalBus;
import io.deja.core.mmu.Mmu;
import io.deja.core.trace.TraceSink;

/**
 * Architectural state of one AArch64 PE (EL0 and EL1, no EL2/EL3) plus the
 * few run-loop fields that the semantic methods touch. Plain fields and
 * arrays only: the per-instruction path must not allocate or box.
 *
 * Conventions for semantic methods (io.deja.core.isa):
 * - {@code pc} holds the address of the executing instruction until the
 *   method sets the next PC ({@code c.pc += 4} or a branch target).
 * - Do every memory access before writing any register, so that a fault
 *   (which unwinds with {@link ExceptionTaken}) leaves no partial update.
 * - Register 31 is XZR for {@link #x}: {@link #setX} keeps x[31] zero. Use
 *   {@link #xOrSp}/{@link #setXOrSp} where the encoding means SP.
 */
public final class Cpu implements io.deja.core.state.Stateful {
    // ---- General-purpose registers and PSTATE -------------------------------
    /** X0-X30; x[31] always reads as zero (XZR). */
    public final long[] x = new long[32];
    /** The stack pointer selected by the current EL and PSTATE.SP. */
    public long sp;
    /** The banked stack pointer that is not live (SP_EL0 when sp is SP_EL1, and vice versa). */
    private long spBanked;
    public long pc;
    public boolean nf, zf, cf, vf;
    /** PSTATE.EL: 0 or 1. */
    public int el = 1;
    /** PSTATE.SP: true selects SP_ELx, false SP_EL0. */
    public boolean spx = true;
    /** PSTATE.{D,A,I,F} in bits 9..6, as in SPSR and the DAIF register. */
    public int daif = 0x3C0;
    /** PSTATE.IL: set by an illegal exception return. */
    public boolean il;
    /** PSTATE.SS (software step); kept for SPSR round trips. */
    public boolean ss;

    /** V0-V31 as (low, high) pairs (isa.VectorLanes names their lanes), FPCR and FPSR. */
    public final long[] v = new long[64];
    public long fpcr, fpsr;
    /** Scratch environment of the FP operation being executed (not state: set from fpcr, flags ORed into fpsr). */
    public final io.deja.core.fp.FpStatus fpStatus = new io.deja.core.fp.FpStatus();
    /** Scratch lanes of the Advanced SIMD operation being executed (not state: nothing is allocated per instruction). */
    public final long[] simdScratch = new long[64];

    // ---- EL1 exception state (the system registers exception entry uses) ----
    public long elrEl1, spsrEl1, esrEl1, farEl1, vbarEl1;
    /** SCTLR_EL1 reset value of a Cortex-A57 (RES1 bits set, MMU and caches off). */
    public long sctlrEl1 = 0x00C50838L;

    /** All other system registers: IDs, thread pointers, CPACR, MMU configuration. */
    public final SystemRegisters sys = new SystemRegisters();
    public final GenericTimer timer = new GenericTimer(this);
    /** Breakpoints, watchpoints and software step (over the debug registers in sys). */
    public final SelfHostedDebug debug;
    /** Exceptions taken so far (software step uses it to tell whether the stepped instruction completed). */
    public long exceptionsTaken;

    // ---- Exclusive monitor ----------------------------------------------------
    // The local monitor; with several CPUs the global one (monitor) also clears it
    // when another CPU stores to the reserved granule.
    public boolean exclusiveValid;
    public long exclusiveAddr;
    public int exclusiveSize;

    // ---- Virtual time and run-loop control ----------------------------------
    /** Virtual time in cycles: one per instruction, plus WFI sleeps. CNTPCT/CNTVCT derive from it. */
    public long cycles;
    /** Cycles spent asleep in WFI; instructions retired = cycles - idleCycles. */
    public long idleCycles;
    /** The run loop services events (timers, interrupts, exits, budget) when cycles reach this. */
    public long horizon;
    /** Set when an instruction asked the run loop to exit; null otherwise. */
    public ExitKind exitKind;
    /** Exit details: immediate of SVC/HVC/SMC/BRK/HLT, or MMIO read address and size. */
    public long exitArg0, exitArg1;
    /** Whether BRK and HLT exit to the host instead of being taken in the guest. */
    public boolean exitOnBrk, exitOnHlt, exitOnSmc;

    public IrqLine irqLine = IrqLine.NONE;

    // ---- Several CPUs (wiring, not state) ---------------------------------------
    /** This CPU's number on its board (MPIDR's Aff0 on virt). */
    public int index;
    /** Every CPU of the board, this one included, for broadcast maintenance (TLBI ...IS); null with one CPU. */
    public Cpu[] peers;
    /** The global exclusive monitor shared by the board's CPUs; null with one CPU. */
    public GlobalMonitor monitor;

    /** Where events go (exceptions, system register writes, ...); NONE when the run is not traced. */
    public TraceSink trace = TraceSink.NONE;
    /** Register values last reported by the full-level trace (see InstructionTrace). */
    public long[] traceShadow;
    /** icount of the last instruction reported to the trace (see InstructionTrace.before). */
    public long traceLastInsn = -1;

    /** This PE's view of memory: every load, store and fetch is translated here. */
    public final Mmu mmu;
    /** A host debugger's breakpoints and watchpoints (not state: the guest cannot see them). */
    public final HostDebug hostDebug = new HostDebug(this);

    public Cpu(PhysicalBus bus) {
        this.debug = new SelfHostedDebug(this);
        this.mmu = new Mmu(this, bus);
    }

    /**
     * The architectural state of this PE, described once: hashed at
     * checkpoints, saved and restored by snapshots, listed by name for
     * debuggers. Run-loop fields (horizon, pending exit, trace wiring) are not
     * state: snapshots are taken between runs.
     */
    @Override
    public void state(io.deja.core.state.StateVisitor v) {
        v.u64s("x", x);
        sp = v.u64("sp", sp);
        spBanked = v.u64("sp_banked", spBanked);
        pc = v.u64("pc", pc);
        nf = v.bool("n", nf);
        zf = v.bool("z", zf);
        cf = v.bool("c", cf);
        vf = v.bool("v", vf);
        el = v.u32("el", el);
        spx = v.bool("spsel", spx);
        daif = v.u32("daif", daif);
        il = v.bool("il", il);
        ss = v.bool("ss", ss);
        v.u64s("v", this.v);
        fpcr = v.u64("fpcr", fpcr);
        fpsr = v.u64("fpsr", fpsr);
        elrEl1 = v.u64("elr_el1", elrEl1);
        spsrEl1 = v.u64("spsr_el1", spsrEl1);
        esrEl1 = v.u64("esr_el1", esrEl1);
        farEl1 = v.u64("far_el1", farEl1);
        vbarEl1 = v.u64("vbar_el1", vbarEl1);
        sctlrEl1 = v.u64("sctlr_el1", sctlrEl1);
        v.child("sys", sys);
        v.child("timer", timer);
        exclusiveValid = v.bool("exclusive_valid", exclusiveValid);
        exclusiveAddr = v.u64("exclusive_addr", exclusiveAddr);
        exclusiveSize = v.u32("exclusive_size", exclusiveSize);
        cycles = v.u64("cycles", cycles);
        idleCycles = v.u64("idle_cycles", idleCycles);
        exceptionsTaken = v.u64("exceptions_taken", exceptionsTaken);
        v.child("debug", debug);
        v.child("mmu", mmu);
        requestService();
    }

    // ---- Register access -----------------------------------------------------
    public void setX(int r, long v) {
        x[r] = v;
        x[31] = 0;
    }

    /** 32-bit result: written zero-extended. */
    public void setW(int r, long v) {
        x[r] = v & 0xFFFF_FFFFL;
        x[31] = 0;
    }

    public long xOrSp(int r) {
        return r == 31 ? sp : x[r];
    }

    public void setXOrSp(int r, long v) {
        if (r == 31) sp = v; else x[r] = v;
    }

    public long spEl0() {
        return (el == 0 || !spx) ? sp : spBanked;
    }

    public long spEl1() {
        return (el == 1 && spx) ? sp : spBanked;
    }

    public void setSpEl0(long v) {
        if (el == 0 || !spx) sp = v; else spBanked = v;
    }

    public void setSpEl1(long v) {
        if (el == 1 && spx) sp = v; else spBanked = v;
    }

    /** Changes EL and/or PSTATE.SP, swapping the live and banked stack pointers as needed. */
    public void setElAndSp(int newEl, boolean newSpx) {
        boolean wasEl1Sp = el == 1 && spx;
        boolean willBeEl1Sp = newEl == 1 && newSpx;
        if (wasEl1Sp != willBeEl1Sp) {
            long t = sp;
            sp = spBanked;
            spBanked = t;
        }
        el = newEl;
        spx = newSpx;
    }

    // ---- PSTATE ----------------------------------------------------------------
    public int nzcv() {
        return (nf ? 1 << 31 : 0) | (zf ? 1 << 30 : 0) | (cf ? 1 << 29 : 0) | (vf ? 1 << 28 : 0);
    }

    public void setNzcv(long bits) {
        nf = (bits & (1L << 31)) != 0;
        zf = (bits & (1L << 30)) != 0;
        cf = (bits & (1L << 29)) != 0;
        vf = (bits & (1L << 28)) != 0;
    }

    /** PSTATE as saved in SPSR_EL1 (AArch64 format). */
    public long pstate() {
        return (nzcv() & 0xFFFF_FFFFL) | (ss ? 1L << 21 : 0) | (il ? 1L << 20 : 0) | daif
                | ((long) el << 2) | (spx ? 1 : 0);
    }

    /** Arm ARM ConditionHolds(). */
    public boolean conditionHolds(int cond) {
        boolean r = switch (cond >>> 1) {
            case 0 -> zf;
            case 1 -> cf;
            case 2 -> nf;
            case 3 -> vf;
            case 4 -> cf && !zf;
            case 5 -> nf == vf;
            case 6 -> nf == vf && !zf;
            default -> true;
        };
        return ((cond & 1) != 0 && cond != 15) != r;
    }

    /** Forces the run loop to service events before the next instruction. */
    public void requestService() {
        horizon = cycles;
    }

    /** Asks the run loop to return to the host with the given exit once this instruction ends. */
    public void requestExit(ExitKind kind, long arg0) {
        exitKind = kind;
        exitArg0 = arg0;
        horizon = cycles;
    }

    // ---- Exceptions ---------------------------------------------------------------
    /** Vector offsets from VBAR_EL1 (Arm ARM D1.10.2). */
    public static final int VEC_SYNC = 0, VEC_IRQ = 0x80, VEC_FIQ = 0x100, VEC_SERROR = 0x180;

    /**
     * Takes an exception to EL1 (Arm ARM AArch64.TakeException): saves PSTATE to
     * SPSR_EL1 and the preferred return address to ELR_EL1, writes ESR_EL1 (and
     * FAR_EL1 when farValid), masks D, A, I and F, selects SP_EL1 and branches to
     * the vector.
     */
    public void takeException(int vectorKind, int ec, int iss, boolean farValid, long far, long preferredReturn) {
        int fromEl = el;
        boolean fromSpx = spx;
        exceptionsTaken++;
        // SVC, HVC and SMC complete the step of the instruction that made them:
        // SPSR.SS = 0, so the Software Step exception comes right after the return.
        if (ec == ExceptionClass.SVC64 || ec == ExceptionClass.HVC64 || ec == ExceptionClass.SMC64) ss = false;
        if (vectorKind == VEC_SYNC || vectorKind == VEC_SERROR) {
            trace.exception(executingInstruction(), preferredReturn, ec,
                    ((long) ec << 26) | (1L << 25) | (iss & 0x1FFFFFFL), farValid ? far : 0, fromEl, 1);
            if (ec == ExceptionClass.SVC64) {
                long[] r = x;
                trace.svc(executingInstruction(), preferredReturn - 4, fromEl, r[8], r[0], r[1], r[2], r[3], r[4], r[5]);
            }
        }
        spsrEl1 = pstate();
        elrEl1 = preferredReturn;
        if (vectorKind == VEC_SYNC || vectorKind == VEC_SERROR) {
            esrEl1 = ((long) ec << 26) | (1L << 25) | (iss & 0x1FFFFFFL);
        }
        if (farValid) farEl1 = far;
        setElAndSp(1, true);
        daif = 0x3C0;
        il = false;
        ss = false;
        long offset = fromEl == 0 ? 0x400 : (fromSpx ? 0x200 : 0);
        pc = vbarEl1 + offset + vectorKind;
        // A translated block must stop after the instruction that took the exception.
        requestService();
    }

    /** Synchronous exception whose preferred return is the current instruction. */
    public void takeSync(int ec, int iss) {
        takeException(VEC_SYNC, ec, iss, false, 0, pc);
    }

    /** The current instruction is UNDEFINED (unallocated, reserved, or not permitted here). */
    public void undefined() {
        takeSync(ExceptionClass.UNKNOWN, 0);
    }

    /** SP alignment fault (EC 0x26) for an access through a misaligned SP. */
    public RuntimeException spAlignmentFault() {
        takeSync(ExceptionClass.SP_ALIGNMENT, 0);
        return ExceptionTaken.INSTANCE;
    }

    /**
     * ERET (Arm ARM AArch64.ExceptionReturn): restores PSTATE from SPSR_EL1 and
     * branches to ELR_EL1. A return to an EL or state this PE lacks is an
     * illegal return: PSTATE.IL is set and the next instruction takes the
     * illegal execution state exception.
     */
    public void exceptionReturn() {
        long spsr = spsrEl1;
        long target = elrEl1;
        int fromEl = el;
        int m = (int) (spsr & 0x1F);
        boolean legal = m == 0b00000 || m == 0b00100 || m == 0b00101;
        setNzcv(spsr);
        daif = (int) (spsr & 0x3C0);
        if (legal) {
            setElAndSp(m >>> 2, (m & 1) != 0);
            il = (spsr & (1L << 20)) != 0;
        } else {
            il = true;
        }
        // DebugExceptionReturnSS: SPSR.SS survives only if software step is active where we land.
        ss = (spsr & (1L << 21)) != 0 && debug.stepActive(el, (daif & 0x200) != 0);
        exclusiveValid = false;
        long eretPc = pc;
        pc = branchAddress(target);
        trace.exceptionReturn(executingInstruction(), eretPc, pc, fromEl, el);
        requestService();
    }

    /**
     * Arm ARM AArch64.BranchAddr: when TCR_EL1.TBI0/TBI1 makes the top byte of
     * the target a tag, the tag is replaced by the sign extension of bit 55
     * (EL0 and EL1 share TCR_EL1's controls). Used by BR/BLR/RET and ERET.
     */
    public long branchAddress(long target) {
        int tbi = (target & (1L << 55)) == 0 ? 37 : 38;
        if ((sys.tcrEl1 & (1L << tbi)) == 0) return target;
        return target << 8 >> 8;
    }

    /**
     * The icount of the instruction now executing, which every event it
     * causes carries (exceptions, system register writes, stores, MMIO and
     * console bytes): its cycle is counted before it runs. At an instruction
     * boundary, events belong to the next instruction: {@link #instructions()}.
     */
    public long executingInstruction() {
        return cycles - idleCycles - 1;
    }

    /** Instructions retired so far (virtual time minus WFI sleep). */
    public long instructions() {
        return cycles - idleCycles;
    }
}
