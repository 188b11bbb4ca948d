package io.deja.gdb;

import io.deja.core.board.Machine;
import io.deja.core.board.RunResult;
import io.deja.core.cpu.HostDebug;
import io.deja.core.trace.TraceSink;
import io.deja.core.vm.Vcpu;
import io.deja.recorder.Plural;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A live {@link Machine} as a gdb target, forward only. Breakpoints and
 * watchpoints are the vCPUs' {@link HostDebug} ones (every CPU gets every
 * one), so the guest runs exactly as it would without gdb: every stop is at
 * an instruction boundary and running on from it is an ordinary resume.
 *
 * Several CPUs are gdb threads 1..N (CPU n is thread n + 1). They run on the
 * machine's schedule, whatever gdb asks: stepping CPU n runs the schedule
 * until CPU n has retired one instruction (the others may retire some on
 * the way, as gdb's scheduler-locking off), and a stop is reported for the
 * CPU that caused it.
 */
public final class MachineTarget implements GdbTarget {
    private final Machine machine;
    /** CPU 0. */
    private final Vcpu vcpu;
    /** The instruction count at which the run's budget (--max-insns) is used up. */
    private final long end;
    /** Breakpoint addresses and which kinds are set there (bit 0 software, bit 1 hardware). */
    private final Map<Long, Integer> breakpoints = new HashMap<>();
    private volatile boolean interruptRequested;
    /** Whether a Ctrl-C arrived during the last machine run (range stepping stops for it between steps). */
    private boolean lastInterrupted;
    private RunResult lastResult;
    /** The last stop was a watchpoint's: the next resume executes that access (gdb steps over it). */
    private boolean lastStopWasWatch;
    /** The CPU the last stop was shown for: it steps over that stop when resumed. */
    private int lastStopCpu;

    /**
     * A live run (recordings are served by {@link TimelineTarget}).
     * @param budget instructions the machine may still run (Long.MAX_VALUE: no limit)
     */
    public MachineTarget(Machine machine, long budget) {
        this.machine = machine;
        this.vcpu = machine.vcpu();
        long now = machine.instructions();
        this.end = budget > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + budget;
    }

    /**
     * Runs on to the end of the budget without a debugger: what happens after a detach.
     */
    public RunResult runToEnd() {
        clearPoints();
        RunResult r = lastResult;
        while (!machine.isStopped() && machine.instructions() < end) {
            r = machine.run(end - machine.instructions());
            if (r.reason() != io.deja.core.vm.ExitKind.BUDGET || machine.instructions() >= end) break;
        }
        return r;
    }


    /** The result of the last run that ended the machine's life or its budget, or of the last run at all; null before any. */
    public RunResult lastResult() {
        return lastResult;
    }

    /** Instructions the budget still allows. */
    public long budgetLeft() {
        return Math.max(0, end - machine.instructions());
    }

    @Override
    public int cpus() {
        return machine.cpuCount();
    }

    /** CPU n's host debug state. */
    HostDebug debug(int cpu) {
        return machine.vcpu(cpu).cpu().hostDebug;
    }

    private void clearPoints() {
        for (int i = 0; i < machine.cpuCount(); i++) debug(i).clear();
    }

    @Override
    public String threadInfo(int cpu) {
        return describe(machine, cpu);
    }

    /** What gdb's "info threads" shows for CPU n: "CPU 2, EL1", "CPU 2, EL0, WFI", "CPU 2, powered off". */
    static String describe(Machine machine, int cpu) {
        if (!machine.isOn(cpu)) return "CPU " + cpu + ", powered off";
        return "CPU " + cpu + ", EL" + machine.vcpu(cpu).cpu().el + (machine.isAsleep(cpu) ? ", WFI" : "");
    }

    // ---- Registers ------------------------------------------------------------------------------
    @Override
    public byte[] readRegister(int cpu, int regnum) {
        Vcpu vcpu = machine.vcpu(cpu);
        int size = Aarch64Registers.size(regnum);
        if (size == 0) return null;
        String system = Aarch64Registers.systemRegister(regnum);
        if (system != null) return Rsp.le(vcpu.getSysReg(system), 8);
        if (regnum <= 30) return Rsp.le(vcpu.getX(regnum), 8);
        if (regnum == Aarch64Registers.SP) return Rsp.le(vcpu.getSp(), 8);
        if (regnum == Aarch64Registers.PC) return Rsp.le(vcpu.getPc(), 8);
        if (regnum == Aarch64Registers.CPSR) return Rsp.le(vcpu.getPstate(), 4);
        if (regnum == Aarch64Registers.FPSR) return Rsp.le(vcpu.getFpsr(), 4);
        if (regnum == Aarch64Registers.FPCR) return Rsp.le(vcpu.getFpcr(), 4);
        int v = regnum - Aarch64Registers.V0;
        byte[] b = new byte[16];
        System.arraycopy(Rsp.le(vcpu.getV(v, 0), 8), 0, b, 0, 8);
        System.arraycopy(Rsp.le(vcpu.getV(v, 1), 8), 0, b, 8, 8);
        return b;
    }

    @Override
    public boolean writeRegister(int cpu, int regnum, byte[] value) {
        int size = Aarch64Registers.size(regnum);
        if (size == 0 || value.length != size) return false;
        String system = Aarch64Registers.systemRegister(regnum);
        int kind;
        long target = 0;
        if (system != null) {
            String readOnly = Aarch64Registers.readOnlyReason(regnum);
            if (readOnly != null) throw new UnsupportedOperationException(readOnly);
            kind = TraceSink.DEBUG_SYSREG;
            target = io.deja.core.isa.SysRegs.byName(system);
        } else if (regnum <= 30) {
            kind = TraceSink.DEBUG_X;
            target = regnum;
        } else if (regnum == Aarch64Registers.SP) kind = TraceSink.DEBUG_SP;
        else if (regnum == Aarch64Registers.PC) kind = TraceSink.DEBUG_PC;
        else if (regnum == Aarch64Registers.CPSR) kind = TraceSink.DEBUG_PSTATE; // a mode this CPU lacks is refused
        else if (regnum == Aarch64Registers.FPSR) kind = TraceSink.DEBUG_FPSR;
        else if (regnum == Aarch64Registers.FPCR) kind = TraceSink.DEBUG_FPCR;
        else {
            kind = TraceSink.DEBUG_V;
            target = regnum - Aarch64Registers.V0;
        }
        return write(new DebugWrite(machine.instructions(), cpu, kind, target, value));
    }

    /** Who hears each write gdb made (null: nobody): a timeline logs them, a recorder records them. */
    private java.util.function.Consumer<DebugWrite> writes;

    void onWrite(java.util.function.Consumer<DebugWrite> listener) {
        this.writes = listener;
    }

    /** Every write goes through the machine's debugWrite, which reports it as the input a recording holds. */
    private boolean write(DebugWrite w) {
        if (!w.applyTo(machine)) return false;
        if (writes != null) writes.accept(w);
        return true;
    }

    // ---- Memory ---------------------------------------------------------------------------------
    /** The RAM physical address of va as CPU cpu translates it now (EL1's view, no fault taken, nothing cached), or -1. */
    long ramAddress(int cpu, long va) {
        Vcpu vcpu = machine.vcpu(cpu);
        long par = vcpu.cpu().mmu.addressTranslate(va, false, 1);
        if ((par & 1) != 0) return -1;
        long pa = (par & 0x0000_FFFF_FFFF_F000L) | (va & 0xFFF);
        return Long.compareUnsigned(pa - vcpu.ramBase(), vcpu.ramSize()) < 0 ? pa : -1;
    }

    @Override
    public int readMemory(int cpu, long address, byte[] into) {
        int done = 0;
        while (done < into.length) {
            long va = address + done;
            long pa = ramAddress(cpu, va);
            if (pa == -1) break;
            int chunk = (int) Math.min(into.length - done, 0x1000 - (va & 0xFFF));
            chunk = (int) Math.min(chunk, vcpu.ramBase() + vcpu.ramSize() - pa);
            System.arraycopy(vcpu.readMemory(pa, chunk), 0, into, done, chunk);
            done += chunk;
        }
        return done;
    }

    @Override
    public boolean writeMemory(int cpu, long address, byte[] data) {
        for (int done = 0; done < data.length; ) {
            long va = address + done;
            long pa = ramAddress(cpu, va);
            int chunk = (int) Math.min(data.length - done, 0x1000 - (va & 0xFFF));
            if (pa == -1 || Long.compareUnsigned(pa + chunk - vcpu.ramBase(), vcpu.ramSize()) > 0) return false;
            done += chunk;
        }
        // Page by page: each page's bytes are one write at its physical address, as the recording holds it.
        for (int done = 0; done < data.length; ) {
            long va = address + done;
            int chunk = (int) Math.min(data.length - done, 0x1000 - (va & 0xFFF));
            byte[] part = new byte[chunk];
            System.arraycopy(data, done, part, 0, chunk);
            if (!write(new DebugWrite(machine.instructions(), cpu, TraceSink.DEBUG_MEMORY, ramAddress(cpu, va), part))) return false;
            done += chunk;
        }
        return true;
    }

    // ---- Breakpoints and watchpoints --------------------------------------------------------------
    @Override
    public boolean setPoint(int cpu, PointKind kind, long address, long length, boolean insert) {
        return switch (kind) {
            case SOFTWARE, HARDWARE -> {
                int bit = kind == PointKind.SOFTWARE ? 1 : 2;
                int kinds = breakpoints.getOrDefault(address, 0);
                int now = insert ? kinds | bit : kinds & ~bit;
                for (int i = 0; i < machine.cpuCount(); i++) {
                    if (now == 0) debug(i).removeBreakpoint(address);
                    else debug(i).addBreakpoint(address);
                }
                if (now == 0) breakpoints.remove(address);
                else breakpoints.put(address, now);
                yield true;
            }
            case WRITE, READ, ACCESS -> {
                if (length <= 0 || length > (1L << 30)) yield false;
                int watch = kind == PointKind.WRITE ? HostDebug.WATCH_WRITE
                        : kind == PointKind.READ ? HostDebug.WATCH_READ : HostDebug.WATCH_ACCESS;
                // Also the physical bytes the address maps to now (for the selected CPU), through whatever alias they are reached.
                long phys = ramAddress(cpu, address);
                for (int i = 0; i < machine.cpuCount(); i++) {
                    if (insert) debug(i).addWatchpoint(address, length, watch, phys);
                    else debug(i).removeWatchpoint(address, length, watch);
                }
                yield true;
            }
        };
    }

    // ---- Running --------------------------------------------------------------------------------
    @Override
    public Stop resume(Resume how, int cpu, long rangeStart, long rangeEnd) {
        // A Ctrl-C that arrived since the last stop is kept: it stops this resume at once.
        return switch (how) {
            case CONTINUE -> run(Long.MAX_VALUE);
            case STEP -> step(cpu);
            case RANGE_STEP -> rangeStep(cpu, rangeStart, rangeEnd);
            case REVERSE_CONTINUE, REVERSE_STEP -> throw new UnsupportedOperationException("a live run cannot go backwards");
        };
    }

    /** Refuses to step a CPU that cannot retire an instruction (the message says why). */
    void checkSteppable(int cpu) {
        if (!machine.isOn(cpu)) {
            throw new UnsupportedOperationException("thread " + (cpu + 1) + " is CPU " + cpu
                    + ", powered off: it retires nothing until PSCI CPU_ON (continue, or step another thread)");
        }
    }

    /** The machine's schedule until CPU cpu has retired one instruction, stopping early as a continue does. */
    private Stop step(int cpu) {
        checkSteppable(cpu);
        Vcpu v = machine.vcpu(cpu);
        long before = v.instructions();
        for (;;) {
            Stop stop = run(1);
            if (stop.kind() != Stop.Kind.TRAPPED || lastResult.instructions() == 0) return stop;
            if (v.instructions() != before) return stop.withCpu(cpu);
            if (lastInterrupted) return Stop.of(Stop.Kind.INTERRUPTED).withCpu(machine.currentCpu());
        }
    }

    private Stop rangeStep(int cpu, long start, long end) {
        Vcpu v = machine.vcpu(cpu);
        for (;;) {
            Stop stop = step(cpu);
            if (stop.kind() != Stop.Kind.TRAPPED || lastResult.instructions() == 0) return stop;
            long pc = v.getPc();
            if (Long.compareUnsigned(pc - start, end - start) >= 0) return stop;
            if (breakpoints.containsKey(pc)) return breakpointStop(pc).withCpu(cpu);
            if (lastInterrupted) return Stop.of(Stop.Kind.INTERRUPTED).withCpu(cpu);
        }
    }

    private Stop run(long n) {
        if (machine.isStopped()) return ended(machine);
        long left = end - machine.instructions();
        if (left <= 0) return endStop();
        resumeAll(lastStopCpu, lastStopWasWatch);
        Stop stop = stopAfter(machine.run(Math.min(n, left)));
        lastStopWasWatch = switch (stop.kind()) {
            case WATCH_WRITE, WATCH_READ, WATCH_ACCESS -> true;
            default -> false;
        };
        lastStopCpu = stop.cpu();
        return stop;
    }

    /**
     * Before a run: CPU shown steps over the stop gdb was shown at its PC (and its
     * watchpoint, if that was the stop); the other CPUs stop at whatever they meet.
     */
    void resumeAll(int shown, boolean overWatch) {
        for (int i = 0; i < machine.cpuCount(); i++) {
            Vcpu v = machine.vcpu(i);
            if (i == shown) debug(i).resumeAt(v.instructions(), v.getPc(), overWatch);
            else debug(i).resumeAt(-1, -1, false);
        }
    }

    /** The CPU whose breakpoint or watchpoint stopped the last run, or -1. */
    int stoppedCpu() {
        for (int i = 0; i < machine.cpuCount(); i++) if (debug(i).stop() != HostDebug.STOP_NONE) return i;
        return -1;
    }

    private Stop stopAfter(RunResult result) {
        lastResult = result;
        // The run stopped: a Ctrl-C that came too late to stop it has been answered by this stop.
        lastInterrupted = interruptRequested;
        interruptRequested = false;
        for (int i = 0; i < machine.cpuCount(); i++) machine.vcpu(i).interruptHandle().clear();
        int current = machine.currentCpu();
        return switch (lastResult.reason()) {
            case CANCELLED -> {
                int cpu = stoppedCpu();
                if (cpu < 0) yield Stop.of(Stop.Kind.INTERRUPTED).withCpu(current);
                HostDebug d = debug(cpu);
                yield (switch (d.stop()) {
                    case HostDebug.STOP_BREAKPOINT -> breakpointStop(machine.vcpu(cpu).getPc());
                    case HostDebug.STOP_WATCH_WRITE -> new Stop(Stop.Kind.WATCH_WRITE, d.stopAddress(), 0);
                    case HostDebug.STOP_WATCH_READ -> new Stop(Stop.Kind.WATCH_READ, d.stopAddress(), 0);
                    default -> new Stop(Stop.Kind.WATCH_ACCESS, d.stopAddress(), 0);
                }).withCpu(cpu);
            }
            case BUDGET -> (machine.instructions() >= end ? endStop() : Stop.of(Stop.Kind.TRAPPED)).withCpu(current);
            case SHUTDOWN, RESET, CPU_OFF -> new Stop(Stop.Kind.EXITED, 0, 0);
            case PANIC -> Stop.panicked(current, machine.instructions(), machine.panicMessage());
            default -> Stop.of(Stop.Kind.TRAPPED).withCpu(current); // BRK, HLT, SMC exits
        };
    }

    /**
     * What resuming a machine that stopped for good says: the run ended (W00
     * for a power-off, a reset, a CPU off) or, after a kernel panic, was
     * ended by it (X06: gdb says "Program terminated with signal SIGABRT").
     */
    static Stop ended(Machine machine) {
        return machine.panicMessage().isEmpty() ? new Stop(Stop.Kind.EXITED, 0, 0) : Stop.terminated();
    }

    /** The budget is used up: the run is over. */
    private Stop endStop() {
        return new Stop(Stop.Kind.EXITED, 0, 0);
    }

    private Stop breakpointStop(long pc) {
        int kinds = breakpoints.getOrDefault(pc, 1);
        return new Stop((kinds & 1) != 0 ? Stop.Kind.BREAKPOINT : Stop.Kind.HW_BREAKPOINT, pc, 0);
    }

    @Override
    public void interrupt() {
        interruptRequested = true;
        machine.cancel();
    }

    @Override
    public boolean canReverse() {
        return false;
    }

    @Override
    public long instructions() {
        return machine.instructions();
    }

    @Override
    public String monitor(String command) {
        String c = command.trim();
        return switch (c) {
            case "icount" -> String.format(Locale.ROOT, "icount %d (pc 0x%x, virtual time %d %s)%n%s",
                    machine.instructions(), vcpu.getPc(), vcpu.cycles(), Plural.noun(vcpu.cycles(), "cycle"), perCpu(machine));
            case "help", "" -> """
                    monitor icount   instructions retired so far (the next one to run has this number), PC and virtual time
                    monitor help     this list
                    """;
            default -> "unknown monitor command '" + c + "' (monitor help lists them)\n";
        };
    }

    /** With several CPUs: a line per CPU (its own instruction count and PC, as the icount line gives CPU 0's PC); with one, nothing. */
    static String perCpu(Machine machine) {
        if (machine.cpuCount() == 1) return "";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < machine.cpuCount(); i++) {
            Vcpu v = machine.vcpu(i);
            s.append(String.format(Locale.ROOT, "  thread %d: %s, %d %s, pc 0x%x%n", i + 1, describe(machine, i), v.instructions(),
                    Plural.noun(v.instructions(), "instruction"), v.getPc()));
        }
        return s.toString();
    }

    @Override
    public void detach() {
        breakpoints.clear();
        clearPoints();
    }
}
