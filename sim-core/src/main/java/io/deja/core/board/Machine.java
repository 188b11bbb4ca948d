package io.deja.core.board;

import io.deja.core.cpu.Cpu;
import io.deja.core.vm.ExitKind;
import io.deja.core.cpu.GenericTimer;
import io.deja.core.mem.Ram;
import io.deja.core.mem.MmioAccessListener;
import io.deja.core.mem.MmioDevice;
import io.deja.core.mem.Region;
import io.deja.core.trace.TraceLevel;
import io.deja.core.trace.TraceSink;
import io.deja.core.devices.GicV2;
import io.deja.core.devices.GicV3;
import io.deja.core.devices.InterruptController;
import io.deja.core.devices.Pl011;
import io.deja.core.devices.Pl031;
import io.deja.core.devices.Psci;
import io.deja.core.devices.VirtioMmioTransport;
import io.deja.core.vm.Vcpu;
import io.deja.core.vm.VirtualMachine;
import io.deja.core.vm.VmExit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

import static io.deja.core.board.MemoryMap.*;

/**
 * A board around one vCPU or several (see "Several CPUs" below): builds the address space of a {@link Board},
 * loads the image (and, on virt, the device tree), sets the registers as
 * QEMU's boot stub leaves them, and runs the guest, serving its exits.
 *
 * Devices are those of the board's {@link BoardLayout}. The GIC (v2, or v3
 * with its ICC_* system registers) is in-process (like KVM's in-kernel vGIC)
 * and wired to the CPU's IRQ/FIQ inputs and the generic timer; the PL031 RTC
 * (virt) is in-process and clocked by virtual time; virtio-mmio transports are
 * in-process and empty; the PL011 console is host-handled (every access is an
 * MMIO exit the board serves, as in the seed's "Vibe VMM"), so statistics
 * show console traffic as exits; HVC exits are PSCI calls.
 *
 * Entry state, both boards: PC = entry, PSTATE = 0x4000_03C5 (EL1h, DAIF
 * masked, and Z set, which is what QEMU's reset leaves since its flags start
 * at zero), SP = 0. virt: x0 = device tree address, x1-x3 = 0, x4 = entry
 * (QEMU's stub branches through x4). vibe: every X register 0.
 *
 * <h2>Several CPUs</h2>
 * With {@link MachineConfig#cpus()} above 1 (virt, GICv2 or GICv3) the CPUs share the
 * bus, RAM and decoded code; each has its registers, system registers (MPIDR
 * 0x8000_0000 | n, as QEMU's virt numbers CPUs in clusters of 8 with GICv2 and
 * of 16 with GICv3), generic timer, GIC CPU interface (GICv3: redistributor and
 * ICC_* registers) and TLB. CPU 0 boots; the others are off until PSCI
 * CPU_ON. A {@link Scheduler} runs them in turn on the calling thread. Events
 * of CPU n carry n and CPU n's own instruction count; {@link #instructions()},
 * budgets, checkpoints, panic deadlines and inputs count the instructions of
 * all CPUs together.
 */
public final class Machine implements io.deja.core.state.Stateful {
    /** PSTATE on entry: EL1h, D/A/I/F masked, Z set (QEMU 7.2 at its first kernel instruction). */
    public static final long ENTRY_PSTATE = 0x4000_03C5L;
    /** The largest per-call budget handed to the vCPU (keeps cycles + budget far from overflow). */
    private static final long MAX_SLICE = 1L << 62;

    private final MachineConfig config;
    /** CPU 0. */
    private final Vcpu vcpu;
    /** Every CPU, CPU 0 first. */
    private final Vcpu[] vcpus;
    /** The CPU whose exit is being served (whose MMIO accesses and events these are). */
    private Vcpu current;
    /** With several CPUs: who runs when; null with one. */
    private final Scheduler scheduler;
    /** With several CPUs: the global exclusive monitor; null with one. */
    private final io.deja.core.cpu.GlobalMonitor monitor;
    /** With several CPUs: each CPU's state at reset, restored by PSCI CPU_ON. */
    private final long[][] resetStates;
    /** With several CPUs: each CPU's sink (tagged with its number when the sink takes CPU numbers). */
    private TraceSink[] cpuSinks;
    private final BoardLayout layout;
    private final InterruptController gic;
    private final Pl011 uart;
    /** The board's RTC, or null (vibe has none). */
    private final Pl031 rtc;
    private final long uartBase, uartSize;
    private final Psci psci = new Psci();
    private final OutputStream console;
    private final ExitStatistics statistics = new ExitStatistics();
    private final long loadAddress;
    private final long entry;
    private final long dtbAddress;
    /** Where the initrd is (virt with an initrd), or 0. */
    private final long initrdAddress;
    private final byte[] deviceTree;
    private final PanicWatch panic = new PanicWatch();
    /** Set once the machine can no longer run (power-off, reset request, CPU off, kernel panic). */
    private ExitKind finalStop;
    private TraceSink trace = TraceSink.NONE;
    private long checkpointInterval;
    private long nextCheckpoint = Long.MAX_VALUE;
    /** Every mapped region; an MMIO event's device number is its index here. */
    private final Region[] devices;
    /** The PL011's MMIO event device number. */
    private final int uartDevice;

    /** A machine whose console is standard output. */
    public Machine(MachineConfig config) {
        this(config, System.out);
    }

