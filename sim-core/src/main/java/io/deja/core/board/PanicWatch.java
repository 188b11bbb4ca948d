package io.deja.core.board;

import io.deja.core.state.StateVisitor;
import io.deja.core.state.Stateful;

import java.nio.charset.StandardCharsets;

/**
 * Watches the console for a Linux kernel panic, so that a panicked guest ends
 * the run instead of spinning in panic()'s endless loop.
 *
 * Linux's panic() prints {@code Kernel panic - not syncing: REASON}, then
 * (with the default panic settings) a stack dump, then
 * {@code ---[ end Kernel panic - not syncing: REASON ]---}. The run stops once
 * that end line is complete, or {@link #GRACE} instructions after the first
 * line if it never comes (a kernel built or booted to print less). Both points
 * are guest-determined (console writes are exits at exact instruction counts),
 * so a replay stops where the recording did.
 */
public final class PanicWatch implements Stateful {
    /** Instructions allowed after the panic line for the rest of the message (a stack dump takes a few hundred thousand). */
    public static final long GRACE = 50_000_000L;
    static final String START = "Kernel panic - not syncing";
    static final String END = "---[ end Kernel panic";
    /** Longest console line kept; the rest of a longer line is not looked at. */
    private static final int LINE_MAX = 512;

    private final byte[] line = new byte[LINE_MAX];
    private int length;
    private final byte[] panicLine = new byte[LINE_MAX];
    private int panicLength;
    /** The icount by which the run stops, or -1 while no panic was seen. */
    private long deadline = -1;
    private boolean ended;

    /** One console byte, written by the instruction icount. */
    void console(int b, long icount) {
        if (b == '\n') {
            endLine(icount);
            length = 0;
        } else if (b != '\r' && length < LINE_MAX) {
            line[length++] = (byte) b;
        }
    }

    private void endLine(long icount) {
        if (deadline < 0) {
            int at = indexOf(START);
            if (at >= 0) {
                System.arraycopy(line, at, panicLine, 0, length - at);
                panicLength = length - at;
                deadline = icount + GRACE;
            }
        } else if (indexOf(END) >= 0) {
            ended = true;
        }
    }

    private int indexOf(String pattern) {
        outer:
        for (int i = 0; i + pattern.length() <= length; i++) {
            for (int j = 0; j < pattern.length(); j++) {
                if (line[i + j] != pattern.charAt(j)) continue outer;
            }
            return i;
        }
        return -1;
    }

    /** Whether a panic was seen. */
    public boolean panicked() {
        return deadline >= 0;
    }

    /** Whether the run must stop now, icount instructions having retired. */
    boolean mustStop(long icount) {
        return deadline >= 0 && (ended || icount >= deadline);
    }

    /** The icount by which the run stops (Long.MAX_VALUE while no panic was seen). */
    long deadline() {
        return deadline < 0 ? Long.MAX_VALUE : deadline;
    }

    /** The panic line, from "Kernel panic" on ("" while no panic was seen). */
    public String message() {
        return new String(panicLine, 0, panicLength, StandardCharsets.UTF_8);
    }

    @Override
    public void state(StateVisitor v) {
        length = v.u32("line_length", length);
        v.bytes("line", line);
        panicLength = v.u32("panic_length", panicLength);
        v.bytes("panic_line", panicLine);
        deadline = v.u64("deadline", deadline);
        ended = v.bool("ended", ended);
    }
}
