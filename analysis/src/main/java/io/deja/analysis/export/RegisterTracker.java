package io.deja.analysis.export;

import io.deja.core.trace.TraceSink;

/**
 * The last known value of each register the trace can name, so that a
 * reg_writes row can carry the value it replaced. A checkpoint supplies every
 * register (X0-X30, SP, PC, PSTATE as 34 little-endian longs); each write
 * updates one. Before the first checkpoint nothing is known.
 */
final class RegisterTracker {
    private static final int REGS = 33;
    private static final long NZCV_MASK = 0xF000_0000L;

    private final long[] value = new long[REGS];
    private final boolean[] known = new boolean[REGS];

    /** Takes every register from a checkpoint's regs field (ignored unless it holds 34 values). */
    void checkpoint(byte[] regs) {
        if (regs.length != 34 * 8) return;
        for (int i = 0; i < 32; i++) set(i, littleEndian(regs, i));
        set(TraceSink.REG_NZCV, littleEndian(regs, 33) & NZCV_MASK);
    }

    boolean known(int reg) {
        return reg >= 0 && reg < REGS && known[reg];
    }

    long value(int reg) {
        return value[reg];
    }

    void set(int reg, long v) {
        if (reg < 0 || reg >= REGS) return;
        value[reg] = v;
        known[reg] = true;
    }

    static long littleEndian(byte[] b, int index) {
        long v = 0;
        for (int k = 7; k >= 0; k--) v = v << 8 | (b[index * 8 + k] & 0xFF);
        return v;
    }
}
