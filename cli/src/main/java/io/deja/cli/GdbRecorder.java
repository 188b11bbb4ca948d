package io.deja.cli;

import io.deja.core.vm.ExitKind;
import io.deja.gdb.DebugWrite;
import io.deja.gdb.GdbServer;
import io.deja.gdb.TimelineTarget;
import io.deja.recorder.Recorder;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Records the run gdb drives with a machine of its own that follows it: after
 * each of gdb's resumes it runs on to the furthest point the debugged run has
 * reached, and it makes each of gdb's writes where gdb made it, recorded as an
 * input (DEBUG_WRITE) that replay applies there again. Both machines run the
 * same deterministic run (same machine, chaos seed, inputs and writes), so the
 * recording is the run gdb made, cut where the session leaves it; forward
 * running costs twice the CPU, going back costs the recorder nothing.
 *
 * A recording replays from the machine its header describes, so it always
 * starts at icount 0: one started late (monitor record DIR) catches up first,
 * given what the debugged run received before ({@link #schedule}: a replay's
 * recorded inputs up to where it went live, and the writes since).
 *
 * A write gdb makes behind the recorder (after going back over history the
 * recorder has already run past) cannot be followed: the recording keeps
 * the run up to where it was, and stops there.
 */
final class GdbRecorder implements TimelineTarget.HistoryListener {
    private final Recorder recorder;
    private final long budget;
    private final PrintWriter err;
    /** Why the recorder's run ended, if it has (null: it follows the debugged run). */
    private ExitKind ended;
    private boolean changed;
    /** What the recorder has still to deliver, by icount: console bytes or gdb's writes. */
    private final Deque<Pending> pending = new ArrayDeque<>();
    private long writesRecorded;

    /** An input for the recorder's machine at its icount: console bytes (write null) or a write from gdb (console null). */
    record Pending(long icount, byte[] console, DebugWrite write) {}

    /** recorder: started; budget: the run's instruction budget. */
    GdbRecorder(Recorder recorder, long budget, PrintWriter err) {
        this.recorder = recorder;
        this.budget = budget;
        this.err = err;
    }

    Recorder recorder() {
        return recorder;
    }

    /** Whether a write from gdb changed the debugged run where the recorder could not follow (it stopped there). */
    boolean changed() {
        return changed;
    }

    /** gdb's writes recorded so far. */
    long writesRecorded() {
        return writesRecorded;
    }

    /** Inputs the debugged run received that the recorder has not yet (ascending icounts, after any already scheduled). */
    void schedule(Pending p) {
        if (!pending.isEmpty() && pending.peekLast().icount() > p.icount()) throw new IllegalArgumentException("inputs out of order");
        pending.addLast(p);
    }

    @Override
    public void reached(long icount) {
        if (ended != null || changed) return;
        deliverUpTo(icount);
        if (ended != null) return;
        runTo(icount);
    }

    @Override
    public void written(DebugWrite w) {
        if (ended != null || changed) return;
        long at = recorder.machine().instructions();
        if (at > w.icount() || (!pending.isEmpty() && pending.peekLast().icount() > w.icount())) {
            changed = true;
            err.printf(Locale.ROOT, "gdb: the write at icount %,d is behind the recording, which has the run to icount %,d: "
                    + "the recording ends there%n", w.icount(), at);
            err.flush();
            return;
        }
        schedule(new Pending(w.icount(), null, w));
        deliverUpTo(w.icount());
    }

    /** Runs to each pending input at or before icount and delivers it. */
    private void deliverUpTo(long icount) {
        while (!pending.isEmpty() && pending.peekFirst().icount() <= icount) {
            Pending p = pending.peekFirst();
            if (!runTo(p.icount())) return;
            pending.removeFirst();
            if (p.console() != null) {
                recorder.machine().sendConsoleInput(p.console());
            } else if (p.write().applyTo(recorder.machine())) {
                writesRecorded++;
            } else {
                // The debugged machine took it at the same state: not reachable unless the runs differ.
                throw new IllegalStateException("the recorder's machine refused gdb's write at icount " + p.icount());
            }
        }
    }

    /** Records on to icount; false (and the end noted) if the run ended first. */
    private boolean runTo(long icount) {
        ExitKind why = recorder.runTo(icount);
        if (why != ExitKind.BUDGET || recorder.machine().instructions() >= budget) {
            ended = why;
            return recorder.machine().instructions() >= icount && why == ExitKind.BUDGET;
        }
        return true;
    }

    /**
     * Ends the recording when the session has: where the recorder's run ended
     * if it has; where the run had been if gdb killed it or a write it could not
     * follow changed it; else (detached, or the debugged run ended) at the end
     * of the run.
     */
    Recorder.Result finish(GdbServer.Outcome outcome) {
        if (ended != null) return recorder.finish(ended);
        if (outcome == GdbServer.Outcome.KILLED || changed) return recorder.finish(ExitKind.CANCELLED);
        return recorder.finish(recorder.runToTheEnd());
    }
}
