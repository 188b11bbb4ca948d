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
 */
public final class StageTracker {
    /** The events stages are found in (a cursor filtered to these reads less). */
    public static final Set<EventType> TYPES = EnumSet.of(EventType.CONSOLE, EventType.INTERRUPT, EventType.EXCEPTION,
            EventType.EXIT, EventType.CHECKPOINT, EventType.END);

    private final StageFile file;
    private final List<StageFile.Stage> stages;
    private final long[] icount;
    private final long[] index;
    private final String[] detail;
    private int left;

    private final ConsoleLines console = new ConsoleLines(this::line);
    private long lineStart;
    private long events;
    private long lastIcount;
    private boolean ended;

    /** Event index, icount and cycles of each checkpoint (and of the END event and WFI exits: their cycles are known too). */
    private long[] cpIndex = new long[16], cpIcount = new long[16], cpCycles = new long[16];
    private int checkpoints;
    /** Event indices of the exits a CPU may sleep at (WFI, WFE, and PSCI calls over HVC or SMC). */
    private long[] sleeps = new long[16];
    private int sleepCount;
    private boolean lastSleepWasCall;

    public StageTracker(StageFile file) {
        this.file = file;
        this.stages = file.stages();
        int n = stages.size();
        icount = new long[n];
        index = new long[n];
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

    public void add(EventCursor c) {
        long i = events++;
        long ic = c.icount();
        if (ic > lastIcount) lastIcount = ic;
        switch (c.type()) {
            case CONSOLE -> {
                if (console.atLineStart()) lineStart = i;
                console.add(ic, c.u8(1));
            }
            case INTERRUPT -> {
                if (left == 0) return;
                int intid = c.i32(2);
                for (int s = 0; s < stages.size(); s++) {
                    if (icount[s] < 0 && stages.get(s).milestone() instanceof Milestone.Interrupt m && m.matches(intid)) {
                        reach(s, ic, i, (c.bool(3) ? "FIQ" : "IRQ") + " INTID " + intid + " at pc 0x" + Long.toHexString(c.i64(1))
                                + " from EL" + c.u8(4));
                    }
                }
            }
            case EXCEPTION -> {
                if (left == 0) return;
                int ec = c.u8(2), from = c.u8(5), to = c.u8(6);
                for (int s = 0; s < stages.size(); s++) {
                    if (icount[s] < 0 && stages.get(s).milestone() instanceof Milestone.ExceptionTaken m && m.matches(from, to, ec)) {
                        reach(s, ic, i, ExceptionClass.name(ec) + " (EC 0x" + Integer.toHexString(ec) + ") at pc 0x"
                                + Long.toHexString(c.i64(1)) + " from EL" + from + " to EL" + to);
                    }
                }
            }
            case EXIT -> {
                int kind = c.u8(2);
                if (kind == ExitKind.WFI.code || kind == ExitKind.WFE.code || kind == ExitKind.HVC.code || kind == ExitKind.SMC.code) {
                    if (sleepCount == sleeps.length) sleeps = Arrays.copyOf(sleeps, sleepCount * 2);
                    sleeps[sleepCount++] = i;
                    lastSleepWasCall = kind == ExitKind.HVC.code || kind == ExitKind.SMC.code;
                    // A WFI exit carries the virtual time its sleep ended: an anchor like a checkpoint,
                    // for the events after it (the sleep itself lies at it, see sleepBetween).
                    if (kind == ExitKind.WFI.code) checkpoint(i, ic, c.i64(3));
                } else if (isFinal(kind) && lastSleepWasCall && sleepCount > 0 && sleeps[sleepCount - 1] == i - 1) {
                    sleepCount--; // the PSCI call that stopped the machine (SYSTEM_OFF, SYSTEM_RESET, CPU_OFF), not a suspend
                }
                if (left == 0) return;
                for (int s = 0; s < stages.size(); s++) {
                    if (icount[s] < 0 && stages.get(s).milestone() instanceof Milestone.Exit m && m.kind() == kind) {
                        reach(s, ic, i, Names.exitKind(kind) + " exit at pc 0x" + Long.toHexString(c.i64(1)));
                    }
                }
            }
            case CHECKPOINT -> checkpoint(i, ic, c.i64(1));
            case END -> {
                ended = true;
                int reason = c.u8(2);
                checkpoint(i, ic, c.i64(1));
                for (int s = 0; s < stages.size(); s++) {
                    if (icount[s] < 0 && stages.get(s).milestone() instanceof Milestone.End m && (m.reason() == Milestone.ANY || m.reason() == reason)) {
                        reach(s, ic, i, "run ended: " + Names.stopReason(reason));
                    }
                }
            }
            default -> { }
        }
    }

    private static boolean isFinal(int kind) {
        return kind == ExitKind.SHUTDOWN.code || kind == ExitKind.RESET.code || kind == ExitKind.CPU_OFF.code;
    }

    private void checkpoint(long i, long ic, long cycles) {
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
            if (match) reach(s, first, lineStart, text);
        }
    }

    private void reach(int s, long ic, long i, String what) {
        icount[s] = ic;
        index[s] = i;
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
            reached.add(new StageRun.Reached(stages.get(s), icount[s], time(index[s], icount[s]), icount[s] - previous, detail[s]));
            previous = icount[s];
        }
        return new StageRun(recording, file, lastIcount, time(events, lastIcount), truncated || !ended, reached, missing);
    }

    /** Virtual time at event i (icount ic): see {@link StageRun.Time}. */
    private StageRun.Time time(long i, long ic) {
        int before = lastBefore(i); // the checkpoint before i, or -1 (the start: cycles 0 at icount 0)
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

    /** The last checkpoint whose event index is below i, or -1. */
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
