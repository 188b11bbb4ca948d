package io.deja.analysis.export;

import io.deja.core.trace.CheckpointRegisters;
import io.deja.core.trace.TraceSink;

/**
 * The last known value of each register the trace can name, so that a
 * reg_writes or vreg_writes row can carry the value it replaced. A checkpoint
 * supplies every register (see {@link CheckpointRegisters}); each write
 * updates one. Before the first checkpoint nothing is known.
 */
final class RegisterTracker {
    /** reg_writes numbers: X0-X30, SP, NZCV, FPCR, FPSR. */
    private static final int REGS = TraceSink.REG_FPSR + 1;
    private static final long NZCV_MASK = 0xF000_0000L;

    private final long[] value = new long[REGS];
    private final boolean[] known = new boolean[REGS];
    /** V0-V31 as (bits 63:0, bits 127:64) pairs. */
    private final long[] v = new long[64];
    private final boolean[] vKnown = new boolean[32];

    /** Takes every register from a checkpoint's regs field (ignored unless it holds CheckpointRegisters.COUNT values). */
    void checkpoint(byte[] regs) {
        if (regs.length != CheckpointRegisters.COUNT * 8) return;
        for (int i = 0; i < 32; i++) set(i, littleEndian(regs, i));
        set(TraceSink.REG_NZCV, littleEndian(regs, CheckpointRegisters.PSTATE) & NZCV_MASK);
        set(TraceSink.REG_FPCR, littleEndian(regs, CheckpointRegisters.FPCR));
        set(TraceSink.REG_FPSR, littleEndian(regs, CheckpointRegisters.FPSR));
        for (int n = 0; n < 32; n++) {
            setV(n, littleEndian(regs, CheckpointRegisters.V + 2 * n), littleEndian(regs, CheckpointRegisters.V + 2 * n + 1));
        }
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

    boolean vKnown(int n) {
        return n >= 0 && n < 32 && vKnown[n];
    }

    long vLo(int n) {
        return v[2 * n];
    }

    long vHi(int n) {
        return v[2 * n + 1];
    }

    void setV(int n, long lo, long hi) {
        if (n < 0 || n >= 32) return;
        v[2 * n] = lo;
        v[2 * n + 1] = hi;
        vKnown[n] = true;
    }

    static long littleEndian(byte[] b, int index) {
        long v = 0;
        for (int k = 7; k >= 0; k--) v = v << 8 | (b[index * 8 + k] & 0xFF);
        return v;
    }
}