    /**
     * @param console where the PL011's output goes (flushed at each newline and at the end of every run)
     * @throws IllegalArgumentException if the configuration cannot be built (the message says why)
     */
    public Machine(MachineConfig config, OutputStream console) {
        this.config = config;
        this.console = console;
        Board board = config.board();
        checkRam(board, config.ramSize());
        byte[] image = config.image();
        if (image.length == 0) throw new IllegalArgumentException("the image is empty");

        long ramBase = board.ramBase();
        long ramEnd = ramBase + config.ramSize();
        long imageSpan = image.length;
        LinuxImage header = board == Board.VIRT ? LinuxImage.looksLike(image) : null;
        if (config.hasExplicitEntry()) {
            loadAddress = config.entry();
        } else if (header != null) {
            loadAddress = Virt.RAM_BASE + header.loadOffset();
            imageSpan = Math.max(imageSpan, header.imageSize());
        } else {
            loadAddress = board.defaultEntry();
        }
        entry = loadAddress;
        if ((entry & 3) != 0) throw new IllegalArgumentException(String.format("entry point 0x%x is not 4-byte aligned", entry));
        if (Long.compareUnsigned(entry - ramBase, config.ramSize()) >= 0) {
            throw new IllegalArgumentException(String.format("entry point 0x%x is outside RAM [0x%x, 0x%x)", entry, ramBase, ramEnd));
        }
        long imageEnd = loadAddress + imageSpan;
        if (Long.compareUnsigned(imageEnd, ramEnd) > 0) {
            throw new IllegalArgumentException(String.format(
                    "image of %d bytes loaded at 0x%x ends at 0x%x, beyond the end of RAM at 0x%x (%d MiB): give more RAM or a smaller image",
                    imageSpan, loadAddress, imageEnd, ramEnd, config.ramSize() >> 20));
        }

        layout = config.layout();
        if (board == Board.VIRT) {
            LinuxLoader.checkCommandLine(config.commandLine());
            int initrdSize = config.initrd().length;
            // The initrd's place does not depend on the tree's size; the tree's contents depend on that place.
            LinuxLoader.Placement initrd = LinuxLoader.place(config.ramSize(), imageEnd, initrdSize, 0);
            deviceTree = LinuxLoader.deviceTree(config, initrd.initrdStart(), initrdSize);
            LinuxLoader.Placement placed = LinuxLoader.place(config.ramSize(), imageEnd, initrdSize, deviceTree.length);
            dtbAddress = placed.dtb();
            initrdAddress = initrdSize > 0 ? placed.initrdStart() : 0;
        } else {
            deviceTree = null;
            dtbAddress = 0;
            initrdAddress = 0;
        }
        checkLayout(ramBase, ramEnd);

        vcpu = (Vcpu) VirtualMachine.create(ramBase, config.ramSize());
        int n = config.cpus();
        vcpus = new Vcpu[n];
        vcpus[0] = vcpu;
        for (int i = 1; i < n; i++) vcpus[i] = Vcpu.sharing(vcpu.bus());
        current = vcpu;
        Cpu cpu = vcpu.cpu();
        if (config.gic() == GicVersion.V3) {
            GicV3 v3 = new GicV3(n);
            for (int i = 0; i < n; i++) vcpus[i].cpu().sys.cpuInterface = v3.cpuInterface(i);
            gic = v3;
        } else {
            gic = new GicV2(n);
        }
        BoardDevice uartDev = layout.require(BoardDevice.Model.PL011);
        uartBase = uartDev.base();
        uartSize = uartDev.size();
        uart = new Pl011(new ConsoleTap(), level -> gic.setSpiLevel(uartDev.interrupt(), level));
        BoardDevice rtcDev = layout.find(BoardDevice.Model.PL031);
        rtc = rtcDev == null ? null
                : new Pl031(config.rtcStart(), cpu.timer::count, GenericTimer.FREQUENCY_HZ, level -> gic.setSpiLevel(rtcDev.interrupt(), level));
        mapDevices();
        devices = vcpu.bus().regions();
        if (!deviceNames().equals(layout.names())) {
            throw new IllegalStateException("the bus's regions " + deviceNames() + " are not the board's devices " + layout.names());
        }
        uartDevice = layout.indexOf(uartDev);
        cpu.irqLine = gic;
        cpu.timer.connect(gic);
        if (rtc != null) cpu.timer.attach(rtc);
        if (n > 1) {
            Cpu[] all = new Cpu[n];
            for (int i = 0; i < n; i++) all[i] = vcpus[i].cpu();
            monitor = new io.deja.core.cpu.GlobalMonitor(all, vcpu.bus().ram.pages());
            resetStates = new long[n][];
            for (int i = 0; i < n; i++) {
                Cpu c = all[i];
                c.index = i;
                c.sys.mpidrEl1 = 0x8000_0000L | i;
                c.peers = all;
                c.monitor = monitor;
                if (i > 0) {
                    c.irqLine = gic.cpuLine(i);
                    c.timer.connect(gic.ppiSink(i));
                }
                resetStates[i] = io.deja.core.state.StateWriter.save(c);
            }
            scheduler = new Scheduler(n, config.quantum());
        } else {
            monitor = null;
            resetStates = null;
            scheduler = null;
        }

        vcpu.writeMemory(loadAddress, image);
        if (initrdAddress != 0) vcpu.writeMemory(initrdAddress, config.initrd());
        if (deviceTree != null) vcpu.writeMemory(dtbAddress, deviceTree);
        setEntryRegisters();
    }

    private static void checkRam(Board board, long size) {
        if (size < board.minRamSize()) {
            throw new IllegalArgumentException(String.format("RAM size %d bytes is too small for the %s board (at least %d KiB)",
                    size, board.cliName(), board.minRamSize() >> 10));
        }
        if (size > board.maxRamSize()) {
            String why = board == Board.VIBE ? "RAM at 0x0 must end below the devices at 0x" + Long.toHexString(GICD_BASE)
                    : "the largest RAM Deja supports";
            throw new IllegalArgumentException(String.format("RAM size %d MiB is too large for the %s board (at most %d MiB: %s)",
                    size >> 20, board.cliName(), board.maxRamSize() >> 20, why));
        }
        if ((size & 0xFFF) != 0) throw new IllegalArgumentException("RAM size " + size + " is not a multiple of 4 KiB");
    }

