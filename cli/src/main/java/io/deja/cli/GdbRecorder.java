package io.deja.cli;

import io.deja.core.vm.ExitKind;
import io.deja.gdb.GdbServer;
import io.deja.gdb.TimelineTarget;
import io.deja.recorder.Recorder;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Records the run gdb drives with a machine of its own that follows it: after
 * each of gdb's resumes it runs on to the furthest point the debugged run has
 * reached. Both are the same deterministic run (same machine, chaos seed and
 * input, nothing delivered later), so the recording is the one deja record
 * makes without gdb, cut where the session leaves it; forward running costs
 * twice the CPU, going back costs the recorder nothing. A write from gdb
 * changes the debugged run: the recording keeps the history before it.
 * deja record --gdb records from the start this way, and deja run --gdb's
 * monitor record DIR too (it catches up on the history first: a recording
 * replays from the machine its header describes, so it always starts at
 * icount 0).
 */
final class GdbRecorder implements TimelineTarget.HistoryListener {
    private final Recorder recorder;
    private final long budget;
    private final PrintWriter err;
    /** Why the recorder's run ended, if it has (null: it follows the debugged run). */
    private ExitKind ended;
    private boolean changed;

    /** recorder: started; budget: the run's instruction budget. */
    GdbRecorder(Recorder recorder, long budget, PrintWriter err) {
        this.recorder = recorder;
        this.budget = budget;
        this.err = err;
    }

    Recorder recorder() {
        return recorder;
    }

    /** Whether a write from gdb changed the debugged run (the recording stopped following it there). */
    boolean changed() {
        return changed;
    }

    @Override
    public void reached(long icount) {
        if (ended != null || changed) return;
        ExitKind why = recorder.runTo(icount);
        if (why != ExitKind.BUDGET || recorder.machine().instructions() >= budget) ended = why;
    }

    @Override
    public void changed(long icount) {
        if (changed || ended != null) return;
        changed = true;
        err.printf(Locale.ROOT, "gdb: the write at icount %,d changes the run: the recording keeps its history before it, to icount %,d%n",
                icount, recorder.machine().instructions());
        err.flush();
    }

    /**
     * Ends the recording when the session has: where the recorder's run ended
     * if it has; where the run had been if gdb killed it or a write changed it;
     * else (detached, or the debugged run ended) at the end of the run.
     */
    Recorder.Result finish(GdbServer.Outcome outcome) {
        if (ended != null) return recorder.finish(ended);
        if (outcome == GdbServer.Outcome.KILLED || changed) return recorder.finish(ExitKind.CANCELLED);
        return recorder.finish(recorder.runToTheEnd());
    }
}
