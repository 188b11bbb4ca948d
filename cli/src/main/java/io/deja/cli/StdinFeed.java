package io.deja.cli;

import io.deja.recorder.InputFeed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Standard input as live console input (--input - of deja run and deja
 * record): a daemon thread reads whatever arrives, the run delivers it between
 * slices (and a recording keeps the icount, so the replay needs no terminal).
 */
final class StdinFeed implements InputFeed {
    private final ConcurrentLinkedQueue<byte[]> chunks = new ConcurrentLinkedQueue<>();
    private volatile boolean eof;

    StdinFeed(InputStream in) {
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    byte[] chunk = new byte[n];
                    System.arraycopy(buf, 0, chunk, 0, n);
                    chunks.add(chunk);
                }
            } catch (IOException ignored) {
                // a closed or broken stdin ends the input like EOF
            } finally {
                eof = true;
            }
        }, "deja-stdin");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public byte[] poll() {
        if (chunks.isEmpty()) return null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] c; (c = chunks.poll()) != null; ) out.writeBytes(c);
        return out.toByteArray();
    }

    @Override
    public boolean open() {
        return !eof || !chunks.isEmpty();
    }
}