    /** The RAM must not cover a device window (the sizes above keep it so; this says which one if not). */
    private void checkLayout(long ramBase, long ramEnd) {
        for (BoardDevice d : layout.devices()) {
            if (Long.compareUnsigned(d.base(), ramEnd) < 0 && Long.compareUnsigned(d.end(), ramBase) > 0) {
                throw new IllegalArgumentException(String.format("%s board: RAM [0x%x, 0x%x) overlaps the %s at [0x%x, 0x%x)",
                        layout.board().cliName(), ramBase, ramEnd, d.name(), d.base(), d.end()));
            }
        }
    }

    /** Maps every device of the layout; region names are the layout's (the recording's device table). */
    private void mapDevices() {
        for (BoardDevice d : layout.devices()) {
            switch (d.model()) {
                case GIC_DISTRIBUTOR -> map(d, gic instanceof GicV3 v3 ? v3.distributor() : ((GicV2) gic).distributor());
                case GIC_CPU_INTERFACE -> map(d, ((GicV2) gic).cpuInterface());
                case GIC_REDISTRIBUTOR -> map(d, ((GicV3) gic).redistributor());
                case PL011 -> vcpu.mapMmioExit(d.base(), d.size(), d.name());
                case PL031 -> map(d, rtc);
                case VIRTIO_MMIO -> map(d, new VirtioMmioTransport(d.name()));
            }
        }
    }

    private void map(BoardDevice d, MmioDevice device) {
        if (!device.name().equals(d.name())) throw new IllegalStateException(device.name() + " mapped as " + d.name());
        vcpu.mapDevice(d.base(), d.size(), device);
    }

    private void setEntryRegisters() {
        for (int i = 0; i <= 30; i++) vcpu.setX(i, 0);
        if (config.board() == Board.VIRT) {
            vcpu.setX(0, dtbAddress);
            vcpu.setX(4, entry);
        }
        vcpu.setSp(0);
        vcpu.setPc(entry);
        vcpu.setPstate(ENTRY_PSTATE);
    }

    // ---- Running ------------------------------------------------------------------------------
    /**
     * Runs the guest until it powers off, maxInstructions instructions have
     * retired during this call, or {@link #cancel()} is called. Serves the
     * exits on the way (console MMIO, PSCI). May be called again after a
     * budget or cancel stop; after power-off it returns at once.
     */
    public RunResult run(long maxInstructions) {
        return run(maxInstructions, false);
    }

    /**
     * As {@link #run(long)}; with {@code stopWhenIdle} the run also ends (reason
     * WFI) after a WFI that put the guest to sleep: virtual time jumped to the
     * next timer deadline, or there is none and only console input can wake it
     * ({@link #waitsForInput()}). An interactive console uses it to wait for the
     * user in host time rather than running the idle guest's time ahead. The
     * stop is an instruction boundary like a budget stop, so input delivered
     * there replays at the same icount.
     */
    public RunResult run(long maxInstructions, boolean stopWhenIdle) {
        if (maxInstructions < 0) throw new IllegalArgumentException("negative instruction budget " + maxInstructions);
        if (scheduler != null) return runSeveral(maxInstructions, stopWhenIdle);
        if (finalStop != null) return new RunResult(finalStop, null, vcpu.getPc(), 0, 0);
        long hostStart = System.nanoTime();
        long startInstructions = vcpu.instructions();
        long startCycles = vcpu.cycles();
        ExitKind reason = null;
        VmExit exit = null;
        try {
            while (reason == null) {
                if (panic.mustStop(vcpu.instructions())) {
                    reason = stopForGood(ExitKind.PANIC);
                    break;
                }
                long done = vcpu.instructions() - startInstructions;
                if (done >= maxInstructions) {
                    // Only reachable when idle time used the vCPU's budget: report it as the budget stop.
                    reason = ExitKind.BUDGET;
                    break;
                }
                long slice = Math.min(maxInstructions - done, MAX_SLICE);
                if (nextCheckpoint != Long.MAX_VALUE) slice = Math.min(slice, nextCheckpoint - vcpu.instructions());
                slice = Math.min(slice, panic.deadline() - vcpu.instructions());
                long idleBefore = vcpu.cpu().idleCycles;
                exit = slice > 0 ? vcpu.run(slice) : new VmExit.BudgetExhausted(vcpu.getPc());
                traceExit(exit);
                reason = serve(exit, maxInstructions - (vcpu.instructions() - startInstructions));
                if (reason == null && stopWhenIdle && exit instanceof VmExit.Wfi
                        && (vcpu.cpu().idleCycles != idleBefore || waitsForInput())) {
                    reason = ExitKind.WFI;
                }
                if (reason == null && panic.mustStop(vcpu.instructions())) reason = stopForGood(ExitKind.PANIC);
                // A budget stop counts once, when it ends the run (slices for checkpoints are not exits).
                if (!(exit instanceof VmExit.BudgetExhausted) || reason != null) statistics.record(exit);
                if (vcpu.instructions() >= nextCheckpoint) {
                    checkpoint();
                    nextCheckpoint += checkpointInterval;
                }
            }
        } finally {
            statistics.update(vcpu.instructions(), vcpu.cycles(), System.nanoTime() - hostStart);
            flushConsole();
        }
        return new RunResult(reason, exit, vcpu.getPc(), vcpu.instructions() - startInstructions, vcpu.cycles() - startCycles);
    }

