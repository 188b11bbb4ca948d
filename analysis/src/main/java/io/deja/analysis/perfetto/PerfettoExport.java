package io.deja.analysis.perfetto;

import io.deja.analysis.ReadProgress;
import io.deja.analysis.schema.Names;

import io.deja.analysis.export.ConsoleLines;
import io.deja.core.cpu.ExceptionClass;
import io.deja.core.cpu.GenericTimer;
import io.deja.core.trace.EventCodes;
import io.deja.core.trace.EventType;
import io.deja.core.trace.TraceSink;
import io.deja.core.vm.ExitKind;
import io.deja.recorder.EventCursor;
import io.deja.recorder.Recording;
import io.deja.recorder.RecordingHeader;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * A recording as a timeline for ui.perfetto.dev and chrome://tracing, read
 * straight from its events in one pass.
 *
 * <p>Time is virtual time: the generic timer's cycles (one per instruction,
 * plus WFI sleeps: a WFI exit carries the virtual time its sleep ended at) at {@link GenericTimer#FREQUENCY_HZ},
 * so the picture is the same on every host. Per CPU, one group of tracks:
 * <ul>
 * <li>"exception level": EL0 and EL1 as slices (the machine resets into EL1),
 *     with "WFI" and "suspended" (PSCI CPU_SUSPEND, with how it woke) slices
 *     nested in EL1 for the cycles slept, and "off" while the CPU is off;</li>
 * <li>"handlers": an interrupt ("IRQ 27") or synchronous exception (named by
 *     its class, "SVC") from its entry to the ERET that ends it; nested ones
 *     nest; an ERET to EL0 ends every open handler (a kernel that switches
 *     tasks returns to EL0 through a different entry than it came in by);</li>
 * <li>"exits" and "MMIO": instants with their arguments; each PSCI call an
 *     instant named by its function ("PSCI CPU_ON") after its HVC exit.</li>
 * </ul>
 * For the run: "console" (each line an instant named by its text, at its first
 * byte), "stages" (the {@link Stage}s given), and counter tracks of interrupts
 * and exceptions per virtual millisecond.
 *
 * <p>A window (--from/--to, in icounts) keeps only what happens inside it:
 * slices open at its edges are cut there. Events before the window are still
 * read, to know the exception level, the open handlers and the sleeps so far.
 *
 * <p>With several CPUs each CPU has its own virtual time, which each of its
 * slices (SLICE events) states. Every CPU of the machine has its tracks: a
 * secondary CPU is "off" until a PSCI CPU_ON powers it on (its first slice
 * after the call, an instant "power on" on its exits track), and again from
 * its CPU_OFF (an instant "power off") to the next power-on or the end of the
 * run. A CPU_SUSPEND that outlasts the CPU's slice ends at the CPU's next
 * slice, or at the end of the run if none comes. Icounts
 * that place things on the run's tracks (the window, stages, console lines)
 * are then global: the instructions all CPUs retired, as the standard
 * library's global_icount; events on a CPU's tracks keep that CPU's own
 * icount in their arguments.
 */
public final class PerfettoExport {
    private PerfettoExport() {}

    /** Nanoseconds per cycle of the virtual counter (16 at 62.5 MHz). */
    static final long NS_PER_CYCLE = 1_000_000_000L / GenericTimer.FREQUENCY_HZ;
    /** Cycles in a virtual millisecond (the counter tracks' bucket). */
    static final long CYCLES_PER_MS = GenericTimer.FREQUENCY_HZ / 1000;

    private static final int INT_PC = EventType.INTERRUPT.field("pc"), INT_INTID = EventType.INTERRUPT.field("intid"),
            INT_FIQ = EventType.INTERRUPT.field("fiq"), INT_FROM = EventType.INTERRUPT.field("from_el");
    private static final int EXC_ELR = EventType.EXCEPTION.field("elr"), EXC_EC = EventType.EXCEPTION.field("ec"),
            EXC_ESR = EventType.EXCEPTION.field("esr"), EXC_FAR = EventType.EXCEPTION.field("far"),
            EXC_FROM = EventType.EXCEPTION.field("from_el"), EXC_TO = EventType.EXCEPTION.field("to_el");
    private static final int ERET_TO = EventType.ERET.field("to_el");
    private static final int EXIT_PC = EventType.EXIT.field("pc"), EXIT_KIND = EventType.EXIT.field("kind"),
            EXIT_ARG0 = EventType.EXIT.field("arg0"), EXIT_ARG1 = EventType.EXIT.field("arg1"), EXIT_ARG2 = EventType.EXIT.field("arg2");
    private static final int MMIO_PC = EventType.MMIO.field("pc"), MMIO_DEVICE = EventType.MMIO.field("device"),
            MMIO_OFFSET = EventType.MMIO.field("dev_offset"), MMIO_SIZE = EventType.MMIO.field("size"),
            MMIO_WRITE = EventType.MMIO.field("write"), MMIO_VALUE = EventType.MMIO.field("value");
    private static final int CONSOLE_VALUE = EventType.CONSOLE.field("value"), CHECKPOINT_CYCLES = EventType.CHECKPOINT.field("cycles"),
            END_REASON = EventType.END.field("reason"), END_CYCLES = EventType.END.field("cycles");
    private static final int SLICE_CYCLES = EventType.SLICE.field("cycles"), SLICE_TOTAL = EventType.SLICE.field("total");
    private static final int PSCI_PC = EventType.PSCI.field("pc"), PSCI_FUNCTION = EventType.PSCI.field("function"),
            PSCI_ID = EventType.PSCI.field("function_id"), PSCI_TARGET = EventType.PSCI.field("target"),
            PSCI_RESULT = EventType.PSCI.field("result"), PSCI_WAKE = EventType.PSCI.field("wake"), PSCI_WAKE_CYCLES = EventType.PSCI.field("wake_cycles");

    /** The events the timeline is drawn from. */
    static final EnumSet<EventType> READ = EnumSet.of(EventType.EXIT, EventType.PSCI, EventType.INTERRUPT, EventType.EXCEPTION,
            EventType.ERET, EventType.MMIO, EventType.CONSOLE, EventType.CHECKPOINT, EventType.SLICE, EventType.END);

    /**
     * What to export.
     *
     * @param fromIcount first instruction of the window (0: from the start)
     * @param toIcount   last instruction of the window (Long.MAX_VALUE: to the end)
     * @param stages     named icount ranges for the "stages" track (boot stages)
     */
    public record Options(long fromIcount, long toIcount, List<Stage> stages) {
        public Options {
            if (fromIcount < 0 || toIcount < fromIcount) throw new IllegalArgumentException("window " + fromIcount + ".." + toIcount + " is empty");
            stages = List.copyOf(Objects.requireNonNull(stages, "stages"));
        }

        public static Options whole() {
            return new Options(0, Long.MAX_VALUE, List.of());
        }
    }

    /** What an export wrote: recorded events read, trace events written, bytes, host time (a figure, not data). */
    public record Result(Path file, TraceFormat format, long eventsRead, long traceEvents, long bytes, long nanos) {}

    public static Result export(Path recordingDir, Path file, Options options) {
        return export(recordingDir, file, options, null);
    }

    /** As {@link #export(Path, Path, Options)}, publishing how far it has read to progress (null: nowhere). */
    public static Result export(Path recordingDir, Path file, Options options, ReadProgress progress) {
        long start = System.nanoTime();
        TraceFormat format = TraceFormat.forFile(file);
        try (Recording recording = Recording.open(recordingDir)) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            long read;
            long written;
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                 TraceWriter w = format.open(os);
                 EventCursor cursor = recording.events(0, READ)) {
                Timeline t = new Timeline(recording.header(), w, options);
                if (progress != null) progress.ends(Math.min(recording.tail().lastIcount(), options.toIcount()));
                read = t.run(cursor, progress);
                written = w.events();
            }
            return new Result(file, format, read, written, Files.size(file), System.nanoTime() - start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The state machine from recorded events to tracks. */
    static final class Timeline {
        static final long RUN = 1, CONSOLE = 2, STAGES = 3, IRQ_RATE = 4, EXC_RATE = 5;
        static final long TRACKS_PER_CPU = 8;

        private final RecordingHeader header;
        private final TraceWriter w;
        private final long from, to;
        private final List<Stage> stages;
        private final Args args = new Args();
        private final List<String> devices;
        private final List<CpuState> cpus = new ArrayList<>();
        private final ConsoleLines console;
        private final long[] rateBucket = {-1, -1};
        private final long[] rateCount = new long[2];
        private final boolean[] rateZeroWritten = new boolean[2];
        /** Virtual time of the current console line's first byte. */
        private long lineNs;
        private int nextStage;
        private final List<Stage> openStages = new ArrayList<>();
        /** Several CPUs: events carry their CPU's own icount, slices map it onto the machine's. */
        private final boolean several;
        /** The CPU of the latest slice (several CPUs), whose clock the run's tracks follow. */
        private CpuState sliceCpu;
        /** Virtual time at the END event (several CPUs: CPU 0's cycles there), -1 before it. */
        private long endNsSeen = -1;
        private int endReason;
        /** Several CPUs: the latest time drawn on the stages track (their clocks differ, the track must not go back). */
        private long lastStageNs;
        /** Where the first CPU's tracks started in the window (-1: not yet): CPUs off then start there, "off". */
        private long windowStartNs = -1;

        Timeline(RecordingHeader header, TraceWriter w, Options options) {
            this.header = header;
            this.several = header.cpus() > 1;
            this.w = w;
            this.from = options.fromIcount();
            this.to = options.toIcount();
            this.devices = header.devices();
            List<Stage> sorted = new ArrayList<>(options.stages());
            sorted.sort(Comparator.comparingLong(Stage::fromIcount).thenComparing(Comparator.comparingLong(Stage::toIcount).reversed()));
            this.stages = sorted;
            String image = header.images().isEmpty() ? "" : Path.of(header.images().get(0).path()).getFileName().toString();
            w.group(RUN, "Deja run" + (image.isEmpty() ? "" : ": " + image) + " (" + header.board().name().toLowerCase(java.util.Locale.ROOT) + ")");
            w.track(CONSOLE, RUN, "console", false);
            w.track(STAGES, RUN, "stages", false);
            w.track(IRQ_RATE, RUN, "interrupts per virtual ms", true);
            w.track(EXC_RATE, RUN, "exceptions per virtual ms", true);
            console = new ConsoleLines((number, icount, endIcount, text) -> {
                if (inWindow(icount)) w.instant(CONSOLE, lineNs, text, false, args.clear().num("line", number).num("icount", icount));
            });
            // every CPU of the machine has its tracks, also one that is never powered on (drawn "off")
            if (several) cpu(header.cpus() - 1);
        }

        /**
         * Virtual time at an icount, for the run-wide tracks: CPU 0's on one CPU;
         * with several, at a global icount, the clock of the CPU whose slice the
         * events have reached (not before that slice's start).
         */
        long clock0(long icount) {
            if (several && sliceCpu != null) return lastStageNs = Math.max(lastStageNs, sliceCpu.nsAtGlobal(icount));
            return cpus.isEmpty() ? icount * NS_PER_CYCLE : cpus.get(0).ns(icount);
        }

        boolean inWindow(long icount) {
            return icount >= from && icount <= to;
        }

        long run(EventCursor c, ReadProgress progress) {
            long read = 0;
            long lastIcount = 0;
            boolean cut = false;
            while (c.next()) {
                read++;
                EventType type = c.type();
                // Checkpoints and the end count the machine's instructions (all CPUs'), and carry CPU 0's cycles.
                boolean machineWide = type == EventType.CHECKPOINT || type == EventType.END;
                CpuState cpu = cpu(machineWide ? 0 : c.cpu());
                long own = c.icount();
                boolean slice = several && type == EventType.SLICE;
                // the machine's icount: the window, the stages and the run's tracks count in it
                long icount = !several || machineWide ? own : slice ? c.i64(SLICE_TOTAL) : cpu.global(own);
                if (progress != null && (read & (ReadProgress.EVERY - 1)) == 0) progress.at(icount, read);
                if (icount > to) {
                    cut = true;
                    break;
                }
                lastIcount = icount;
                // A boundary at icount X is where instruction X starts: after a WFI that retired at X has slept.
                // (Before a new slice: what lies before it is on the clock of the CPU that ran until it.)
                if (icount > from) stagesUpTo(icount - 1);
                if (slice) {
                    cpu.slice(own, c.i64(SLICE_CYCLES), icount);
                    cpu.suspendedToNextSlice = false; // it runs: whatever suspended it has ended
                    sliceCpu = cpu;
                }
                if (!several || !machineWide) cpu.settleSleep(own);
                long ns = several && type == EventType.END ? c.i64(END_CYCLES) * NS_PER_CYCLE : cpu.ns(own);
                // No sleep lies between from and the first event at or after it (a WFI exit is an event).
                if (!cpu.windowOpen && icount >= from) {
                    long start = several ? cpu.nsAtGlobal(from) : cpu.ns(from);
                    if (windowStartNs < 0) {
                        windowStartNs = start;
                        for (CpuState other : cpus) {
                            if (!other.on) other.openWindow(start);
                        }
                    }
                    if (!cpu.windowOpen) cpu.openWindow(start);
                }
                switch (type) {
                    case INTERRUPT -> {
                        int intid = c.i32(INT_INTID);
                        cpu.enter(ns, icount, (c.bool(INT_FIQ) ? "FIQ " : "IRQ ") + intid, 1, args.clear().num("intid", intid)
                                .hex("pc", c.i64(INT_PC)).num("from_el", c.u8(INT_FROM)).num("icount", own));
                        rate(0, icount, cpu.cycles(own));
                    }
                    case EXCEPTION -> {
                        int ec = c.u8(EXC_EC);
                        cpu.enter(ns, icount, ExceptionClass.name(ec), c.u8(EXC_TO), args.clear().hex("ec", ec).hex("esr", c.i64(EXC_ESR))
                                .hex("far", c.i64(EXC_FAR)).hex("pc", Names.exceptionPc(ec, c.i64(EXC_ELR))).hex("elr", c.i64(EXC_ELR)).num("from_el", c.u8(EXC_FROM)).num("icount", own));
                        rate(1, icount, cpu.cycles(own));
                    }
                    case ERET -> cpu.eret(ns, c.u8(ERET_TO));
                    case EXIT -> {
                        int kind = c.u8(EXIT_KIND);
                        // A WFI exit carries the virtual time its sleep ended at.
                        long sleptNow = kind == ExitKind.WFI.code ? c.i64(EXIT_ARG0) - cpu.cycles(own) : 0;
                        if (kind == ExitKind.WFI.code) cpu.sleep(ns, icount, own, sleptNow);
                        if (inWindow(icount)) {
                            args.clear().hex("pc", c.i64(EXIT_PC)).num("icount", own);
                            if (kind == ExitKind.MMIO_READ.code || kind == ExitKind.MMIO_WRITE.code) {
                                args.hex("address", c.i64(EXIT_ARG0)).num("size", c.i64(EXIT_ARG1));
                                if (kind == ExitKind.MMIO_WRITE.code) args.hex("value", c.i64(EXIT_ARG2));
                            } else if (kind == ExitKind.WFI.code) {
                                args.num("cycles_slept", sleptNow).num("wake_cycles", c.i64(EXIT_ARG0));
                            } else {
                                args.hex("arg0", c.i64(EXIT_ARG0));
                            }
                            w.instant(cpu.track(TrackKind.EXITS), ns, EventCodes.EXIT_KIND.nameOf(kind), true, args);
                        }
                    }
                    case PSCI -> psci(c, cpu, ns, icount, own);
                    case MMIO -> {
                        if (inWindow(icount)) {
                            int dev = c.u8(MMIO_DEVICE);
                            String device = dev < devices.size() ? devices.get(dev) : "device " + dev;
                            boolean write = c.bool(MMIO_WRITE);
                            w.instant(cpu.track(TrackKind.MMIO), ns, device + (write ? " write" : " read"), true, args.clear()
                                    .hex("offset", c.i64(MMIO_OFFSET)).num("size", c.u8(MMIO_SIZE)).hex("value", c.i64(MMIO_VALUE)).hex("pc", c.i64(MMIO_PC)).num("icount", own));
                        }
                    }
                    case CONSOLE -> {
                        // several CPUs' clocks differ by up to a quantum: the run's tracks never go back in time
                        if (console.atLineStart()) lineNs = Math.max(ns, lineNs);
                        console.add(icount, c.u8(CONSOLE_VALUE));
                    }
                    // With several CPUs the slices state each CPU's cycles, and a checkpoint's icount is no one CPU's.
                    case CHECKPOINT -> {
                        if (!several) cpu.resync(icount, c.i64(CHECKPOINT_CYCLES));
                    }
                    // a CPU off runs again only after a CPU_ON, and its first slice is where it starts
                    case SLICE -> {
                        if (!cpu.on) cpu.powerOn(ns, icount, own);
                    }
                    case END -> {
                        if (several) {
                            ns = Math.max(ns, lineNs); // after the console lines, on whatever CPU's clock they were
                            endNsSeen = ns;
                            endReason = c.u8(END_REASON);
                        }
                        if (inWindow(icount)) w.instant(CONSOLE, ns, "end: " + EventCodes.EXIT_KIND.nameOf(c.u8(END_REASON)), true, args.clear().num("icount", icount));
                    }
                    default -> { }
                }
            }
            console.finish();
            long endIcount = cut ? to : lastIcount;
            long endNs = !cut && endNsSeen >= 0 ? endNsSeen : clock0(endIcount);
            for (CpuState cpu : cpus) {
                if (!several) {
                    cpu.settleSleep(endIcount);
                    if (!cpu.windowOpen && from <= endIcount) cpu.openWindow(cpu.ns(from));
                    cpu.close(cpu.ns(Math.max(endIcount, cpu.lastIcount)));
                    continue;
                }
                // a CPU_SUSPEND that no slice ended: the CPU sleeps to the end
                if (!cpu.asleep || cpu.sleepEndCycles >= 0) cpu.settleSleep(cpu.lastIcount);
                if (!cpu.on) {
                    if (!cpu.windowOpen && from <= endIcount) cpu.openWindow(windowStartNs >= 0 ? Math.min(windowStartNs, endNs) : endNs);
                    cpu.close(Math.max(endNs, cpu.offNs));
                    continue;
                }
                if (!cpu.windowOpen && cpu.sliceIcount >= 0 && from <= endIcount) cpu.openWindow(cpu.nsAtGlobal(from));
                long last = cpu.ns(cpu.lastIcount);
                long cpuEnd = cut ? Math.max(last, cpu.nsAtGlobal(to)) : Math.max(last, endNs);
                if (!cut && cpu.windowOpen && (endReason == ExitKind.SHUTDOWN.code || endReason == ExitKind.RESET.code)) {
                    // the machine powered off (or reset) with this CPU on
                    w.instant(cpu.track(TrackKind.EXITS), cpuEnd, endReason == ExitKind.SHUTDOWN.code ? "power off" : "reset", true,
                            args.clear().num("global_icount", endIcount));
                }
                cpu.close(cpuEnd);
            }
            if (from <= endIcount) stagesUpTo(endIcount);
            while (!openStages.isEmpty()) {
                openStages.remove(openStages.size() - 1);
                w.end(STAGES, Math.max(endNs, lastStageNs));
            }
            for (int k = 0; k < 2; k++) flushRate(k);
            return read;
        }

        /**
         * A PSCI call: an instant named by the function on the caller's exits track; CPU_SUSPEND sleeps
         * (a "suspended" slice), CPU_OFF turns the caller off (several CPUs; one CPU's run ends there),
         * and a successful CPU_ON is remembered for the target's power-on, at its next slice.
         */
        private void psci(EventCursor c, CpuState cpu, long ns, long icount, long own) {
            int function = c.u8(PSCI_FUNCTION), target = c.i32(PSCI_TARGET), wake = c.u8(PSCI_WAKE);
            long result = c.i64(PSCI_RESULT), cycles = c.i64(PSCI_WAKE_CYCLES), pc = c.i64(PSCI_PC);
            if (inWindow(icount) && cpu.windowOpen) {
                args.clear().hex("function_id", c.i64(PSCI_ID)).num("target", target).num("result", result).hex("pc", pc).num("icount", own);
                if (function == TraceSink.PSCI_CPU_SUSPEND) args.text("wake", EventCodes.PSCI_WAKE.nameOf(wake)).num("wake_cycles", cycles);
                w.instant(cpu.track(TrackKind.EXITS), ns, "PSCI " + EventCodes.PSCI_FUNCTION.nameOf(function), true, args);
            }
            if (function == TraceSink.PSCI_CPU_ON && result == 0 && target >= 0 && target < cpus.size()) {
                CpuState t = cpus.get(target);
                t.onBy = cpu.n;
                t.onCallIcount = icount;
            } else if (function == TraceSink.PSCI_CPU_SUSPEND && wake != TraceSink.PSCI_WAKE_NONE) {
                cpu.suspend(ns, icount, own, wake, cycles);
            } else if (function == TraceSink.PSCI_CPU_OFF && several) {
                cpu.powerOff(ns, icount, own, pc);
            }
        }

        private CpuState cpu(int n) {
            while (cpus.size() <= n) {
                CpuState s = new CpuState(cpus.size());
                cpus.add(s);
            }
            return cpus.get(n);
        }

        /** Opens and closes stage slices up to this icount, cut to the window. */
        private void stagesUpTo(long icount) {
            closeStagesEndingBy(icount);
            while (nextStage < stages.size() && stages.get(nextStage).fromIcount() <= icount) {
                Stage s = stages.get(nextStage++);
                if (s.toIcount() <= from || s.fromIcount() > to || s.toIcount() <= s.fromIcount()) continue;
                closeStagesEndingBy(s.fromIcount());
                // A stage that does not nest in the open one is cut at the open one's end.
                long end = openStages.isEmpty() ? s.toIcount() : Math.min(s.toIcount(), openStages.get(openStages.size() - 1).toIcount());
                Stage drawn = new Stage(s.name(), s.fromIcount(), end);
                openStages.add(drawn);
                w.begin(STAGES, clock0(Math.max(from, s.fromIcount())), s.name(),
                        args.clear().num("from_icount", s.fromIcount()).num("to_icount", s.toIcount()));
                closeStagesEndingBy(icount);
            }
        }

        private void closeStagesEndingBy(long icount) {
            while (!openStages.isEmpty() && openStages.get(openStages.size() - 1).toIcount() <= icount) {
                Stage s = openStages.remove(openStages.size() - 1);
                w.end(STAGES, clock0(Math.min(to, s.toIcount())));
            }
        }

        /** Counts an interrupt (k = 0) or exception (k = 1) at icount (the machine's) and cycles (its CPU's) in its virtual millisecond. */
        private void rate(int k, long icount, long cycles) {
            if (!inWindow(icount)) return;
            // several CPUs' clocks differ by up to a quantum: a counter never goes back to an earlier bucket
            long bucket = Math.max(cycles / CYCLES_PER_MS, rateBucket[k]);
            if (bucket != rateBucket[k]) {
                flushRate(k);
                if (rateBucket[k] >= 0 && bucket > rateBucket[k] + 1) {
                    // The counter holds its value: a quiet stretch needs one zero where it starts.
                    w.counter(k == 0 ? IRQ_RATE : EXC_RATE, (rateBucket[k] + 1) * CYCLES_PER_MS * NS_PER_CYCLE, 0);
                }
                rateBucket[k] = bucket;
            }
            rateCount[k]++;
        }

        private void flushRate(int k) {
            if (rateBucket[k] < 0 || rateCount[k] == 0) return;
            w.counter(k == 0 ? IRQ_RATE : EXC_RATE, rateBucket[k] * CYCLES_PER_MS * NS_PER_CYCLE, rateCount[k]);
            rateCount[k] = 0;
        }

        enum TrackKind { EL, HANDLERS, EXITS, MMIO }

        /** One CPU: its clock (sleeps so far), exception level and open handlers. */
        final class CpuState {
            final int n;
            final long base;
            /** Cycles slept before the current event (cycles = icount + sleptBefore). */
            long slept;
            /** A WFI sleep that ends at sleepEndCycles, still to be closed on the EL track. */
            boolean asleep;
            long sleepEndCycles;
            /** Its own icount at the latest event (of its own). */
            long lastIcount;
            /** Several CPUs: its current slice's own icount and the machine's at its start (-1: none yet). */
            long sliceIcount = -1, sliceTotal;
            /** Powered on: CPU 0 from the start, another from its first slice after a CPU_ON until a CPU_OFF. */
            boolean on;
            /** Where its latest "off" slice began (it powered off, or the window started with it off). */
            long offNs;
            /** In a CPU_SUSPEND that outlasted its slice, until its next slice (drawn or not: a window may open in it). */
            boolean suspendedToNextSlice;
            /** The CPU whose CPU_ON powers it on next, and that call's global icount (-1: none seen). */
            int onBy = -1;
            long onCallIcount = -1;
            int el = 1;
            boolean windowOpen;
            final List<String> handlerNames = new ArrayList<>();
            int handlersDrawn;

            CpuState(int n) {
                this.n = n;
                this.on = n == 0 || !several;
                this.base = 16 + n * TRACKS_PER_CPU;
                w.group(base, "CPU " + n);
                w.track(track(TrackKind.EL), base, "CPU " + n + " exception level", false);
                w.track(track(TrackKind.HANDLERS), base, "CPU " + n + " handlers", false);
                w.track(track(TrackKind.EXITS), base, "CPU " + n + " exits", false);
                w.track(track(TrackKind.MMIO), base, "CPU " + n + " MMIO", false);
            }

            long track(TrackKind k) {
                return base + 1 + k.ordinal();
            }

            long cycles(long icount) {
                return icount + slept;
            }

            long ns(long icount) {
                return cycles(icount) * NS_PER_CYCLE;
            }

            /** A slice starts: the CPU's own icount, its cycles (which count any idle time since its last slice) and the machine's icount. */
            void slice(long icount, long cycles, long total) {
                sliceIcount = icount;
                sliceTotal = total;
                slept = cycles - icount;
            }

            /** The machine's icount at this CPU's own icount (in its current slice). */
            long global(long icount) {
                return sliceIcount < 0 ? icount : sliceTotal + (icount - sliceIcount);
            }

            /** This CPU's virtual time at a global icount, in its current slice (its start, for an icount before it). */
            long nsAtGlobal(long icount) {
                return sliceIcount < 0 ? ns(icount) : ns(sliceIcount + Math.max(0, icount - sliceTotal));
            }

            /** Its first slice after a CPU_ON, at ns (the global icount; own: its own): "off" ends, EL1 begins. */
            void powerOn(long ns, long icount, long own) {
                on = true;
                el = 1;
                handlerNames.clear();
                if (!windowOpen) return;
                long at = Math.max(ns, offNs); // the clocks of CPUs differ by up to a quantum: never back in time
                w.end(track(TrackKind.EL), at);
                if (inWindow(icount)) {
                    args.clear().num("icount", own).num("global_icount", icount);
                    if (onBy >= 0) args.num("by_cpu", onBy).num("cpu_on_global_icount", onCallIcount);
                    w.instant(track(TrackKind.EXITS), at, "power on", true, args);
                }
                w.begin(track(TrackKind.EL), at, "EL1", Args.NONE);
                handlersDrawn = 0;
                onBy = -1;
            }

            /** Its CPU_OFF at ns (the global icount; own: its own): its handlers and exception level end, "off" begins. */
            void powerOff(long ns, long icount, long own, long pc) {
                on = false;
                offNs = ns;
                handlerNames.clear();
                if (!windowOpen) return;
                endDrawn(ns);
                if (inWindow(icount)) w.instant(track(TrackKind.EXITS), ns, "power off", true, args.clear().hex("pc", pc).num("icount", own).num("global_icount", icount));
                w.begin(track(TrackKind.EL), ns, "off", Args.NONE);
            }

            /**
             * A CPU_SUSPEND at ns: a standby until wakeCycles, or (wake = later) until the CPU's next slice
             * (or the end of the run, if no slice comes). Nested in EL1 as a WFI sleep is.
             */
            void suspend(long ns, long icount, long own, int wake, long wakeCycles) {
                boolean later = wake == TraceSink.PSCI_WAKE_LATER;
                suspendedToNextSlice = later;
                long cycles = later ? 0 : wakeCycles - cycles(own);
                if (!later && cycles <= 0) return;
                if (windowOpen && inWindow(icount)) {
                    args.clear().text("wake", later ? "at its next slice (still asleep when its slice ended)" : EventCodes.PSCI_WAKE.nameOf(wake)).num("icount", own);
                    if (!later) args.num("cycles", cycles).num("wake_cycles", wakeCycles);
                    w.begin(track(TrackKind.EL), ns, "suspended", args);
                    asleep = true;
                    sleepEndCycles = later ? -1 : wakeCycles;
                }
                slept += cycles;
            }

            void openWindow(long ns) {
                windowOpen = true;
                if (!on) {
                    offNs = ns;
                    w.begin(track(TrackKind.EL), ns, "off", Args.NONE);
                    return;
                }
                w.begin(track(TrackKind.EL), ns, "EL" + el, Args.NONE);
                for (String h : handlerNames) w.begin(track(TrackKind.HANDLERS), ns, h, Args.NONE);
                handlersDrawn = handlerNames.size();
                if (suspendedToNextSlice) {
                    w.begin(track(TrackKind.EL), ns, "suspended", args.clear().text("wake", "at its next slice (still asleep when its slice ended)"));
                    asleep = true;
                    sleepEndCycles = -1;
                }
            }

            /** Ends a WFI or CPU_SUSPEND sleep before the first event after it (at that event, if the sleep's end was not known). */
            void settleSleep(long icount) {
                lastIcount = Math.max(lastIcount, icount);
                if (!asleep) return;
                asleep = false;
                if (windowOpen) w.end(track(TrackKind.EL), sleepEndCycles >= 0 ? sleepEndCycles * NS_PER_CYCLE : ns(icount));
            }

            /** A WFI at the machine's icount (own: its own) slept cycles. */
            void sleep(long ns, long icount, long own, long cycles) {
                if (cycles <= 0) return;
                if (windowOpen && inWindow(icount)) {
                    w.begin(track(TrackKind.EL), ns, "WFI", args.clear().num("cycles", cycles));
                    asleep = true;
                    sleepEndCycles = cycles(own) + cycles;
                }
                slept += cycles;
            }

            /** A checkpoint knows the cycles exactly: a sleep the events did not report would be caught up here (WFI exits and PSCI events report them all). */
            void resync(long icount, long cycles) {
                if (cycles - icount > slept) slept = cycles - icount;
            }

            void enter(long ns, long icount, String name, int toEl, Args a) {
                setEl(ns, toEl);
                handlerNames.add(name);
                if (windowOpen) {
                    w.begin(track(TrackKind.HANDLERS), ns, name, a);
                    handlersDrawn++;
                }
            }

            void eret(long ns, int toEl) {
                int keep = toEl == 0 ? 0 : Math.max(0, handlerNames.size() - 1);
                while (handlerNames.size() > keep) {
                    handlerNames.remove(handlerNames.size() - 1);
                    if (windowOpen && handlersDrawn > handlerNames.size()) {
                        w.end(track(TrackKind.HANDLERS), ns);
                        handlersDrawn--;
                    }
                }
                setEl(ns, toEl);
            }

            private void setEl(long ns, int newEl) {
                if (newEl == el) return;
                el = newEl;
                if (windowOpen) {
                    w.end(track(TrackKind.EL), ns);
                    w.begin(track(TrackKind.EL), ns, "EL" + el, Args.NONE);
                }
            }

            void close(long ns) {
                if (!windowOpen) return;
                endDrawn(ns);
                windowOpen = false;
            }

            /** Ends at ns what is open on its tracks: a sleep no event ended, the handlers, the exception level (or "off"). */
            private void endDrawn(long ns) {
                if (asleep) {
                    asleep = false;
                    w.end(track(TrackKind.EL), ns);
                }
                while (handlersDrawn > 0) {
                    w.end(track(TrackKind.HANDLERS), ns);
                    handlersDrawn--;
                }
                w.end(track(TrackKind.EL), ns);
            }
        }
    }
}
