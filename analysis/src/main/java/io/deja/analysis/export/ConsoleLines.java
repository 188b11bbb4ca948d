package io.deja.analysis.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns the recorded console bytes into lines: each line with the icount of
 * its first and last byte. "\r\n" ends a line like "\n"; a last line without
 * a newline is kept.
 */
public final class ConsoleLines {
    /** Receives each finished line. */
    public interface Sink {
        void line(int number, long icount, long endIcount, String text);
    }

    private final Sink sink;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private long firstIcount = -1;
    private long lastIcount;
    private int lines;

    public ConsoleLines(Sink sink) {
        this.sink = sink;
    }

    /** Whether the next byte starts a line. */
    public boolean atLineStart() {
        return firstIcount < 0;
    }

    public void add(long icount, int value) {
        if (firstIcount < 0) firstIcount = icount;
        lastIcount = icount;
        if (value == '\n') {
            emit();
        } else {
            buffer.write(value);
        }
    }

    /** Emits a last line that has no newline. */
    public void finish() {
        if (firstIcount >= 0) emit();
    }

    private void emit() {
        byte[] bytes = buffer.toByteArray();
        int n = bytes.length;
        if (n > 0 && bytes[n - 1] == '\r') n--;
        sink.line(++lines, firstIcount, lastIcount, new String(bytes, 0, n, StandardCharsets.UTF_8));
        buffer.reset();
        firstIcount = -1;
    }
}