    // ---- Several CPUs ----------------------------------------------------------------------------
    /**
     * The run loop of a board with several CPUs: the {@link Scheduler} picks
     * the CPU and the end of its slice; the vCPU runs to it (or to the budget,
     * a checkpoint or a panic deadline, which split a slice without changing
     * the schedule), and its exits are served as on one CPU.
     */
    private RunResult runSeveral(long maxInstructions, boolean stopWhenIdle) {
        if (finalStop != null) return new RunResult(finalStop, null, current.getPc(), 0, 0);
        long hostStart = System.nanoTime();
        long startInstructions = instructions();
        long startCycles = vcpu.cycles();
        Scheduler s = scheduler;
        ExitKind reason = null;
        VmExit exit = null;
        try {
            while (reason == null) {
                long total = instructions();
                if (panic.mustStop(total)) {
                    reason = stopForGood(ExitKind.PANIC);
                    break;
                }
                long left = maxInstructions - (total - startInstructions);
                if (left <= 0) {
                    reason = ExitKind.BUDGET;
                    break;
                }
                if (s.position == s.cpus) {
                    if (endRound() && stopWhenIdle) reason = ExitKind.WFI;
                    continue;
                }
                int i = s.order[s.position];
                Vcpu v = vcpus[i];
                Cpu c = v.cpu();
                long target = s.target[i];
                // A CPU stopped inside an MMIO read must finish that instruction before anyone else runs.
                boolean inRead = exit instanceof VmExit.MmioRead && v == current;
                if (!inRead && (!s.on[i] || c.cycles >= target)) {
                    s.advance();
                    continue;
                }
                if (s.asleep[i]) {
                    if (!c.irqLine.irq() && !c.irqLine.fiq() && c.timer.nextDeadline() > target) {
                        idleUntil(c, target);
                        s.advance();
                        continue;
                    }
                    s.asleep[i] = false;
                    v.setSleepLimit(target);
                    v.sleepUntilWakeup();
                    if (c.cycles >= target) continue;
                }
                long slice = Math.min(target - c.cycles, left);
                if (inRead) slice = Math.max(slice, 1);
                if (nextCheckpoint != Long.MAX_VALUE) slice = Math.min(slice, nextCheckpoint - total);
                slice = Math.min(slice, panic.deadline() - total);
                select(v);
                if (!s.announced) {
                    s.announced = true;
                    if (trace != TraceSink.NONE) cpuSinks[i].slice(v.instructions(), c.cycles, total);
                }
                v.setSleepLimit(target);
                long before = v.instructions();
                exit = slice > 0 ? v.run(slice) : new VmExit.BudgetExhausted(v.getPc());
                if (v.instructions() != before) s.ranThisRound = true;
                traceExit(exit);
                reason = serveOn(i, exit, target);
                if (reason == null && panic.mustStop(instructions())) reason = stopForGood(ExitKind.PANIC);
                if (!(exit instanceof VmExit.BudgetExhausted) || reason != null) statistics.record(exit);
                if (instructions() >= nextCheckpoint) {
                    checkpoint();
                    nextCheckpoint += checkpointInterval;
                }
            }
        } finally {
            statistics.update(instructions(), vcpu.cycles(), System.nanoTime() - hostStart);
            flushConsole();
        }
        if (reason == ExitKind.CANCELLED) {
            for (Vcpu v : vcpus) v.interruptHandle().clear();
        }
        return new RunResult(reason, exit, current.getPc(), instructions() - startInstructions, vcpu.cycles() - startCycles);
    }

    /** MMIO accesses and events are this CPU's from now on. */
    private void select(Vcpu v) {
        current = v;
        gic.setCurrentCpu(v.cpu().index);
    }

    /**
     * The round is over: starts the next one. After a round in which no CPU ran
     * (every CPU on is asleep), time moves on to the earliest timer deadline of
     * the sleepers; with none, nothing but input can wake them, so they wake
     * (a WFI may complete for any reason) and this returns true, as WFI does on
     * one CPU when it cannot sleep.
     */
    private boolean endRound() {
        Scheduler s = scheduler;
        if (s.ranThisRound) {
            s.nextRound(0);
            return false;
        }
        long earliest = Long.MAX_VALUE;
        boolean sleepers = false;
        for (int i = 0; i < s.cpus; i++) {
            if (!s.on[i] || !s.asleep[i]) continue;
            sleepers = true;
            Cpu c = vcpus[i].cpu();
            if (c.irqLine.irq() || c.irqLine.fiq()) earliest = Math.min(earliest, c.cycles);
            earliest = Math.min(earliest, c.timer.nextDeadline());
        }
        if (!sleepers || earliest != Long.MAX_VALUE) {
            s.nextRound(earliest == Long.MAX_VALUE ? 0 : earliest);
            return false;
        }
        for (int i = 0; i < s.cpus; i++) s.asleep[i] = false;
        s.nextRound(0);
        return true;
    }

    /** An idle CPU's virtual time moves to cycle without executing anything (WFI sleep, WFE, waiting its turn asleep). */
    private static void idleUntil(Cpu c, long cycle) {
        if (c.cycles >= cycle) return;
        c.idleCycles += cycle - c.cycles;
        c.cycles = cycle;
        c.timer.update();
        c.requestService();
    }

    /** Serves an exit of CPU i, whose slice ends at cycle target; returns why the run stops, or null. */
    private ExitKind serveOn(int i, VmExit exit, long target) {
        Cpu c = vcpus[i].cpu();
        return switch (exit) {
            case VmExit.Wfi w -> {
                // The vCPU slept until its timer's deadline or the end of the slice, whichever came first.
                if (!c.irqLine.irq() && !c.irqLine.fiq() && c.cycles >= target) scheduler.asleep[i] = true;
                yield null;
            }
            case VmExit.Wfe w -> {
                // Waiting for an event: the others run first (an event before the slice's end is not lost, it is late).
                idleUntil(c, target);
                yield null;
            }
            case VmExit.Hvc h -> powerCallOn(i, h.pc(), target);
            case VmExit.BudgetExhausted b -> null;
            default -> serve(exit, 1);
        };
    }

