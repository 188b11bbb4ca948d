package io.deja.core.trace;

import io.deja.core.cpu.Cpu;

/**
 * The registers a checkpoint carries (CHECKPOINT.regs), in one order that the
 * machine writes and the replayer, exporter and diff read: X0-X30, SP, PC,
 * PSTATE, FPCR, FPSR, then V0-V31 as (bits 63:0, bits 127:64) pairs. With
 * them every register's value is known where its writes start being recorded
 * (reg_writes.old and vreg_writes.old_lo/old_hi).
 */
public final class CheckpointRegisters {
    private CheckpointRegisters() {}

    public static final int SP = 31;
    public static final int PC = 32;
    public static final int PSTATE = 33;
    public static final int FPCR = 34;
    public static final int FPSR = 35;
    /** Index of V0's bits 63:0; Vn's are at V + 2n and V + 2n + 1. */
    public static final int V = 36;
    /** Values in a checkpoint's regs. */
    public static final int COUNT = V + 64;

    /** The registers of c in checkpoint order. */
    public static long[] of(Cpu c) {
        long[] r = new long[COUNT];
        System.arraycopy(c.x, 0, r, 0, 31);
        r[SP] = c.sp;
        r[PC] = c.pc;
        r[PSTATE] = c.pstate();
        r[FPCR] = c.fpcr;
        r[FPSR] = c.fpsr;
        System.arraycopy(c.v, 0, r, V, 64);
        return r;
    }

    /** The name of value i: X0-X30, SP, PC, PSTATE, FPCR, FPSR, V0.lo, V0.hi ... V31.hi. */
    public static String name(int i) {
        if (i >= 0 && i < 31) return "X" + i;
        return switch (i) {
            case SP -> "SP";
            case PC -> "PC";
            case PSTATE -> "PSTATE";
            case FPCR -> "FPCR";
            case FPSR -> "FPSR";
            default -> i >= V && i < COUNT ? "V" + (i - V) / 2 + ((i - V) % 2 == 0 ? ".lo" : ".hi") : "R" + i;
        };
    }
}
