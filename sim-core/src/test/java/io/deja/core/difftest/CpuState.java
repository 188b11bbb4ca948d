package io.deja.core.difftest;

import java.util.Arrays;

/**
 * The architectural state the two emulators are compared on: PC, X0-X30, the
 * current SP and PSTATE (NZCV, SS, IL, DAIF, EL and SP selection), and V0-V31
 * (all 128 bits, as (low, high) pairs: v[2n], v[2n+1]), FPCR and FPSR.
 * v is null where QEMU does not show the FP registers (it prints "FPU
 * disabled" while CPACR_EL1.FPEN traps the current EL); then only the
 * general state is compared.
 */
record CpuState(long pc, long[] x, long sp, long pstate, long[] v, long fpcr, long fpsr) {
    /** PSTATE bits both emulators define for an ARMv8.0 PE at EL0/EL1. */
    static final long PSTATE_MASK = 0xF03003DFL;

    CpuState {
        if (x.length != 31) throw new IllegalArgumentException("need X0-X30");
        if (v != null && v.length != 64) throw new IllegalArgumentException("need V0-V31 as 64 halves");
        pstate &= PSTATE_MASK;
    }

    CpuState(long pc, long[] x, long sp, long pstate) {
        this(pc, x, sp, pstate, null, 0, 0);
    }

    boolean sameAs(CpuState o) {
        return pc == o.pc && sp == o.sp && pstate == o.pstate && Arrays.equals(x, o.x) && sameFp(o);
    }

    /** V0-V31, FPCR and FPSR agree, or one side does not show them. */
    boolean sameFp(CpuState o) {
        if (v == null || o.v == null) return true;
        return fpcr == o.fpcr && fpsr == o.fpsr && Arrays.equals(v, o.v);
    }

    /** The same state with other general registers and PSTATE, FP state kept. */
    CpuState withGeneral(long[] newX, long newPstate) {
        return new CpuState(pc, newX, sp, newPstate, v, fpcr, fpsr);
    }

    long nzcv() {
        return pstate >>> 28;
    }

    static String pstateText(long p) {
        return String.format("%08x %s%s%s%s %s%s", p,
                (p & 1L << 31) != 0 ? "N" : "-", (p & 1L << 30) != 0 ? "Z" : "-",
                (p & 1L << 29) != 0 ? "C" : "-", (p & 1L << 28) != 0 ? "V" : "-",
                "EL" + ((p >>> 2) & 3), (p & 1) != 0 ? "h" : "t");
    }

    /** "Q05" with its 128 bits as high:low, as QEMU prints them. */
    static String qText(long[] v, int n) {
        return v == null ? "(not shown)" : String.format("%016x:%016x", v[2 * n + 1], v[2 * n]);
    }
}