    /** PSCI from CPU i of several. */
    private ExitKind powerCallOn(int i, long pc, long target) {
        Scheduler s = scheduler;
        Psci.Action action = servePsci(vcpus[i], pc, psciCpus, i, target);
        return switch (action) {
            case CONTINUE, CPU_ON, SUSPEND -> null;
            case CPU_OFF -> {
                s.on[i] = false;
                s.asleep[i] = false;
                boolean anyOn = false;
                for (boolean on : s.on) anyOn |= on;
                yield anyOn ? null : stopForGood(ExitKind.CPU_OFF);
            }
            case SYSTEM_OFF, SYSTEM_RESET -> powerAction(action, pc);
        };
    }

    /** The CPUs as PSCI sees them: CPU n has affinity n (Aff0; Aff1-Aff3 zero). */
    private final io.deja.core.devices.Psci.Cpus psciCpus = new io.deja.core.devices.Psci.Cpus() {
        public int byAffinity(long mpidr) {
            long affinity = mpidr & io.deja.core.devices.Psci.AFFINITY_MASK;
            return affinity < vcpus.length ? (int) affinity : -1;
        }

        public boolean isOn(int cpu) {
            return scheduler.on[cpu];
        }

        /**
         * QEMU's arm_set_cpu_on: the target is reset and starts at EL1h (DAIF
         * masked) at entry with X0 = context. Its virtual time becomes the caller's
         * (it was not counting while off); its instruction count carries on.
         */
        public void powerOn(int cpu, long entry, long context) {
            Vcpu target = vcpus[cpu];
            Cpu c = target.cpu();
            long retired = c.instructions();
            long now = Math.max(c.cycles, current.cpu().cycles);
            io.deja.core.state.StateReader.restore(c, resetStates[cpu]);
            monitor.reserve(c, -1);
            c.cycles = now;
            c.idleCycles = now - retired;
            for (int r = 0; r <= 30; r++) target.setX(r, 0);
            target.setX(0, context);
            target.setSp(0);
            target.setPc(entry);
            target.setPstate(ENTRY_PSTATE);
            gic.cpuReset(cpu);
            c.timer.update();
            c.requestService();
            scheduler.on[cpu] = true;
            scheduler.asleep[cpu] = false;
        }
    };

    /** Handles one exit; returns why the run stops, or null to carry on. */
    private ExitKind serve(VmExit exit, long instructionsLeft) {
        return switch (exit) {
            case VmExit.MmioRead r -> {
                current.completeMmioRead(hostRead(r.address(), r.size()));
                yield null;
            }
            case VmExit.MmioWrite w -> {
                hostWrite(w.address(), w.size(), w.value());
                yield null;
            }
            case VmExit.Hvc h -> powerCall(h.pc());
            case VmExit.Wfi w -> null; // the vCPU has already slept until the next timer deadline
            case VmExit.Wfe w -> null;
            // Debug exits (exits enabled for a debugger) end the run; the machine can go on.
            case VmExit.Smc s -> ExitKind.SMC;
            case VmExit.Brk b -> ExitKind.BRK;
            case VmExit.Hlt h -> ExitKind.HLT;
            case VmExit.Shutdown s -> stopForGood(s.kind());
            // Cycles count WFI sleep, the budget counts instructions: carry on if some are left.
            case VmExit.BudgetExhausted b -> instructionsLeft > 0 ? null : ExitKind.BUDGET;
            case VmExit.Cancelled c -> ExitKind.CANCELLED;
        };
    }

    /** PSCI over HVC (QEMU treats every HVC as one, see {@link Psci}). */
    private ExitKind powerCall(long pc) {
        return powerAction(servePsci(vcpu, pc, Psci.ONE_CPU, -1, Long.MAX_VALUE), pc);
    }

    /**
     * Serves CPU v's PSCI call (its HVC exit at pc) and reports it. A CPU_SUSPEND is a
     * standby, as for WFI: v sleeps until woken; with several CPUs (i its number, -1 with
     * one) a sleep that outlasts its slice (ending at cycle sliceEnd) leaves it asleep for
     * the scheduler.
     */
    private Psci.Action servePsci(Vcpu v, long pc, Psci.Cpus cpus, int i, long sliceEnd) {
        long function = v.getX(0), arg1 = v.getX(1), arg2 = v.getX(2);
        long before = v.cycles();
        Psci.Action action = psci.call(v, cpus);
        int wake = TraceSink.PSCI_WAKE_NONE;
        if (action == Psci.Action.SUSPEND) {
            v.sleepUntilWakeup();
            Cpu c = v.cpu();
            boolean stillAsleep = i >= 0 && !c.irqLine.irq() && !c.irqLine.fiq() && c.cycles >= sliceEnd;
            if (stillAsleep) scheduler.asleep[i] = true;
            wake = wakeReason(c, before, stillAsleep);
        }
        reportPsci(v, pc, function, arg1, arg2, action, wake, before, cpus);
        return action;
    }

    /** Why a CPU_SUSPEND's sleep ended (one of TraceSink's PSCI_WAKE_* codes); stillAsleep: its slice ended first. */
    private static int wakeReason(Cpu c, long cyclesBefore, boolean stillAsleep) {
        if (c.irqLine.irq() || c.irqLine.fiq()) return TraceSink.PSCI_WAKE_INTERRUPT;
        if (stillAsleep) return TraceSink.PSCI_WAKE_LATER;
        return c.cycles > cyclesBefore ? TraceSink.PSCI_WAKE_DEADLINE : TraceSink.PSCI_WAKE_IMMEDIATE;
    }

