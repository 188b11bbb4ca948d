package io.deja.replayer;

import io.deja.core.board.Machine;
import io.deja.core.board.RunResult;
import io.deja.core.board.StopReason;
import io.deja.core.trace.TraceLevel;
import io.deja.core.trace.TraceSink;

import java.util.function.BooleanSupplier;

/**
 * Runs a rebuilt machine up to an instruction count the way the recording
 * ran: each recorded input delivered when exactly its icount has retired,
 * and the trace level switched where the plan says.
 */
final class Drive {
    private final Machine machine;
    private final InputSchedule inputs;
    private final LevelPlan plan;
    private final TraceSink sink;
    private TraceLevel current;

    Drive(Machine machine, InputSchedule inputs, LevelPlan plan, TraceSink sink) {
        this.machine = machine;
        this.inputs = inputs;
        this.plan = plan;
        this.sink = sink;
    }

    /**
     * Runs until target instructions have retired, the guest stops, or done says so.
     * @return BUDGET_EXHAUSTED when target (or done) was reached, else why the guest stopped
     */
    StopReason runTo(long target, BooleanSupplier done) {
        Machine m = machine;
        for (;;) {
            long now = m.instructions();
            TraceLevel level = plan.at(now);
            if (level != current) {
                m.setTrace(sink, level); // before the inputs: they are events too
                current = level;
            }
            while (inputs.next() == now && !m.isStopped()) m.sendConsoleInput(inputs.take());
            if (inputs.next() < now && !m.isStopped()) {
                throw new IllegalStateException("input recorded at icount " + inputs.next() + " was passed (now " + now + ")");
            }
            if (now >= target || done.getAsBoolean()) return StopReason.BUDGET_EXHAUSTED;
            long stop = Math.min(target, Math.min(inputs.next(), plan.nextChange(now)));
            RunResult r = m.run(stop - now);
            if (r.reason() != StopReason.BUDGET_EXHAUSTED) return r.reason();
        }
    }
}
