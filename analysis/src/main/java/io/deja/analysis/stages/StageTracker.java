package io.deja.analysis.stages;

import io.deja.analysis.AnalysisException;
import io.deja.analysis.export.ConsoleLines;
import io.deja.analysis.schema.Names;
import io.deja.core.cpu.ExceptionClass;
import io.deja.core.trace.EventType;
import io.deja.core.vm.ExitKind;
import io.deja.recorder.EventCursor;
import io.deja.recorder.Recording;
import io.deja.recorder.RecordingException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the stages of a stage file in one pass over a recording's events:
 * console bytes assembled into lines, interrupts, exceptions, exits and the
 * end, plus the checkpoints and possible sleeps that place each stage in
 * virtual time. Feed it every event of {@link #TYPES} in order (other events
 * are ignored), then {@link #finish}.
 *
 * <p>With several CPUs every event carries its CPU's own icount and each CPU
 * has its own virtual time. Stages are then ordered and measured on the
 * machine's clock: the global icount (the slices map a CPU's icount onto the
 * instructions all CPUs retired, as the standard library's global_icount),
 * and the virtual time of the CPU that reached the stage, anchored at its
 * slices (each names the CPU's cycles) and WFI exits.
 */
public final class StageTracker {
    /** The events stages are found in (a cursor filtered to these reads less). */
    public static final Set<EventType> TYPES = EnumSet.of(EventType.CONSOLE, EventType.INTERRUPT, EventType.EXCEPTION,
            EventType.EXIT, EventType.CHECKPOINT, EventType.SLICE, EventType.END);

    private final StageFile file;
    private final List<StageFile.Stage> stages;
    private final long[] icount;
    private final long[] index;
    private final int[] cpu;
    private final long[] cpuIcount;
    private final String[] detail;
    private int left;

    private final ConsoleLines console = new ConsoleLines(this::line);
    private long lineStart;
    private int lineCpu;
    private long lineCpuIcount;
    private long events;
    private long lastIcount;
    private boolean ended;
    /** Whether the run has slices: several CPUs, whose icounts are their own. */
    private boolean severalCpus;
    private int cpus = 1;
    private long endCycles = -1;
    /** The CPU of the latest slice (several CPUs). */
    private int latestSlice = -1;

    /** Per CPU: its virtual time's anchors and possible sleeps, and its current slice. */
    private final List<Clock> clocks = new ArrayList<>();

    public StageTracker(StageFile file) {
        this.file = file;
        this.stages = file.stages();
        int n = stages.size();
        icount = new long[n];
        index = new long[n];
        cpu = new int[n];
        cpuIcount = new long[n];
        detail = new String[n];
        Arrays.fill(icount, -1);
        left = n;
    }

    /** The stages of file in the recording in dir, read straight from its events. */
    public static StageRun of(Path dir, StageFile file) {
        try (Recording r = Recording.open(dir); EventCursor c = r.events(Long.MIN_VALUE, TYPES)) {
            StageTracker t = new StageTracker(file);
            while (c.next()) t.add(c);
            return t.finish(dir.toString(), c.truncated());
        } catch (RecordingException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
    }

    private Clock clock(int n) {
        while (clocks.size() <= n) clocks.add(new Clock());
        return clocks.get(n);
    }

    public void add(EventCursor c) {
        long i = events++;
        long ic = c.icount();
        EventType type = c.type();
        // Checkpoints, inputs and the end count the machine's instructions (all CPUs'), not their CPU's own.
        boolean machineWide = type == EventType.CHECKPOINT || type == EventType.END || type == EventType.INPUT;
        int n = machineWide ? 0 : c.cpu();
        Clock k = clock(n);
        if (n >= cpus) cpus = n + 1;
        if (type == EventType.SLICE) {
            severalCpus = true;
            latestSlice = n;
            k.sliceIcount = ic;
            k.sliceTotal = c.i64(2);
            k.anchor(i, ic, c.i64(1));
        }
        long g = machineWide ? ic : k.global(ic);
        if (g > lastIcount) lastIcount = g;
        if ((!machineWide || !severalCpus) && ic > k.lastIcount) k.lastIcount = ic;
        switch (type) {
            case CONSOLE -> {
                if (console.atLineStart()) {
                    lineStart = i;
                    lineCpu = n;
                    lineCpuIcount = ic;
                }
                console.add(g, c.u8(1));
            }
            case INTERRUPT -> {
                if (left == 0) return;
                int intid = c.i32(2);
                for (int s = 0; s < stages.size(); s++) {
                    if (icount[s] < 0 && stages.get(s).milestone() instanceof Milestone.Interrupt m && m.matches(intid)) {
                        reach(s, g, i, n, ic, (c.bool(3) ? "FIQ" : "IRQ") + " INTID " + intid + " at pc 0x" + Long.toHexString(c.i64(1))
                                + " from EL" + c.u8(4));
                    }
                }
            }
            case EXCEPTION -> {
                if (left == 0) return;
                int ec = c.u8(2), from = c.u8(5), to = c.u8(6);
                for (int s = 0; s < stages.size(); s++) {
                    if (icount[s] < 0 && stages.get(s).milestone() instanceof Milestone.ExceptionTaken m && m.matches(from, to, ec)) {
                        reach(s, g, i, n, ic, ExceptionClass.name(ec) + " (EC 0x" + Integer.toHexString(ec) + ") at pc 0x"
                                + Long.toHexString(c.i64(1)) + " from EL" + from + " to EL" + to);
                    }
                }
            }
            case EXIT -> {
                int kind = c.u8(2);
                if (kind == ExitKind.WFI.code || kind == ExitKind.WFE.code || kind == ExitKind.HVC.code || kind == ExitKind.SMC.code) {
                    k.sleep(i, kind == ExitKind.HVC.code || kind == ExitKind.SMC.code);
                    // A WFI exit carries the virtual time its sleep ended: an anchor like a checkpoint,
                    // for the events after it (the sleep itself lies at it, see sleepBetween).
                    if (kind == ExitKind.WFI.code) k.anchor(i, ic, c.i64(3));
                } else if (isFinal(kind)) {
                    k.finalCall(i); // the PSCI call that stopped the machine (SYSTEM_OFF, SYSTEM_RESET, CPU_OFF), not a suspend
                }
                if (left == 0) return;
                for (int s = 0; s < stages.size(); s++) {
                    if (icount[s] < 0 && stages.get(s).milestone() instanceof Milestone.Exit m && m.kind() == kind) {
                        reach(s, g, i, n, ic, Names.exitKind(kind) + " exit at pc 0x" + Long.toHexString(c.i64(1)));
                    }
                }
            }
            // With several CPUs a checkpoint holds the machine's icount and CPU 0's cycles: no anchor for any one CPU
            // (the slices are). Before the first slice only CPU 0 has run, and the two agree.
            case CHECKPOINT -> {
                if (!severalCpus) k.anchor(i, ic, c.i64(1));
            }
            case END -> {
                ended = true;
                int reason = c.u8(2);
                endCycles = c.i64(1);
                if (!severalCpus) {
                    k.anchor(i, ic, endCycles);
                } else if (latestSlice == 0) {
                    // the cycles are CPU 0's: an anchor for it when the run ended in its slice (its own icount is known there)
                    k.anchor(i, k.sliceIcount + (ic - k.sliceTotal), endCycles);
                }
                for (int s = 0; s < stages.size(); s++) {
                    if (icount[s] < 0 && stages.get(s).milestone() instanceof Milestone.End m && (m.reason() == Milestone.ANY || m.reason() == reason)) {
                        reach(s, g, i, severalCpus ? StageRun.Reached.MACHINE : 0, ic, "run ended: " + Names.stopReason(reason));
                    }
                }
            }
            default -> { }
        }
    }

    private static boolean isFinal(int kind) {
        return kind == ExitKind.SHUTDOWN.code || kind == ExitKind.RESET.code || kind == ExitKind.CPU_OFF.code;
    }

    private void line(int number, long first, long last, String text) {
        if (left == 0) return;
        for (int s = 0; s < stages.size(); s++) {
            if (icount[s] >= 0) continue;
            boolean match = switch (stages.get(s).milestone()) {
                case Milestone.ConsoleByte b -> true;
                case Milestone.ConsoleText t -> t.matches(text);
                case Milestone.ConsoleRegex r -> r.matches(text);
                default -> false;
            };
            if (match) reach(s, first, lineStart, lineCpu, lineCpuIcount, text);
        }
    }

    private void reach(int s, long ic, long i, int n, long own, String what) {
        icount[s] = ic;
        index[s] = i;
        cpu[s] = n;
        cpuIcount[s] = own;
        detail[s] = what;
        left--;
    }

    /** The stages found; truncated says whether the recording was cut short. */
    public StageRun finish(String recording, boolean truncated) {
        console.finish();
        List<Integer> order = new ArrayList<>();
        List<StageFile.Stage> missing = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            if (icount[s] >= 0) order.add(s); else missing.add(stages.get(s));
        }
        // by icount, then by event (a line's stages before the events during it), then the file's order
        order.sort((x, y) -> icount[x] != icount[y] ? Long.compare(icount[x], icount[y])
                : index[x] != index[y] ? Long.compare(index[x], index[y]) : Integer.compare(x, y));
        List<StageRun.Reached> reached = new ArrayList<>();
        long previous = 0;
        for (int s : order) {
            reached.add(new StageRun.Reached(stages.get(s), icount[s], time(cpu[s], index[s], cpuIcount[s]), icount[s] - previous, detail[s],
                    cpu[s], cpuIcount[s]));
            previous = icount[s];
        }
        StageRun.Time end = severalCpus && ended ? new StageRun.Time(endCycles, endCycles) : time(0, events, clock(0).lastIcount);
        return new StageRun(recording, file, lastIcount, end, truncated || !ended, reached, missing, cpus);
    }

    /** Virtual time of CPU n at event i (its icount ic): see {@link StageRun.Time}. */
    private StageRun.Time time(int n, long i, long ic) {
        if (n == StageRun.Reached.MACHINE) return new StageRun.Time(endCycles, endCycles);
        return clock(n).time(i, ic);
    }

    /**
     * One CPU's virtual time: cycles known exactly at anchors (checkpoints and
     * the end on one CPU, slices with several, WFI exits), one per instruction
     * between them unless the CPU may have slept (a WFE, HVC or SMC exit).
     */
    private static final class Clock {
        /** Event index, the CPU's icount and its cycles at each anchor. */
        long[] cpIndex = new long[16], cpIcount = new long[16], cpCycles = new long[16];
        int checkpoints;
        /** Event indices of the exits the CPU may sleep at (WFI, WFE, and PSCI calls over HVC or SMC). */
        long[] sleeps = new long[16];
        int sleepCount;
        boolean lastSleepWasCall;
        /** The CPU's current slice: its icount and the machine's at its start (-1: none yet, the icount is global). */
        long sliceIcount = -1, sliceTotal;
        long lastIcount;

        long global(long ic) {
            return sliceIcount < 0 ? ic : sliceTotal + (ic - sliceIcount);
        }

        void sleep(long i, boolean call) {
            if (sleepCount == sleeps.length) sleeps = Arrays.copyOf(sleeps, sleepCount * 2);
            sleeps[sleepCount++] = i;
            lastSleepWasCall = call;
        }

        /** A final exit (i) right after a PSCI call: that call stopped the CPU, it did not sleep. */
        void finalCall(long i) {
            if (lastSleepWasCall && sleepCount > 0 && sleeps[sleepCount - 1] == i - 1) sleepCount--;
        }

        void anchor(long i, long ic, long cycles) {
            if (checkpoints == cpIndex.length) {
                cpIndex = Arrays.copyOf(cpIndex, checkpoints * 2);
                cpIcount = Arrays.copyOf(cpIcount, checkpoints * 2);
                cpCycles = Arrays.copyOf(cpCycles, checkpoints * 2);
            }
            cpIndex[checkpoints] = i;
            cpIcount[checkpoints] = ic;
            cpCycles[checkpoints] = cycles;
            checkpoints++;
        }

        /** Virtual time at event i (icount ic): see {@link StageRun.Time}. */
        StageRun.Time time(long i, long ic) {
            int before = lastBefore(i); // the anchor before i, or -1 (the start: cycles 0 at icount 0)
            int after = before + 1 < checkpoints ? before + 1 : -1;
            if (after >= 0 && cpIndex[after] == i) return new StageRun.Time(cpCycles[after], cpCycles[after]);
            long lo = before < 0 ? 0 : cpCycles[before] - cpIcount[before];
            long fromIndex = before < 0 ? -1 : cpIndex[before];
            if (!sleepBetween(fromIndex, i)) return new StageRun.Time(ic + lo, ic + lo);
            if (after < 0) return new StageRun.Time(ic + lo, -1);
            long hi = cpCycles[after] - cpIcount[after];
            if (hi == lo || !sleepBetween(i, cpIndex[after])) return new StageRun.Time(ic + hi, ic + hi);
            return new StageRun.Time(ic + lo, ic + hi);
        }

        /** The last anchor whose event index is below i, or -1. */
        private int lastBefore(long i) {
            int lo = 0, hi = checkpoints - 1, found = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (cpIndex[mid] < i) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return found;
        }

        /**
         * Whether a possible sleep lies after event index from and at or before to
         * (a WFI exit is an anchor whose cycles are those after its own sleep).
         */
        private boolean sleepBetween(long from, long to) {
            int k = Arrays.binarySearch(sleeps, 0, sleepCount, from + 1);
            if (k < 0) k = -k - 1;
            return k < sleepCount && sleeps[k] <= to;
        }
    }
}
