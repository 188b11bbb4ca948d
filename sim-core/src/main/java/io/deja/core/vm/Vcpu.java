package io.deja.core.vm;

import io.deja.core.cpu.Cpu;
import io.deja.core.cpu.ExceptionClass;
import io.deja.core.cpu.ExceptionTaken;
import io.deja.core.decode.A64Decoder;
import io.deja.core.decode.A64Dispatch;
import io.deja.core.isa.SysRegs;
import io.deja.core.jit.Block;
import io.deja.core.jit.BlockTranslator;
import io.deja.core.jit.SharedBlocks;
import io.deja.core.mem.CodeCache;
import io.deja.core.mem.MmioDevice;
import io.deja.core.mem.MmioExits;
import io.deja.core.mem.PhysicalBus;
import io.deja.core.mem.Ram;
import io.deja.core.mem.Region;
import io.deja.core.mmu.Mmu;
import io.deja.core.trace.InstructionTrace;
import io.deja.core.trace.TraceLevel;
import io.deja.core.trace.TraceSink;


/**
 * The vCPU and its run loop.
 *
 * Instructions are fetched through the vCPU's {@link Mmu}, decoded once per
 * physical RAM word and kept in per-page arrays ({@link CodeCache}). Stores
 * into RAM (through any alias) and IC IVAU/IALLU clear entries, so
 * self-modifying and JIT-generated guest code re-decodes. The loop caches the
 * translation of the page it is executing until the next service point, and
 * everything that changes translation (exceptions, ERET, TLBI, writes to the
 * MMU's registers) forces one, so the cache never outlives a change. The loop only
 * leaves the fast path when virtual time reaches {@code cpu.horizon}: timer
 * deadlines, interrupt checks, exits, budget and kill polling all live there.
 *
 * Second tier: a word that starts {@link #TRANSLATE_THRESHOLD} interpreted
 * executions becomes the head of a translated {@link Block}; blocks have the
 * interpreter's exact semantics, cycle for cycle, and are dropped when their
 * page's code is written. A block costs about a millisecond of host CPU
 * before it runs fast (bytecode generation, class definition, then HotSpot's
 * interpreter and compilers), which only code run tens of thousands of times
 * pays back: a Linux boot executes most of its code far fewer times than
 * that, and interprets it faster than it could translate it.
 */
public final class Vcpu implements VirtualMachine, io.deja.core.state.Stateful {
    /** How often (in cycles) a running vCPU looks for a kill request. */
    public static final long KILL_POLL_CYCLES = 1 << 16;
    /**
     * Interpreted executions of a word before a block starting there is
     * translated (at most {@link #MAX_TRANSLATE_THRESHOLD}: the heat count has
     * 16 bits). Measured on the Linux boot's first 1.2 G instructions (host
     * CPU seconds): 32: about 3x slower than no translation at all; 10,000:
     * 0.8x; 50,000: 0.65x.
     */
    public static final int TRANSLATE_THRESHOLD = 50_000;
    public static final int MAX_TRANSLATE_THRESHOLD = 0xFFFF;

    /*
     * A decoded entry (CodeCache) is heat << 44 | opcode << 32 | word. The heat
     * starts at 2^19 - threshold, so the entry turns negative on the
     * threshold-th execution: one sign test per instruction then covers both
     * "translate now" and "a block starts here" (a block's head keeps the
     * entry it had just before it went negative, so it always comes back to
     * the slow path), and the loop reads the block array only there.
     */
    private static final int HEAT_SHIFT = 44;
    private static final long HEAT_ONE = 1L << HEAT_SHIFT;
    private static final long HEAT_SIGN = 1L << 19;
    private static final long OP_MASK = 0xFFF;
    private static final long DECODED_MASK = HEAT_ONE - 1;
    static {
        if (A64Decoder.count() > OP_MASK + 1) throw new ExceptionInInitializerError("opcodes do not fit the decoded entry");
    }