    /**
     * The PSCI event of a call CPU v made with X0-X2 = function, arg1, arg2, served
     * (and, for CPU_SUSPEND, slept) already: hvcNext is its HVC exit's PC, the next instruction;
     * cycles its virtual time at the call.
     */
    private void reportPsci(Vcpu v, long hvcNext, long function, long arg1, long arg2, Psci.Action action, int wake, long cycles, Psci.Cpus cpus) {
        TraceSink s = sink();
        if (s == TraceSink.NONE) return;
        boolean returns = action == Psci.Action.CONTINUE || action == Psci.Action.CPU_ON || action == Psci.Action.SUSPEND;
        s.psci(v.instructions(), hvcNext - 4, Psci.functionNumber(function), function, Psci.targetCpu(function, arg1, arg2, cpus),
                returns ? v.getX(0) : 0, wake, cycles, v.cycles(), instructions());
    }

    private ExitKind powerAction(Psci.Action action, long pc) {
        return switch (action) {
            case CONTINUE, CPU_ON, SUSPEND -> null;
            case CPU_OFF -> stopForGood(ExitKind.CPU_OFF);
            case SYSTEM_OFF -> {
                VmExit off = new VmExit.Shutdown(pc, false);
                statistics.record(off);
                traceExit(off);
                yield stopForGood(ExitKind.SHUTDOWN);
            }
            case SYSTEM_RESET -> {
                VmExit reset = new VmExit.Shutdown(pc, true);
                statistics.record(reset);
                traceExit(reset);
                yield stopForGood(ExitKind.RESET);
            }
        };
    }

    private ExitKind stopForGood(ExitKind reason) {
        finalStop = reason;
        return reason;
    }

    private long hostRead(long address, int size) {
        if (isUart(address)) {
            long value = uart.read(address - uartBase, size);
            // The load has not retired yet: it is instruction number instructions().
            sink().mmio(current.instructions(), current.getPc(), uartDevice, address - uartBase, size, false, value);
            return value;
        }
        throw new IllegalStateException(String.format("MMIO read exit at 0x%x, which no host device serves", address));
    }

    private void hostWrite(long address, int size, long value) {
        if (isUart(address)) {
            // The store retired; the exit PC is the instruction after it.
            sink().mmio(current.cpu().executingInstruction(), current.getPc() - 4, uartDevice, address - uartBase, size, true, value);
            uart.write(address - uartBase, size, value);
            return;
        }
        throw new IllegalStateException(String.format("MMIO write exit at 0x%x, which no host device serves", address));
    }

    private boolean isUart(long address) {
        return Long.compareUnsigned(address - uartBase, uartSize) < 0;
    }

    private void flushConsole() {
        try {
            console.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("console flush failed", e);
        }
    }

    /**
     * Whether nothing but console input can wake the guest: no interrupt is
     * signalled and no timer (nor the RTC's alarm) has a deadline. A guest in
     * WFI then loops on WFI until someone types.
     */
    public boolean waitsForInput() {
        for (int i = 0; i < vcpus.length; i++) {
            if (scheduler != null && !scheduler.on[i]) continue;
            Cpu c = vcpus[i].cpu();
            if (c.irqLine.irq() || c.irqLine.fiq() || c.timer.nextDeadline() != Long.MAX_VALUE) return false;
        }
        return true;
    }

    /** Stops a run in progress from another thread (or the next run, if none is in progress). */
    public void cancel() {
        for (Vcpu v : vcpus) v.interruptHandle().kill();
    }

    /** Bytes typed into the console (an input event: deliver between runs, at a recorded instruction count). */
    public void sendConsoleInput(byte[] bytes) {
        sink().input(instructions(), TraceSink.INPUT_UART, bytes.clone());
        uart.receive(bytes);
    }

    /**
     * A debugger's write to CPU cpu (deliver between runs, as an input): kind is
     * one of TraceSink's DEBUG_* codes, target the register number, system
     * register encoding or physical address, data the value (little-endian) or
     * the bytes. It is reported as a DEBUG_WRITE event on that CPU, so a
     * recording holds it and a replay applies it here again.
     * @return false, nothing written or reported, if the write names no register,
     *         has the wrong size, sets a PSTATE mode this CPU lacks, or leaves RAM
     */
    public boolean debugWrite(int cpu, int kind, long target, byte[] data) {
        if (cpu < 0 || cpu >= vcpus.length) return false;
        Vcpu v = vcpus[cpu];
        int size = switch (kind) {
            case TraceSink.DEBUG_X, TraceSink.DEBUG_SP, TraceSink.DEBUG_PC, TraceSink.DEBUG_SYSREG -> 8;
            case TraceSink.DEBUG_PSTATE, TraceSink.DEBUG_FPSR, TraceSink.DEBUG_FPCR -> 4;
            case TraceSink.DEBUG_V -> 16;
            case TraceSink.DEBUG_MEMORY -> data.length;
            default -> -1;
        };
        if (size <= 0 || data.length != size) return false;
        long low = 0, high = 0;
        for (int i = Math.min(size, 8) - 1; i >= 0; i--) low = low << 8 | (data[i] & 0xFF);
        for (int i = size - 1; i >= 8 && kind == TraceSink.DEBUG_V; i--) high = high << 8 | (data[i] & 0xFF);
        switch (kind) {
            case TraceSink.DEBUG_X -> {
                if (target < 0 || target > 30) return false;
                v.setX((int) target, low);
            }
            case TraceSink.DEBUG_SP -> v.setSp(low);
            case TraceSink.DEBUG_PC -> v.setPc(low);
            case TraceSink.DEBUG_PSTATE -> {
                try {
                    v.setPstate(low);
                } catch (IllegalArgumentException e) {
                    return false;
                }
            }
            case TraceSink.DEBUG_FPSR -> v.setFpsr(low);
            case TraceSink.DEBUG_FPCR -> v.setFpcr(low);
            case TraceSink.DEBUG_V -> {
                if (target < 0 || target > 31) return false;
                v.setV((int) target, 0, low);
                v.setV((int) target, 1, high);
            }
            case TraceSink.DEBUG_SYSREG -> {
                String name = target < 0 || target > 0xFFFF ? null : io.deja.core.isa.SysRegs.name((int) target);
                if (name == null || io.deja.core.isa.SysRegs.byName(name) != target) return false;
                try {
                    v.setSysReg(name, low);
                } catch (IllegalArgumentException e) {
                    return false;
                }
            }
            default -> {
                if (Long.compareUnsigned(target - v.ramBase(), v.ramSize()) >= 0
                        || Long.compareUnsigned(target + data.length - v.ramBase(), v.ramSize()) > 0) {
                    return false;
                }
                v.writeMemory(target, data.clone());
            }
        }
        // At full level a register's change is reported after the instruction that made it: this one is the
        // debugger's, reported as itself, not as a change made by the next instruction.
        if (v.cpu().traceShadow != null) io.deja.core.trace.InstructionTrace.resetShadow(v.cpu());
        TraceSink s = cpuSinks == null ? trace : cpuSinks[cpu];
        s.debugWrite(instructions(), v.instructions(), kind, target, data.clone());
        return true;
    }

