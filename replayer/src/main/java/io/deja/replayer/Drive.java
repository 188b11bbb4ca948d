package io.deja.replayer;

import io.deja.core.board.Machine;
import io.deja.core.board.RunResult;
import io.deja.core.vm.ExitKind;
import io.deja.core.trace.TraceLevel;
import io.deja.core.trace.TraceSink;

import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Runs a rebuilt machine up to an instruction count the way the recording
 * ran: each recorded input delivered when exactly its icount has retired,
 * the trace level switched where the plan says, and the opening checkpoints
 * emitted where the recording has them.
 */
final class Drive {
    private final Machine machine;
    private final InputSchedule inputs;
    private final LevelPlan plan;
    private final TraceSink sink;
    private final long[] marks;
    private final LongConsumer atMark;
    private int nextMark;
    private TraceLevel current;

    /** A drive with no marks (re-runs that trace nothing of their own, such as a divergence report's). */
    Drive(Machine machine, InputSchedule inputs, LevelPlan plan, TraceSink sink) {
        this(machine, inputs, plan, sink, new long[0], icount -> { });
    }

    /**
     * @param marks  icounts (ascending, distinct) where atMark runs once, after the trace level is
     *               set and before the inputs recorded there: where the opening checkpoints go
     */
    Drive(Machine machine, InputSchedule inputs, LevelPlan plan, TraceSink sink, long[] marks, LongConsumer atMark) {
        this.machine = machine;
        this.inputs = inputs;
        this.plan = plan;
        this.sink = sink;
        this.marks = marks;
        this.atMark = atMark;
    }

    /**
     * Runs until target instructions have retired, the guest stops, or done says so.
     * @return BUDGET_EXHAUSTED when target (or done) was reached, else why the guest stopped
     */
    ExitKind runTo(long target, BooleanSupplier done) {
        Machine m = machine;
        for (;;) {
            long now = m.instructions();
            TraceLevel level = plan.at(now);
            if (level != current) {
                m.setTrace(sink, level); // before the inputs: they are events too
                current = level;
            }
            while (nextMark < marks.length && marks[nextMark] <= now) {
                if (marks[nextMark] == now && !m.isStopped()) atMark.accept(now);
                nextMark++;
            }
            while (inputs.next() == now && !m.isStopped()) inputs.deliver(m);
            if (inputs.next() < now && !m.isStopped()) {
                throw new IllegalStateException("input recorded at icount " + inputs.next() + " was passed (now " + now + ")");
            }
            if (now >= target || done.getAsBoolean()) return ExitKind.BUDGET;
            long stop = Math.min(Math.min(target, inputs.next()), plan.nextChange(now));
            if (nextMark < marks.length) stop = Math.min(stop, marks[nextMark]);
            RunResult r = m.run(stop - now);
            if (r.reason() != ExitKind.BUDGET) return r.reason();
        }
    }
}
