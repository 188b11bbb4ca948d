package io.deja.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress display on standard error for long work (icount, MIPS,
 * elapsed time, and a bar where the end is known, as in a replay), redrawn
 * twice a second from the first second on and cleared at the end. Only when
 * standard error is a terminal, and not when the guest's console goes to the
 * same terminal on standard output (the line would tear it): the launcher
 * tells which with -Ddeja.stderr.tty and -Ddeja.stdout.tty. Quiet otherwise,
 * and with --quiet. It reads the icount from another thread for display
 * only: nothing the guest sees depends on it.
 */
final class Progress implements AutoCloseable {
    private static final long PERIOD_MS = 500;
    /** Work shorter than this shows nothing: the line would only flicker (tests shorten it). */
    static volatile long firstDrawMillis = 1000;

    private final Thread thread;
    private final PrintWriter err;
    private volatile LongSupplier icount;
    private volatile long total;
    private volatile boolean done;
    private boolean drawn;

    private Progress(PrintWriter err) {
        this.err = err;
        long start = System.nanoTime();
        thread = new Thread(() -> {
            try {
                Thread.sleep(firstDrawMillis);
                while (!done) {
                    LongSupplier n = icount;
                    if (n != null) draw(n.getAsLong(), total, (System.nanoTime() - start) / 1e9);
                    Thread.sleep(PERIOD_MS);
                }
            } catch (InterruptedException ignored) {
                // closed
            }
        }, "deja-progress");
        thread.setDaemon(true);
    }

    /**
     * A started display of icount (null: given later by {@link #follow}), or
     * one that shows nothing when it must stay quiet.
     * @param consoleOnStdout whether the guest's console goes to standard output meanwhile
     */
    static Progress start(PrintWriter err, boolean quiet, boolean consoleOnStdout, LongSupplier icount) {
        Progress p = new Progress(err);
        p.icount = icount;
        if (!quiet && wanted(consoleOnStdout)) p.thread.start();
        return p;
    }

    /** Whether standard error is a terminal that standard output's console does not share. */
    static boolean wanted(boolean consoleOnStdout) {
        return "1".equals(System.getProperty("deja.stderr.tty")) && !(consoleOnStdout && "1".equals(System.getProperty("deja.stdout.tty")));
    }

    /** Shows icount from now on, with a bar up to total (0: no bar). */
    void follow(LongSupplier icount, long total) {
        this.total = total;
        this.icount = icount;
    }

    static String line(long icount, long total, double seconds) {
        if (total <= 0) return String.format(Locale.ROOT, "icount %,d   %s   elapsed %.1f s", icount, rate(icount, seconds), seconds);
        int width = 30;
        double done = Math.min(1.0, (double) icount / total);
        int filled = (int) (done * width);
        return String.format(Locale.ROOT, "[%s%s] %3.0f%%   icount %,d of %,d   %s   elapsed %.1f s", "#".repeat(filled), " ".repeat(width - filled),
                done * 100, icount, total, rate(icount, seconds), seconds);
    }

    private static String rate(long icount, double seconds) {
        return io.deja.core.board.ExitStatistics.measurable(icount, seconds) ? String.format(Locale.ROOT, "%.1f MIPS", icount / seconds / 1e6) : "— MIPS";
    }

    private synchronized void draw(long icount, long total, double seconds) {
        if (done) return;
        err.print("\r\033[K" + line(icount, total, seconds));
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
