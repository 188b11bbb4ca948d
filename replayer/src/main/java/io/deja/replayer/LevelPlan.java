package io.deja.replayer;

import io.deja.core.trace.TraceLevel;

import java.util.ArrayList;
import java.util.List;

/**
 * The trace level the replaying machine must run at, instruction by
 * instruction: the recording's level inside its window (the whole run for an
 * ordinary recording), a re-trace's level inside the re-traced window, and
 * events level elsewhere, so that the cheap parts of a run stay cheap.
 */
final class LevelPlan {
    private record Window(TraceLevel level, long from, long to) {}

    private final List<Window> windows = new ArrayList<>();

    LevelPlan add(TraceLevel level, long from, long to) {
        if (level != TraceLevel.EVENTS && to >= from) windows.add(new Window(level, from, to));
        return this;
    }

    TraceLevel at(long icount) {
        TraceLevel l = TraceLevel.EVENTS;
        for (Window w : windows) {
            if (icount >= w.from && icount <= w.to && w.level.atLeast(l)) l = w.level;
        }
        return l;
    }

    /** The first icount after this one where the level may change (Long.MAX_VALUE if none). */
    long nextChange(long icount) {
        long next = Long.MAX_VALUE;
        for (Window w : windows) {
            if (w.from > icount) next = Math.min(next, w.from);
            if (w.to != Long.MAX_VALUE && w.to + 1 > icount) next = Math.min(next, w.to + 1);
        }
        return next;
    }
}
