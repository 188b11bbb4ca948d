package io.deja.analysis.diff;

import io.deja.analysis.export.ConsoleLines;
import io.deja.analysis.schema.Names;
import io.deja.analysis.stages.StageFile;
import io.deja.analysis.stages.StageTracker;
import io.deja.core.cpu.ExceptionClass;
import io.deja.recorder.EventCursor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What diff needs of one recording, gathered in one pass: counts by kind (in
 * all and by CPU), console lines, checkpoints, stages, the end, and where each
 * CPU's slices fall on the machine's time line.
 */
final class RunSummary {
    record Line(int number, long icount, String text) {}

    record Checkpoint(long icount, long cpuHash, long ramHash, long deviceHash, byte[] regs) {}

    final Map<String, Long> exits = new TreeMap<>();
    final Map<String, Long> interrupts = new TreeMap<>();
    final Map<String, Long> exceptions = new TreeMap<>();
    final List<Line> lines = new ArrayList<>();
    final List<Checkpoint> checkpoints = new ArrayList<>();
    final StageTracker stages;
    /** By CPU (index): instructions, slices, exits, interrupts and exceptions. */
    final List<long[]> cpus = new ArrayList<>();
    static final String[] CPU_KINDS = {"instructions", "slices", "exits", "interrupts", "exceptions"};
    private static final int INSNS = 0, SLICES = 1, EXITS = 2, INTERRUPTS = 3, EXCEPTIONS = 4;
    /** Each CPU's current slice: its own icount and the machine's at the slice's start (-1: none yet). */
    private final List<long[]> slice = new ArrayList<>();
    /** The CPU of the latest slice, whose end the next slice (or the end of the run) tells. */
    private int lastSliceCpu = -1;
    private final ConsoleLines console = new ConsoleLines((n, icount, end, text) -> lines.add(new Line(n, icount, text)));
    long events;

    RunSummary(StageFile stageFile) {
        stages = new StageTracker(stageFile);
    }

    long lastIcount;
    boolean ended;
    boolean truncated;

    void add(EventCursor c) {
        events++;
        long icount = c.icount();
        stages.add(c);
        if (icount > lastIcount) lastIcount = icount;
        int cpu = c.cpu();
        long[] counts = cpu(cpu);
        if (!machineWide(c.type()) && icount > counts[INSNS]) counts[INSNS] = icount;
        switch (c.type()) {
            case EXIT -> {
                exits.merge(Names.exitKind(c.u8(2)), 1L, Long::sum);
                counts[EXITS]++;
            }
            case INTERRUPT -> {
                interrupts.merge((c.bool(3) ? "FIQ " : "IRQ ") + "INTID " + c.i32(2), 1L, Long::sum);
                counts[INTERRUPTS]++;
            }
            case EXCEPTION -> {
                exceptions.merge(ExceptionClass.name(c.u8(2)), 1L, Long::sum);
                counts[EXCEPTIONS]++;
            }
            case CONSOLE -> console.add(icount, c.u8(1));
            case CHECKPOINT -> checkpoints.add(new Checkpoint(icount, c.i64(2), c.i64(3), c.i64(4), c.bytes(5)));
            case SLICE -> {
                long total = c.i64(2);
                endSlice(total);
                slice.get(cpu)[0] = icount;
                slice.get(cpu)[1] = total;
                lastSliceCpu = cpu;
                counts[SLICES]++;
            }
            case END -> {
                ended = true;
                endSlice(icount);
            }
            default -> { }
        }
    }

    /**
     * Whether events of this type count the machine's instructions (all CPUs'),
     * not their CPU's own: checkpoints, inputs (a debugger's writes too) and the end.
     */
    static boolean machineWide(io.deja.core.trace.EventType t) {
        return t == io.deja.core.trace.EventType.CHECKPOINT || t == io.deja.core.trace.EventType.INPUT
                || t == io.deja.core.trace.EventType.DEBUG_WRITE || t == io.deja.core.trace.EventType.END;
    }

    /** The latest slice ended where the machine had retired total instructions: its CPU had retired its share. */
    private void endSlice(long total) {
        if (lastSliceCpu < 0) return;
        long[] s = slice.get(lastSliceCpu);
        long[] counts = cpus.get(lastSliceCpu);
        counts[INSNS] = Math.max(counts[INSNS], s[0] + (total - s[1]));
    }

    private long[] cpu(int n) {
        while (cpus.size() <= n) {
            cpus.add(new long[CPU_KINDS.length]);
            slice.add(new long[] {-1, -1});
        }
        return cpus.get(n);
    }

    /**
     * Where an event of type t on cpu at icount comes on the machine's time
     * line, from the slices read so far (as the standard library's
     * global_icount): machine-wide events and runs without slices (one CPU)
     * already count that way.
     */
    long global(io.deja.core.trace.EventType t, int cpu, long icount) {
        if (machineWide(t) || cpu >= slice.size() || slice.get(cpu)[0] < 0) return icount;
        long[] s = slice.get(cpu);
        return s[1] + (icount - s[0]);
    }

    void finish(EventCursor c) {
        console.finish();
        truncated = c.truncated();
    }

    /** The first checkpoint at or after icount, or the last one if none is; null if there are none. */
    Checkpoint checkpointFrom(long icount) {
        for (Checkpoint cp : checkpoints) {
            if (cp.icount() >= icount) return cp;
        }
        return checkpoints.isEmpty() ? null : checkpoints.getLast();
    }
}