    // ---- Tracing, checkpoints, chaos -----------------------------------------------------------
    /**
     * Reports the run to sink from now on: exits (not the budget and cancel stops,
     * which are the host's business), interrupts, exceptions, MMIO accesses (device =
     * index in {@link #deviceNames()}), MSR writes, console bytes and inputs; at INSNS
     * and FULL level also every instruction, and at FULL every register change and store.
     */
    public void setTrace(TraceSink sink, TraceLevel level) {
        trace = sink;
        if (vcpus.length == 1) {
            vcpu.setTrace(sink, level);
        } else {
            // Each CPU's events carry its number when the sink takes numbers (a recording does).
            cpuSinks = new TraceSink[vcpus.length];
            for (int i = 0; i < vcpus.length; i++) {
                cpuSinks[i] = sink instanceof io.deja.core.trace.CpuBoundSink.Target t ? new io.deja.core.trace.CpuBoundSink(t, i) : sink;
                vcpus[i].setTrace(cpuSinks[i], level);
            }
        }
        vcpu.bus().setListener(sink == TraceSink.NONE ? MmioAccessListener.NONE
                : (device, region, offset, size, write, value) -> sink().mmio(
                        current.cpu().executingInstruction(), current.cpu().pc, device, offset, size, write, value));
    }

    /** Emits a checkpoint every n retired instructions (0: none) from now on. */
    public void setCheckpointInterval(long n) {
        if (n < 0) throw new IllegalArgumentException("negative checkpoint interval");
        checkpointInterval = n;
        nextCheckpoint = n == 0 ? Long.MAX_VALUE : (instructions() / n + 1) * n;
    }

    /**
     * Seeded jitter on interrupt delivery (see Vcpu.setChaos); with several CPUs
     * also the order in which they run and the lengths of their slices (see
     * {@link Scheduler}). CPU n's interrupt jitter draws from its own stream.
     */
    public void setChaos(long seed) {
        vcpu.setChaos(seed);
        for (int i = 1; i < vcpus.length; i++) vcpus[i].setChaos(seed + i * 0x9E37_79B9_7F4A_7C15L);
        if (scheduler != null) scheduler.setChaos(seed);
    }

    /** Reports a checkpoint of the current state to the trace (CPU 0's registers; the hashes cover every CPU). */
    public void checkpoint() {
        StateHashes h = stateHashes();
        long[] regs = io.deja.core.trace.CheckpointRegisters.of(vcpu.cpu());
        (cpuSinks == null ? trace : cpuSinks[0]).checkpoint(instructions(), vcpu.cycles(), h.cpu(), h.ram(), h.devices(), regs);
    }

    /**
     * Hashes of the whole machine state, from the same state descriptions that
     * snapshots save: the vCPU (CPU, system registers, timer, debug state, TLB,
     * chaos), the devices, and RAM. Equal hashes at equal icount prove a
     * bit-exact replay.
     */
    public StateHashes stateHashes() {
        long cpu = io.deja.core.state.StateHash.of(vcpus.length == 1 ? vcpu::processorState : this::processorsState);
        long devices = io.deja.core.state.StateHash.of(this::devicesState);
        return new StateHashes(cpu, vcpu.bus().ram.hash(), devices);
    }

    /** Several CPUs: each vCPU, who runs when, and the global monitor. */
    private void processorsState(io.deja.core.state.StateVisitor v) {
        v.child("vcpu", vcpu::processorState);
        otherProcessorsState(v);
    }

    private void otherProcessorsState(io.deja.core.state.StateVisitor v) {
        for (int i = 1; i < vcpus.length; i++) v.child("vcpu" + i, vcpus[i]::processorState);
        v.child("scheduler", scheduler);
        v.child("monitor", monitor);
    }

    /** The board's devices with state: the GIC, the host-handled UART, the RTC (the virtio transports are empty). */
    private void devicesState(io.deja.core.state.StateVisitor v) {
        v.child("gic", gic);
        v.child("pl011", uart);
        if (rtc != null) v.child("pl031", rtc);
    }