    private final PhysicalBus bus;
    private final CodeCache code;
    private final Ram ram;
    private final Cpu cpu;
    private final Mmu mmu;
    private final MmioExits exits;
    private final InterruptHandle interruptHandle = new InterruptHandle();
    private long limit;
    /** Interpreted executions before translation; 0: never translate. */
    private int translateThreshold = TRANSLATE_THRESHOLD;
    /** BlockTranslator.TRACE_*: what the run reports per instruction. */
    private int traceMode = BlockTranslator.TRACE_NONE;
    /** Seeded interrupt-delivery jitter (null: interrupts are taken as soon as they can be). */
    private ChaosGenerator chaos;
    /** With chaos: the cycle from which the pending interrupt may be taken, or -1 if none is being delayed. */
    private long chaosReadyAt = -1;
    /** Largest chaos delay, in cycles (instructions while the CPU is not asleep). */
    public static final int CHAOS_MAX_DELAY = 1023; // ChaosGenerator draws below 1024
    /** WFI sleeps at most until this cycle (a scheduler of several CPUs sets it to the end of the slice). */
    private long sleepLimit = Long.MAX_VALUE;
    /** An MMIO write being reported: address, size, value. */
    private final long[] pendingWrite = new long[3];

    Vcpu(long ramBase, long ramSize) {
        this(new PhysicalBus(ramBase, ramSize));
    }

    private Vcpu(PhysicalBus bus) {
        this.bus = bus;
        this.code = bus.code;
        this.ram = bus.ram;
        this.cpu = new Cpu(bus);
        this.mmu = cpu.mmu;
        this.exits = mmu.exits;
    }

    /** Another CPU of a board: it shares bus's RAM, devices and decoded code (see {@link CodeCache}). */
    public static Vcpu sharing(PhysicalBus bus) {
        return new Vcpu(bus);
    }

    /** The architectural state, for the board's devices and for tests. */
    public Cpu cpu() {
        return cpu;
    }

    /** The physical address space (RAM, devices, decoded code). */
    public PhysicalBus bus() {
        return bus;
    }

    // ---- Address space ---------------------------------------------------------
    @Override public long ramBase() { return ram.base; }
    @Override public long ramSize() { return ram.size; }

    @Override
    public void mapDevice(long base, long size, MmioDevice device) {
        bus.map(new Region(base, size, device.name(), device));
    }

    @Override
    public void mapMmioExit(long base, long size, String name) {
        bus.map(new Region(base, size, name, null));
    }

    @Override
    public void writeMemory(long pa, byte[] data) {
        bus.load(pa, data);
        cpu.requestService();
    }

    @Override public byte[] readMemory(long pa, int length) { return ram.read(pa, length); }

    // ---- Execution ----------------------------------------------------------------
    @Override
    public VmExit run(long maxInstructions) {
        if (maxInstructions <= 0) return new VmExit.BudgetExhausted(cpu.pc);
        cpu.exitKind = null;
        if (exits.hasPendingWrite()) return exit(ExitKind.MMIO_WRITE);
        limit = maxInstructions > Long.MAX_VALUE - cpu.cycles ? Long.MAX_VALUE : cpu.cycles + maxInstructions;
        if (exits.rewindSuppliedReads()) {
            // Re-execute the instruction that exited for an MMIO read, alone.
            long saved = limit;
            limit = cpu.cycles + 1;
            cpu.horizon = cpu.cycles;
            execute();
            if (cpu.exitKind == ExitKind.MMIO_READ) return exit(ExitKind.MMIO_READ);
            exits.clearSuppliedReads();
            limit = saved;
            if (cpu.exitKind != null && cpu.exitKind != ExitKind.BUDGET) return exit(cpu.exitKind);
            cpu.exitKind = null;
        }
        cpu.horizon = cpu.cycles;
        execute();
        return exit(cpu.exitKind);
    }

    /** Turns the translated-block tier on (at {@link #TRANSLATE_THRESHOLD}) or off (results are identical either way). */
    public void setBlockTranslation(boolean enabled) {
        setTranslateThreshold(enabled ? TRANSLATE_THRESHOLD : 0);
    }

