package io.deja.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress display on standard error for long runs (icount, MIPS,
 * elapsed time), redrawn twice a second. Only when standard error is a
 * terminal and standard output is not (the guest's console would be torn by
 * it): the launcher tells which with -Ddeja.stderr.tty and -Ddeja.stdout.tty.
 * Quiet otherwise, and with --quiet. It reads the icount from another thread
 * for display only: nothing the guest sees depends on it.
 */
final class Progress implements AutoCloseable {
    private static final long PERIOD_MS = 500;
    /** Runs shorter than this show nothing: the line would only flicker (tests shorten it). */
    static volatile long firstDrawMillis = 1000;

    private final Thread thread;
    private final PrintWriter err;
    private volatile boolean done;
    private boolean drawn;

    private Progress(PrintWriter err, LongSupplier icount) {
        this.err = err;
        long start = System.nanoTime();
        thread = new Thread(() -> {
            try {
                Thread.sleep(firstDrawMillis);
                while (!done) {
                    draw(icount.getAsLong(), (System.nanoTime() - start) / 1e9);
                    Thread.sleep(PERIOD_MS);
                }
            } catch (InterruptedException ignored) {
                // closed
            }
        }, "deja-progress");
        thread.setDaemon(true);
    }

    /** A started display, or one that shows nothing when it must stay quiet. */
    static Progress start(PrintWriter err, boolean quiet, LongSupplier icount) {
        Progress p = new Progress(err, icount);
        if (!quiet && wanted()) p.thread.start();
        return p;
    }

    /** Whether standard error is a terminal and standard output is not. */
    static boolean wanted() {
        return "1".equals(System.getProperty("deja.stderr.tty")) && !"1".equals(System.getProperty("deja.stdout.tty"));
    }

    static String line(long icount, double seconds) {
        return String.format(Locale.ROOT, "icount %,d   %s   elapsed %.1f s", icount,
                io.deja.core.board.ExitStatistics.measurable(icount, seconds) ? String.format(Locale.ROOT, "%.1f MIPS", icount / seconds / 1e6) : "— MIPS",
                seconds);
    }

    private synchronized void draw(long icount, double seconds) {
        if (done) return;
        err.print("\r\033[K" + line(icount, seconds));
        err.flush();
        drawn = true;
    }

    /** Stops the display and clears its line, so what follows starts on a clean line. */
    @Override
    public void close() {
        done = true;
        thread.interrupt();
        synchronized (this) {
            if (drawn) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}
