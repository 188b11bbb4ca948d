package io.deja.core.trace;

import io.deja.core.cpu.Cpu;

/**
 * The per-instruction trace calls, shared by the interpreter's traced loop and
 * by traced blocks (the translator emits calls to these static methods).
 * Register writes are observed as changes: after each instruction the
 * registers are compared with a shadow copy, so a write of the value a
 * register already held is not reported.
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
    }

    /** Starts register tracking from the current state (nothing is reported for it). */
    public static void resetShadow(Cpu c) {
        long[] shadow = new long[33];
        System.arraycopy(c.x, 0, shadow, 0, 31);
        shadow[TraceSink.REG_SP] = c.sp;
        shadow[TraceSink.REG_NZCV] = c.nzcv() & 0xFFFF_FFFFL;
        c.traceShadow = shadow;
    }
}