    /**
     * Translates a block once its first word has been interpreted {@code
     * executions} times (1 to {@link #MAX_TRANSLATE_THRESHOLD}), or never (0). Results are
     * identical whatever the threshold; tests use a low one to run their short
     * loops as translated blocks.
     */
    public void setTranslateThreshold(int executions) {
        if (executions < 0 || executions > MAX_TRANSLATE_THRESHOLD) {
            throw new IllegalArgumentException("translate threshold " + executions + " is not within 0.." + MAX_TRANSLATE_THRESHOLD);
        }
        if (executions != translateThreshold) {
            translateThreshold = executions;
            code.invalidateAll(); // decoded entries count their heat towards the old threshold
        }
    }

    /**
     * Sends events to sink: at EVENTS level only what the CPU reports itself
     * (exceptions, interrupts, system register writes; the board adds the rest),
     * at INSNS also every instruction, at FULL also every register change and
     * memory write. May be changed between runs.
     */
    public void setTrace(TraceSink sink, TraceLevel level) {
        cpu.trace = sink;
        int mode = level == TraceLevel.FULL ? BlockTranslator.TRACE_FULL
                : level == TraceLevel.INSNS ? BlockTranslator.TRACE_INSNS : BlockTranslator.TRACE_NONE;
        if (sink == TraceSink.NONE) mode = BlockTranslator.TRACE_NONE;
        if (mode == BlockTranslator.TRACE_FULL) InstructionTrace.resetShadow(cpu);
        mmu.setWriteTrace(mode == BlockTranslator.TRACE_FULL ? sink : null);
        if (mode != traceMode) {
            traceMode = mode;
            mmu.invalidateAllCode(); // blocks are translated for one trace mode
        }
    }

    /**
     * Delays every interrupt delivery by a pseudo-random 0..{@link #CHAOS_MAX_DELAY}
     * cycles drawn from seed, to shake out races deterministically: the same seed
     * gives the same delays. Call before the first run.
     */
    public void setChaos(long seed) {
        chaos = new ChaosGenerator(seed);
        chaosReadyAt = -1;
    }

    /**
     * The run loop. traceMode is loop-invariant, so HotSpot unswitches the loop
     * and the untraced version carries no tracing test per instruction.
     */
    private void execute() {
        final Cpu c = cpu;
        final Ram r = ram;
        final boolean traced = traceMode != BlockTranslator.TRACE_NONE;
        final boolean full = traceMode == BlockTranslator.TRACE_FULL;
        final long threshold = translateThreshold;
        final long coldHeat = coldHeat(translateThreshold);
        long[] page = null;
        Block[] blocks = null;
        long pageTag = -1;
        long pageOffset = 0;
        for (;;) {
            if (c.cycles >= c.horizon) {
                if (service()) return;
                // Translation may have changed (see the class comment): look the page up again.
                pageTag = -1;
            }
            long pc = c.pc;
            // ~0xFFC keeps PC bits 1:0, so a misaligned PC never matches and takes the slow path.
            if ((pc & ~0xFFCL) != pageTag) {
                int ramPage = enterPage(pc);
                if (ramPage < 0) {
                    if (full) InstructionTrace.after(c);
                    continue;
                }
                page = code.codePage(ramPage);
                blocks = code.blockPage(ramPage);
                pageTag = pc & ~0xFFFL;
                pageOffset = (long) ramPage << Ram.PAGE_SHIFT;
            }
            int index = (int) (pc >>> 2) & (CodeCache.WORDS_PER_PAGE - 1);
            try {
                long entry = page[index];
                if (entry == 0) entry = decode(r.word(pageOffset + ((long) index << 2)), coldHeat);
                entry += HEAT_ONE;
                if (entry < 0) {
                    Block block = blocks[index];
                    if (block != null) {
                        if (c.horizon - c.cycles >= block.length) {
                            block.run(c);
                            continue;
                        }
                        // The block would run into the horizon: interpret up to it, the head keeping its entry.
                        entry -= HEAT_ONE;
                    } else if (threshold != 0 && translate(page, blocks, index, (int) (pageOffset >>> Ram.PAGE_SHIFT), coldHeat)) {
                        continue;
                    } else {
                        // Not translatable here (or translation is off): count again from cold.
                        entry = (entry & DECODED_MASK) | coldHeat;
                    }
                }
                page[index] = entry;
                if (traced) InstructionTrace.before(c, (int) entry);
                c.cycles++;
                A64Dispatch.execute(c, (int) ((entry >>> 32) & OP_MASK), (int) entry);
                if (full) InstructionTrace.after(c);
            } catch (ExceptionTaken taken) {
                // The exception has been entered; carry on at the vector.
                if (full) InstructionTrace.after(c);
            }
        }
    }

