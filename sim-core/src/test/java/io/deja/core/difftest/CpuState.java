package io.deja.core.difftest;

import java.util.Arrays;

/**
 * The architectural state the two emulators are compared on: PC, X0-X30, the
 * current SP and PSTATE (NZCV, SS, IL, DAIF, EL and SP selection).
 */
record CpuState(long pc, long[] x, long sp, long pstate) {
    /** PSTATE bits both emulators define for an ARMv8.0 PE at EL0/EL1. */
    static final long PSTATE_MASK = 0xF03003DFL;

    CpuState {
        if (x.length != 31) throw new IllegalArgumentException("need X0-X30");
        pstate &= PSTATE_MASK;
    }

    boolean sameAs(CpuState o) {
        return pc == o.pc && sp == o.sp && pstate == o.pstate && Arrays.equals(x, o.x);
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
}
