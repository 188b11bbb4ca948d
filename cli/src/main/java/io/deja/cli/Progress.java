package io.deja.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress display on standard error for long work (icount, MIPS,
 * elapsed time, and a bar where the end is known, as in a replay; events
 * written or read, seeds tried: whatever the work counts), redrawn
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

    /** The line to show after some seconds of work. */
    interface Source {
        String line(double seconds);
    }

    private final Thread thread;
    private final PrintWriter err;
    private volatile Source source;
    private volatile boolean done;
    private boolean drawn;

    private Progress(PrintWriter err) {
        this.err = err;
        long start = System.nanoTime();
        thread = new Thread(() -> {
            try {
                Thread.sleep(firstDrawMillis);
                while (!done) {
                    Source line = source;
                    if (line != null) draw(line.line((System.nanoTime() - start) / 1e9));
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
        return startLine(err, quiet, consoleOnStdout, icount == null ? null : seconds -> line(icount.getAsLong(), 0, seconds));
    }

    /** A started display of source's line (null: given later by {@link #show}), or one that shows nothing. */
    static Progress startLine(PrintWriter err, boolean quiet, boolean consoleOnStdout, Source source) {
        Progress p = new Progress(err);
        p.source = source;
        if (!quiet && wanted(consoleOnStdout)) p.thread.start();
        return p;
    }

    /** Whether standard error is a terminal that standard output's console does not share. */
    static boolean wanted(boolean consoleOnStdout) {
        return "1".equals(System.getProperty("deja.stderr.tty")) && !(consoleOnStdout && "1".equals(System.getProperty("deja.stdout.tty")));
    }

    /** Shows icount from now on, with a bar up to total (0: no bar). */
    void follow(LongSupplier icount, long total) {
        show(seconds -> line(icount.getAsLong(), total, seconds));
    }

    /** Shows source's line from now on. */
    void show(Source source) {
        this.source = source;
    }

    /** A recording's line: the run's, and the events written so far. */
    static String recordLine(long icount, long events, double seconds) {
        return line(icount, 0, seconds) + String.format(Locale.ROOT, "   events %,d", events);
    }

    /**
     * A reader's line (export, timeline): how far into the recording's
     * instructions the events read have come (a bar up to lastIcount when it
     * is known), and the events read with their rate.
     */
    static String readLine(String what, long icount, long lastIcount, long events, double seconds) {
        String rate = io.deja.core.board.ExitStatistics.measurable(events, seconds)
                ? String.format(Locale.ROOT, "%.1f M events/s", events / seconds / 1e6) : "— events/s";
        String where = String.format(Locale.ROOT, "%s   icount %,d%s   events %,d   %s   elapsed %.1f s",
                what, icount, lastIcount > 0 ? String.format(Locale.ROOT, " of %,d", lastIcount) : "", events, rate, seconds);
        return lastIcount > 0 ? bar(icount, lastIcount) + where : where;
    }

    /** A hunt's line: the seed running, how many of the range are done, and its icount. */
    static String huntLine(long seed, long tried, long seeds, long icount, double seconds) {
        return String.format(Locale.ROOT, "%sseed %d (%,d of %,d tried)   icount %,d   elapsed %.1f s",
                bar(tried, seeds), seed, tried, seeds, icount, seconds);
    }

    private static String bar(long done, long total) {
        int width = 30;
        double fraction = Math.min(1.0, (double) done / total);
        int filled = (int) (fraction * width);
        return String.format(Locale.ROOT, "[%s%s] %3.0f%%   ", "#".repeat(filled), " ".repeat(width - filled), fraction * 100);
    }

    static String line(long icount, long total, double seconds) {
        if (total <= 0) return String.format(Locale.ROOT, "icount %,d   %s   elapsed %.1f s", icount, rate(icount, seconds), seconds);
        return bar(icount, total) + String.format(Locale.ROOT, "icount %,d of %,d   %s   elapsed %.1f s", icount, total, rate(icount, seconds), seconds);
    }

    private static String rate(long icount, double seconds) {
        return io.deja.core.board.ExitStatistics.measurable(icount, seconds) ? String.format(Locale.ROOT, "%.1f MIPS", icount / seconds / 1e6) : "— MIPS";
    }

    private synchronized void draw(String line) {
        if (done) return;
        err.print("\r\033[K" + line);
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