    /** The heat field of a freshly decoded entry: it turns negative after threshold increments (never, in practice, for 0). */
    private static long coldHeat(int threshold) {
        return (threshold == 0 ? 1 : HEAT_SIGN - threshold) << HEAT_SHIFT;
    }

    private static long decode(int insn, long coldHeat) {
        return coldHeat | ((long) A64Decoder.decode(insn) << 32) | (insn & 0xFFFF_FFFFL);
    }

    /** Translates the block starting at word index; its words get decoded entries so that stores invalidate it. */
    private boolean translate(long[] page, Block[] blocks, int index, int ramPage, long coldHeat) {
        int[] words = code.words(ramPage, index, BlockTranslator.MAX_INSTRUCTIONS);
        int count = BlockTranslator.length(words, 0);
        if (count == 0) return false;
        for (int i = 0; i < count; i++) {
            if (page[index + i] == 0) page[index + i] = decode(words[i], coldHeat);
        }
        blocks[index] = SharedBlocks.translate(words, count, traceMode);
        return true;
    }

    /** The RAM page holding pc, or -1 after taking a PC alignment fault or an instruction abort. */
    private int enterPage(long pc) {
        if ((pc & 3) != 0) {
            cpu.cycles++;
            cpu.takeException(Cpu.VEC_SYNC, ExceptionClass.PC_ALIGNMENT, 0, true, pc, pc);
            return -1;
        }
        return mmu.fetchPage(pc);
    }

    /**
     * Runs at instruction boundaries when virtual time reaches the horizon.
     * Returns true when the loop must return to the host.
     */
    private boolean service() {
        Cpu c = cpu;
        if (c.exitKind != null) return true;
        if (exits.hasPendingWrite()) {
            c.exitKind = ExitKind.MMIO_WRITE;
            return true;
        }
        // A load that exited for an MMIO read retires before a kill is taken: its exit is already
        // reported (and recorded), so stopping between the exit and the load would end a
        // recording on an instruction that never retired, which its replay cannot reproduce.
        if (!exits.readInFlight() && interruptHandle.takeKill()) {
            c.exitKind = ExitKind.CANCELLED;
            return true;
        }
        if (c.cycles >= limit) {
            c.exitKind = ExitKind.BUDGET;
            return true;
        }
        // Before anything happens at this boundary, so that running on from the stop is a plain resume.
        if (c.hostDebug.breakpointsArmed && c.hostDebug.breakpointHit(c.pc, c.instructions())) {
            c.exitKind = ExitKind.CANCELLED;
            return true;
        }
        c.timer.update();
        // A completed software step is taken before any interrupt.
        boolean stepped = c.debug.armed && c.debug.completeStep();
        boolean fiq = !stepped && (c.daif & 0x40) == 0 && c.irqLine.fiq();
        boolean irq = !stepped && !fiq && (c.daif & 0x80) == 0 && c.irqLine.irq();
        if (!fiq && !irq) chaosReadyAt = -1;
        if (stepped) {
            // taken above
        } else if ((fiq || irq) && chaosAllows()) {
            c.trace.interrupt(c.instructions(), c.pc, c.irqLine.pendingIntid(), fiq, c.el);
            c.takeException(fiq ? Cpu.VEC_FIQ : Cpu.VEC_IRQ, 0, 0, false, 0, c.pc);
        } else if (c.debug.armed && (c.pc & 3) == 0 && mmu.fetchable(c.pc) && c.debug.beforeInstruction(mmu.peekInstruction(c.pc))) {
            // A breakpoint or an active-pending step (breakpoints outrank the illegal state exception).
            if (c.cycles >= limit) {
                c.exitKind = ExitKind.BUDGET;
                return true;
            }
        } else if (c.il && (c.pc & 3) == 0 && mmu.fetchable(c.pc)) {
            // PSTATE.IL: the instruction about to execute takes the Illegal Execution
            // state exception instead, and that is its step (like an UNDEFINED one).
            // A PC alignment fault or instruction abort outranks it (Arm ARM, synchronous
            // exception prioritization): those are left to the fetch in execute().
            c.cycles++;
            c.takeSync(ExceptionClass.ILLEGAL_STATE, 0);
            if (c.cycles >= limit) {
                c.exitKind = ExitKind.BUDGET;
                return true;
            }
        }
        long next = Math.min(Math.min(limit, c.timer.nextDeadline()), c.cycles + KILL_POLL_CYCLES);
        // Debug events are decided at every instruction boundary while armed.
        if (c.debug.armed || c.hostDebug.breakpointsArmed) next = Math.min(next, c.cycles + 1);
        if (chaosReadyAt > c.cycles) next = Math.min(next, chaosReadyAt);
        c.horizon = next;
        return false;
    }

