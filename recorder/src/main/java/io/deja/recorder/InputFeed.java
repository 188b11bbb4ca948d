package io.deja.recorder;

import io.deja.core.board.Machine;
import io.deja.core.board.RunResult;
import io.deja.core.vm.ExitKind;

import java.util.function.BooleanSupplier;

/**
 * Console input that arrives while a recording runs (a terminal, a pipe).
 * The recorder polls it between slices of the run and delivers what it got
 * at that instruction count, which the recording keeps: the bytes may arrive
 * at any wall-clock moment, the replay delivers them at the same icount.
 */
public interface InputFeed {
    /** Bytes available now (never blocks), or null if none. */
    byte[] poll();

    /** Whether more bytes may still come (the recorder runs in short slices while this holds). */
    boolean open();

    InputFeed NONE = new InputFeed() {
        @Override public byte[] poll() { return null; }
        @Override public boolean open() { return false; }
    };

    /** Instructions between polls of a feed that is open. */
    long SLICE = 100_000;

    /**
     * Runs the machine until it has retired {@code maxInstructions} in all (or
     * stops for another reason), delivering what the feed has between slices of
     * {@link #SLICE} instructions while it is open: the one loop of deja run and
     * deja record. Returns the last slice's result; {@code stop} ends the run
     * early between slices.
     */
    static RunResult run(Machine machine, long maxInstructions, InputFeed feed, BooleanSupplier stop) {
        for (;;) {
            long left = maxInstructions - machine.instructions();
            RunResult r = machine.run(feed.open() ? Math.min(left, SLICE) : left);
            byte[] typed = feed.poll();
            if (typed != null && typed.length > 0 && !machine.isStopped()) machine.sendConsoleInput(typed);
            if (r.reason() != ExitKind.BUDGET || machine.instructions() >= maxInstructions || stop.getAsBoolean()) return r;
        }
    }
}
