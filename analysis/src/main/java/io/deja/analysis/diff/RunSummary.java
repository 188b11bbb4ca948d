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

/** What diff needs of one recording, gathered in one pass: counts by kind, console lines, checkpoints, stages, the end. */
final class RunSummary {
    record Line(int number, long icount, String text) {}

    record Checkpoint(long icount, long cpuHash, long ramHash, long deviceHash, byte[] regs) {}

    final Map<String, Long> exits = new TreeMap<>();
    final Map<String, Long> interrupts = new TreeMap<>();
    final Map<String, Long> exceptions = new TreeMap<>();
    final List<Line> lines = new ArrayList<>();
    final List<Checkpoint> checkpoints = new ArrayList<>();
    final StageTracker stages;
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
        switch (c.type()) {
            case EXIT -> exits.merge(Names.exitKind(c.u8(2)), 1L, Long::sum);
            case INTERRUPT -> interrupts.merge((c.bool(3) ? "FIQ " : "IRQ ") + "INTID " + c.i32(2), 1L, Long::sum);
            case EXCEPTION -> exceptions.merge(ExceptionClass.name(c.u8(2)), 1L, Long::sum);
            case CONSOLE -> console.add(icount, c.u8(1));
            case CHECKPOINT -> checkpoints.add(new Checkpoint(icount, c.i64(2), c.i64(3), c.i64(4), c.bytes(5)));
            case END -> ended = true;
            default -> { }
        }
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