    /** The vCPU, the devices, and whether the guest has stopped the machine for good (0, or the final exit kind's code). */
    @Override
    public void state(io.deja.core.state.StateVisitor v) {
        v.child("vcpu", vcpu::processorState);
        devicesState(v);
        v.child("panic_watch", panic);
        int stop = v.u32("final_stop", finalStop == null ? 0 : finalStop.code);
        finalStop = stop == 0 ? null : ExitKind.fromCode(stop);
        if (vcpus.length > 1) otherProcessorsState(v);
    }

    /**
     * The whole machine now (between runs): see {@link VirtualMachine#snapshot()}.
     * Host-side things are not in it: the console already written, the exit
     * statistics, the trace sink.
     */
    public io.deja.core.vm.Snapshot snapshot() {
        return vcpu.snapshot(this, instructions());
    }

    /** Back to a snapshot this machine took: running on does exactly what it did from there. */
    public void restore(io.deja.core.vm.Snapshot snapshot) {
        vcpu.restore(snapshot, this);
        setCheckpointInterval(checkpointInterval);
    }

    /** Names of the mapped devices, in MMIO event device-number order. */
    public java.util.List<String> deviceNames() {
        return java.util.Arrays.stream(devices).map(Region::name).toList();
    }

    /** Instructions retired since the machine was built (several CPUs: by all of them). */
    public long instructions() {
        if (vcpus.length == 1) return vcpu.instructions();
        long sum = 0;
        for (Vcpu v : vcpus) sum += v.instructions();
        return sum;
    }

    /** Where the current CPU's events go. */
    private TraceSink sink() {
        return cpuSinks == null ? trace : cpuSinks[current.cpu().index];
    }

    private void traceExit(VmExit exit) {
        if (trace == TraceSink.NONE) return;
        TraceSink trace = sink();
        long icount = current.instructions();
        switch (exit) {
            case VmExit.MmioRead r -> trace.exit(icount, r.pc(), r.kind().code, r.address(), r.size(), 0);
            case VmExit.MmioWrite w -> trace.exit(icount, w.pc(), w.kind().code, w.address(), w.size(), w.value());
            case VmExit.Hvc h -> trace.exit(icount, h.pc(), h.kind().code, h.imm(), 0, 0);
            case VmExit.Smc s -> trace.exit(icount, s.pc(), s.kind().code, s.imm(), 0, 0);
            case VmExit.Brk b -> trace.exit(icount, b.pc(), b.kind().code, b.imm(), 0, 0);
            case VmExit.Hlt h -> trace.exit(icount, h.pc(), h.kind().code, h.imm(), 0, 0);
            // One event kind for both power-offs, arg0 telling a reset (the recording format's choice).
            case VmExit.Shutdown s -> trace.exit(icount, s.pc(), TraceSink.EXIT_SHUTDOWN, s.reset() ? 1 : 0, 0, 0);
            // Budget and cancel stops depend on how the host slices the run, not on the guest.
            case VmExit.BudgetExhausted b -> { }
            case VmExit.Cancelled c -> { }
            // A WFI has slept when it exits: arg0 is virtual time after the sleep, so that the
            // exported tables know the cycles of every event, not only of checkpoints.
            case VmExit.Wfi w -> trace.exit(icount, w.pc(), w.kind().code, current.cycles(), 0, 0);
            default -> trace.exit(icount, exit.pc(), exit.kind().code, 0, 0, 0); // WFE
        }
    }

    /** The console stream as the PL011 sees it: every byte is also a trace event. */
    private final class ConsoleTap extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            long icount = current.cpu().executingInstruction();
            sink().console(icount, b & 0xFF);
            panic.console(b & 0xFF, scheduler == null ? icount : instructions());
            console.write(b);
        }

        @Override
        public void flush() throws IOException {
            console.flush();
        }
    }

    // ---- Inspection ------------------------------------------------------------------------------
    public MachineConfig config() { return config; }
    public Board board() { return config.board(); }
    /** The embedding API, for register and memory dumps. */
    public VirtualMachine vm() { return vcpu; }
    public Vcpu vcpu() { return vcpu; }
    /** CPU n's vCPU (0: the boot CPU). */
    public Vcpu vcpu(int n) { return vcpus[n]; }
    /** How many CPUs the board has. */
    public int cpuCount() { return vcpus.length; }
    /** Whether CPU n is powered on (PSCI). */
    public boolean isOn(int n) { return scheduler == null || scheduler.on[n]; }
    /** Whether CPU n sleeps in WFI (or PSCI CPU_SUSPEND) with nothing pending, its time moved on without it running (several CPUs only). */
    public boolean isAsleep(int n) { return scheduler != null && scheduler.asleep[n]; }
    /** The CPU that ran last (whose exit was served last): after a stop, the one that stopped. */
    public int currentCpu() { return current.cpu().index; }
    public InterruptController gic() { return gic; }
    public Pl011 uart() { return uart; }
    /** The PL031, or null on a board without one (vibe). */
    public Pl031 rtc() { return rtc; }
    /** The board's devices. */
    public BoardLayout layout() { return layout; }
    public ExitStatistics statistics() { return statistics; }
    public long loadAddress() { return loadAddress; }
    public long entry() { return entry; }
    /** Where the device tree is in RAM (virt), or 0 (vibe has none). */
    public long dtbAddress() { return dtbAddress; }
    /** Where the initrd is in RAM (virt with an initrd), or 0. */
    public long initrdAddress() { return initrdAddress; }
    /** The device tree blob (virt), or null. */
    public byte[] deviceTree() { return deviceTree == null ? null : deviceTree.clone(); }
    /** The console's kernel panic line ("Kernel panic - not syncing: ..."), or "" if the guest has not panicked. */
    public String panicMessage() { return panic.message(); }
    /** Set once the guest powered off, asked for a reset, turned its CPU off, or its kernel panicked. */
    public boolean isStopped() { return finalStop != null; }
}
