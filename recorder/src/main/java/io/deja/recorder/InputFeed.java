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

    /**
     * Whether a person types into this feed while the guest runs (a terminal).
     * The run then also stops when the guest goes idle in WFI and waits for them
     * in host time, instead of running the idle guest's virtual time ahead.
     */
    default boolean interactive() {
        return false;
    }

    /**
     * Blocks until bytes are available, the feed has closed, or {@code nanos}
     * have passed; returns whether bytes are available or the feed closed.
     * Interactive feeds are waited on while the guest idles; a pipe or file
     * once before the first instruction ({@link #FIRST_INPUT_NANOS}).
     */
    default boolean await(long nanos) throws InterruptedException {
        return true;
    }

    InputFeed NONE = new InputFeed() {
        @Override public byte[] poll() { return null; }
        @Override public boolean open() { return false; }
    };

    /**
     * How long the run waits before the first instruction for a pipe or file
     * to yield its first bytes (or end): bytes that are already there when the
     * guest starts are delivered at icount 0, as --input FILE delivers them,
     * rather than at the end of the first slice, which a short guest never
     * reaches (it used to power off with the piped line unread).
     */
    long FIRST_INPUT_NANOS = 250_000_000;

    /** Instructions between polls of a feed that is open. */
    long SLICE = 100_000;

    /** The longest host wait before the stop condition is checked again (Ctrl-C while the guest idles). */
    long STOP_POLL_NANOS = 50_000_000;

    /**
     * Runs the machine until it has retired {@code maxInstructions} in all (or
     * stops for another reason), delivering what the feed has between slices of
     * {@link #SLICE} instructions while it is open: the one loop of deja run and
     * deja record. Returns the last slice's result; {@code stop} ends the run
     * early between slices (as CANCELLED if it ends an idle wait).
     *
     * With an interactive feed, a guest idle in WFI waits in host time
     * ({@link IdlePace}): for input only, if nothing else can wake it;
     * otherwise while its virtual time (which the WFI moved to the next timer
     * deadline) is ahead of the host's clock, until input comes. So idle
     * virtual time passes at about the host's pace and an idle guest costs no
     * host CPU. The host clock only decides where the input lands, and the
     * recording keeps that icount: the replay never looks at a clock.
     */
    static RunResult run(Machine machine, long maxInstructions, InputFeed feed, BooleanSupplier stop) {
        IdlePace pace = new IdlePace(machine);
        if (feed.open() && !feed.interactive()) {
            try {
                feed.await(FIRST_INPUT_NANOS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deliver(machine, feed);
        for (;;) {
            long left = maxInstructions - machine.instructions();
            boolean live = feed.open();
            RunResult r = machine.run(live ? Math.min(left, SLICE) : left, live && feed.interactive());
            boolean idle = r.reason() == ExitKind.WFI;
            // The run stopped at the first WFI that slept: its idle cycles are that sleep.
            if (idle) pace.waitForUser(feed, stop, r.cycles() - r.instructions());
            if (idle) {
                if (stop.getAsBoolean()) return as(r, ExitKind.CANCELLED);
                if (machine.instructions() >= maxInstructions) return as(r, ExitKind.BUDGET);
            } else if (r.reason() != ExitKind.BUDGET || machine.instructions() >= maxInstructions || stop.getAsBoolean()) {
                // Bytes that arrive now stay in the feed, where the caller can count them as unread.
                return r;
            }
            deliver(machine, feed);
        }
    }

    /** Hands what the feed has now to the console (the UART takes it into its receive FIFO as the guest drains it). */
    private static void deliver(Machine machine, InputFeed feed) {
        if (machine.isStopped()) return;
        byte[] typed = feed.poll();
        if (typed != null && typed.length > 0) machine.sendConsoleInput(typed);
    }

    /**
     * Bytes of console input the guest never read: still in the UART (its
     * receive FIFO and the host-side backlog) plus those the feed holds
     * undelivered. For the warning a run prints when it ends with input left.
     */
    static long unread(Machine machine, InputFeed feed) {
        return machine.uart().unreadInput() + feed.held();
    }

    /** Bytes this feed has read from its source and not yet handed out by {@link #poll()} (0 if it cannot tell). */
    default long held() {
        return 0;
    }

    private static RunResult as(RunResult r, ExitKind reason) {
        return new RunResult(reason, r.lastExit(), r.pc(), r.instructions(), r.cycles());
    }
}