    /** With chaos on, an interrupt that became deliverable waits a seeded number of cycles first. */
    private boolean chaosAllows() {
        if (chaos == null) return true;
        if (chaosReadyAt < 0) chaosReadyAt = cpu.cycles + chaos.nextDelay();
        if (cpu.cycles < chaosReadyAt) return false;
        chaosReadyAt = -1;
        return true;
    }

    private VmExit exit(ExitKind kind) {
        Cpu c = cpu;
        c.exitKind = null;
        if (kind == null) throw new IllegalStateException("run loop stopped without an exit");
        return switch (kind) {
            case WFI -> {
                sleepUntilWakeup();
                yield new VmExit.Wfi(c.pc);
            }
            case WFE -> new VmExit.Wfe(c.pc);
            case MMIO_READ -> new VmExit.MmioRead(c.pc, c.exitArg0, (int) c.exitArg1);
            case MMIO_WRITE -> {
                exits.popWrite(pendingWrite);
                yield new VmExit.MmioWrite(c.pc, pendingWrite[0], (int) pendingWrite[1], pendingWrite[2]);
            }
            case HVC -> new VmExit.Hvc(c.pc, (int) c.exitArg0);
            case SMC -> new VmExit.Smc(c.pc, (int) c.exitArg0);
            case BRK -> new VmExit.Brk(c.pc, (int) c.exitArg0);
            case HLT -> new VmExit.Hlt(c.pc, (int) c.exitArg0);
            case CANCELLED -> new VmExit.Cancelled(c.pc);
            case BUDGET -> new VmExit.BudgetExhausted(c.pc);
            case SHUTDOWN, RESET, CPU_OFF, PANIC -> throw new IllegalStateException(kind + " is a board's stop, not a vCPU exit");
        };
    }

    /**
     * WFI (and PSCI CPU_SUSPEND): with no interrupt signalled, virtual time jumps
     * to the next timer deadline, if any.
     */
    public void sleepUntilWakeup() {
        Cpu c = cpu;
        if (c.irqLine.irq() || c.irqLine.fiq()) return;
        long deadline = Math.min(c.timer.nextDeadline(), sleepLimit);
        if (deadline != Long.MAX_VALUE && deadline > c.cycles) {
            c.idleCycles += deadline - c.cycles;
            c.cycles = deadline;
            c.timer.update();
        }
    }

    /** WFI and PSCI CPU_SUSPEND sleep at most until this cycle (Long.MAX_VALUE: until the next timer deadline). */
    public void setSleepLimit(long cycle) {
        sleepLimit = cycle;
    }

    // ---- State and snapshots -----------------------------------------------------------------
    /** The CPU, the chaos generator, and every in-process device that describes its state. */
    @Override
    public void state(io.deja.core.state.StateVisitor v) {
        processorState(v);
        for (Region r : bus.regions()) {
            if (r.device() instanceof io.deja.core.state.Stateful s) v.child(r.name(), s);
        }
    }

    /** The CPU and the chaos generator: what a board's CPU hash covers (its devices it describes itself). */
    public void processorState(io.deja.core.state.StateVisitor v) {
        v.child("cpu", cpu);
        if (v.bool("chaos", chaos != null)) {
            if (chaos == null) chaos = new ChaosGenerator(0);
            v.child("chaos", chaos);
        } else {
            chaos = null;
        }
        chaosReadyAt = v.u64("chaos_ready_at", chaosReadyAt);
    }

