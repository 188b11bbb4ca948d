package io.deja.replayer;

import io.deja.core.board.Machine;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongSupplier;

/**
 * A guest console seen once on a timeline that goes back and forth: a byte is
 * passed on only the first time the run writes it, that is when the
 * instruction writing it is later than every instruction whose byte was
 * passed on before. Runs are deterministic, so a pass over instructions
 * already seen writes the same bytes again, and they are dropped.
 *
 * One console can serve several machines running the same history (a live
 * run's timeline and the recorder mirroring it): each gets its own
 * {@link #stream()}, bound to its machine with {@link Stream#bind}, and
 * whichever gets to an instruction first shows its byte.
 *
 * The PL011 takes one byte per store, so one instruction writes at most one
 * byte and the instruction count orders them.
 */
public final class FirstPassConsole {
    private final OutputStream out;
    /** The instruction that wrote the last byte passed on; -1 before any. */
    private long shownUpTo = -1;

    public FirstPassConsole(OutputStream out) {
        this.out = out;
    }

    /** A stream for one machine's console: pass it when building the machine, then {@link Stream#bind} it. */
    public Stream stream() {
        return new Stream();
    }

    /** The icount of the last instruction whose byte was shown (-1: none). */
    public synchronized long shownUpTo() {
        return shownUpTo;
    }

    /**
     * The run changed at icount (a debugger's write made a branch there): the
     * bytes instructions from icount on write are the changed run's, shown the
     * first time it writes them even where the run before the change had shown
     * some (those stay shown: they were printed).
     */
    public synchronized void branchedAt(long icount) {
        if (shownUpTo >= icount) shownUpTo = icount - 1;
    }

    private synchronized void write(long icount, int b) throws IOException {
        if (icount <= shownUpTo) return;
        shownUpTo = icount;
        out.write(b);
    }

    private synchronized void flush() throws IOException {
        out.flush();
    }

    /** One machine's console. Until bound it passes nothing on. */
    public final class Stream extends OutputStream {
        private LongSupplier executing;

        private Stream() {}

        /** The machine whose console this is: its executing instruction orders the bytes. */
        public Stream bind(Machine machine) {
            io.deja.core.cpu.Cpu cpu = machine.vcpu().cpu();
            executing = cpu::executingInstruction;
            return this;
        }

        @Override
        public void write(int b) throws IOException {
            if (executing != null) FirstPassConsole.this.write(executing.getAsLong(), b);
        }

        @Override
        public void flush() throws IOException {
            FirstPassConsole.this.flush();
        }
    }
}
