package io.deja.core.trace;

import io.deja.core.cpu.Cpu;

import java.util.Arrays;

/**
 * The per-instruction trace calls, shared by the interpreter's traced loop and
 * by traced blocks (the translator emits calls to these static methods).
 * Register writes are observed as changes: after each instruction the
 * registers (X0-X30, SP, NZCV, FPCR, FPSR and V0-V31) are compared with a
 * shadow copy, so a write of the value a register already held is not
 * reported.
 */
public final class InstructionTrace {
    private InstructionTrace() {}

    /**
     * Before an instruction executes (its cycle not yet counted). An instruction
     * that exited for an MMIO read runs again once the host has the value: it is
     * still one instruction, reported once.
     */
    public static void before(Cpu c, int insn) {
        long icount = c.instructions();
        if (icount == c.traceLastInsn) return;
        c.traceLastInsn = icount;
        c.trace.insn(icount, c.pc, insn);
    }

    /** Where V0-V31 start in the shadow (after X0-X30, SP, NZCV, FPCR, FPSR). */
    private static final int SHADOW_V = 64;

    /** After an instruction executed (its cycle counted): reports every register it changed. */
    public static void after(Cpu c) {
        long[] shadow = c.traceShadow;
        long icount = c.executingInstruction();
        long[] x = c.x;
        for (int r = 0; r < 31; r++) {
            if (x[r] != shadow[r]) {
                shadow[r] = x[r];
                c.trace.regWrite(icount, r, x[r]);
            }
        }
        if (c.sp != shadow[TraceSink.REG_SP]) {
            shadow[TraceSink.REG_SP] = c.sp;
            c.trace.regWrite(icount, TraceSink.REG_SP, c.sp);
        }
        long nzcv = c.nzcv() & 0xFFFF_FFFFL;
        if (nzcv != shadow[TraceSink.REG_NZCV]) {
            shadow[TraceSink.REG_NZCV] = nzcv;
            c.trace.regWrite(icount, TraceSink.REG_NZCV, nzcv);
        }
        if (c.fpcr != shadow[TraceSink.REG_FPCR]) {
            shadow[TraceSink.REG_FPCR] = c.fpcr;
            c.trace.regWrite(icount, TraceSink.REG_FPCR, c.fpcr);
        }
        if (c.fpsr != shadow[TraceSink.REG_FPSR]) {
            shadow[TraceSink.REG_FPSR] = c.fpsr;
            c.trace.regWrite(icount, TraceSink.REG_FPSR, c.fpsr);
        }
        // Most instructions leave V0-V31 alone: one vectorised compare of the 64 longs finds
        // that, and the changed registers when there are some.
        long[] v = c.v;
        int from = 0;
        int k;
        while (from < 64 && (k = Arrays.mismatch(v, from, 64, shadow, SHADOW_V + from, SHADOW_V + 64)) >= 0) {
            int n = (from + k) >>> 1;
            long lo = v[2 * n], hi = v[2 * n + 1];
            shadow[SHADOW_V + 2 * n] = lo;
            shadow[SHADOW_V + 2 * n + 1] = hi;
            c.trace.vregWrite(icount, n, lo, hi);
            from = 2 * n + 2;
        }
    }

    /** Starts register tracking from the current state (nothing is reported for it). */
    public static void resetShadow(Cpu c) {
        long[] shadow = new long[SHADOW_V + 64];
        System.arraycopy(c.x, 0, shadow, 0, 31);
        shadow[TraceSink.REG_SP] = c.sp;
        shadow[TraceSink.REG_NZCV] = c.nzcv() & 0xFFFF_FFFFL;
        shadow[TraceSink.REG_FPCR] = c.fpcr;
        shadow[TraceSink.REG_FPSR] = c.fpsr;
        System.arraycopy(c.v, 0, shadow, SHADOW_V, 64);
        c.traceShadow = shadow;
    }
}