    @Override
    public Snapshot snapshot() {
        return snapshot(this);
    }

    /** A snapshot whose state is whole's description, which includes this vCPU (a board's: its devices and itself). */
    public Snapshot snapshot(io.deja.core.state.Stateful whole) {
        return snapshot(whole, cpu.instructions());
    }

    /** As {@link #snapshot(io.deja.core.state.Stateful)}, at a board's instruction count (several CPUs: their sum). */
    public Snapshot snapshot(io.deja.core.state.Stateful whole, long instructions) {
        return new Snapshot(io.deja.core.state.StateWriter.save(whole), ram.snapshot(), instructions, cpu.traceLastInsn);
    }

    @Override
    public void restore(Snapshot snapshot) {
        restore(snapshot, this);
    }

    /** Restores a snapshot taken with {@link #snapshot(io.deja.core.state.Stateful)} of the same whole. */
    public void restore(Snapshot snapshot, io.deja.core.state.Stateful whole) {
        io.deja.core.state.StateReader.restore(whole, snapshot.state);
        ram.restore(snapshot.ram);
        code.invalidateAll();
        cpu.traceLastInsn = snapshot.traceLastInsn;
        if (cpu.traceShadow != null) InstructionTrace.resetShadow(cpu);
        cpu.requestService();
    }

    @Override
    public void completeMmioRead(long value) {
        exits.supplyRead(value);
    }

    @Override
    public void injectUndefined(long pc) {
        cpu.pc = pc;
        cpu.undefined();
    }

    @Override public InterruptHandle interruptHandle() { return interruptHandle; }
    @Override public long instructions() { return cpu.instructions(); }
    @Override public long cycles() { return cpu.cycles; }

    // ---- Registers --------------------------------------------------------------------
    @Override
    public long getX(int n) {
        checkX(n);
        return cpu.x[n];
    }

    @Override
    public void setX(int n, long value) {
        checkX(n);
        cpu.x[n] = value;
    }

    private static void checkX(int n) {
        if (n < 0 || n > 30) throw new IllegalArgumentException("X" + n + " does not exist (X0-X30)");
    }

    @Override public long getSp() { return cpu.sp; }
    @Override public void setSp(long value) { cpu.sp = value; }
    @Override public long getPc() { return cpu.pc; }
    @Override public void setPc(long value) { cpu.pc = value; }
    @Override public long getPstate() { return cpu.pstate(); }

    @Override
    public void setPstate(long value) {
        int m = (int) (value & 0x1F);
        if (m != 0b00000 && m != 0b00100 && m != 0b00101) {
            throw new IllegalArgumentException(String.format("PSTATE mode 0x%x is not EL0t, EL1t or EL1h", m));
        }
        cpu.setNzcv(value);
        cpu.daif = (int) (value & 0x3C0);
        cpu.il = (value & (1L << 20)) != 0;
        cpu.ss = (value & (1L << 21)) != 0;
        cpu.setElAndSp(m >>> 2, (m & 1) != 0);
    }

    @Override
    public long getSysReg(String name) {
        return SysRegs.read(cpu, encoding(name));
    }

    @Override
    public void setSysReg(String name, long value) {
        SysRegs.write(cpu, encoding(name), value);
        cpu.requestService();
    }

    private static int encoding(String name) {
        int enc = SysRegs.byName(name);
        if (enc < 0) throw new IllegalArgumentException("unknown system register " + name);
        return enc;
    }

    @Override
    public long getV(int n, int half) {
        return cpu.v[vIndex(n, half)];
    }

    @Override
    public void setV(int n, int half, long value) {
        cpu.v[vIndex(n, half)] = value;
    }

    private static int vIndex(int n, int half) {
        if (n < 0 || n > 31 || half < 0 || half > 1) throw new IllegalArgumentException("V" + n + " half " + half + " does not exist");
        return n * 2 + half;
    }

    @Override public long getFpcr() { return cpu.fpcr; }
    @Override public void setFpcr(long value) { cpu.fpcr = value; }
    @Override public long getFpsr() { return cpu.fpsr; }
    @Override public void setFpsr(long value) { cpu.fpsr = value; }
}
