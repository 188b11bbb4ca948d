package io.deja.cli;

import io.deja.recorder.InputFeed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Standard input as live console input (--input - of deja run and deja
 * record): a daemon thread reads whatever arrives, the run delivers it before
 * the first instruction if it is already there and then between slices (and a
 * recording keeps the icount, so the replay needs no terminal).
 * From a terminal the feed is interactive: its bytes go through the Ctrl-A
 * escapes first, and the run waits for them while the guest idles.
 */
final class StdinFeed implements InputFeed {
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private final Terminal.EscapeKeys keys;
    private final Thread reader;
    private boolean started;
    private boolean eof;

    /**
     * Standard input: from terminal (raw, with the Ctrl-A escapes, quit ending
     * the run) or, if terminal is null, as it comes.
     */
    static StdinFeed of(Terminal terminal, Runnable quit) {
        return new StdinFeed(System.in, terminal == null ? null : new Terminal.EscapeKeys(quit, terminal.notes()));
    }

    /** Input from a pipe or a file: every byte goes to the guest. */
    StdinFeed(InputStream in) {
        this(in, null);
    }

    /**
     * Reads in from the run's first look at the feed on (so Ctrl-A X finds the
     * run it ends already there).
     * @param keys the escapes of an interactive console, or null
     */
    StdinFeed(InputStream in, Terminal.EscapeKeys keys) {
        this.keys = keys;
        reader = new Thread(() -> read(in), "deja-stdin");
        reader.setDaemon(true);
    }

    private synchronized void start() {
        if (started) return;
        started = true;
        reader.start();
    }

    private void read(InputStream in) {
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                int kept = keys == null ? n : keys.filter(buf, n);
                if (kept > 0) {
                    byte[] chunk = new byte[kept];
                    System.arraycopy(buf, 0, chunk, 0, kept);
                    synchronized (this) {
                        chunks.add(chunk);
                        notifyAll();
                    }
                }
                if (keys != null && keys.quitting()) {
                    keys.quit();
                    return;
                }
            }
        } catch (IOException ignored) {
            // a closed or broken stdin ends the input like EOF
        } finally {
            synchronized (this) {
                eof = true;
                notifyAll();
            }
        }
    }

    @Override
    public synchronized byte[] poll() {
        start();
        if (chunks.isEmpty()) return null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] c; (c = chunks.poll()) != null; ) out.writeBytes(c);
        return out.toByteArray();
    }

    @Override
    public synchronized long held() {
        long n = 0;
        for (byte[] c : chunks) n += c.length;
        return n;
    }

    @Override
    public synchronized boolean open() {
        start();
        return !eof || !chunks.isEmpty();
    }

    @Override
    public boolean interactive() {
        return keys != null;
    }

    @Override
    public synchronized boolean await(long nanos) throws InterruptedException {
        start();
        long until = System.nanoTime() + nanos;
        for (long left = nanos; chunks.isEmpty() && !eof && left > 0; left = until - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return !chunks.isEmpty() || eof;
    }
}
