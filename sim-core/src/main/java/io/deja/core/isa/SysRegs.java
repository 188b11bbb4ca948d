package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/** SKELETON: the MRS/MSR register map. */
public final class SysRegs {
    private SysRegs() {}

    /** Encoding op0:op1:CRn:CRm:op2 as in bits 20..5 of MRS/MSR; -1 if the name is unknown. */
    public static int byName(String name) {
        return -1;
    }

    public static String name(int encoding) {
        return "S" + encoding;
    }

    /** Host read (no access checks); throws IllegalArgumentException for an unknown register. */
    public static long read(Cpu c, int encoding) {
        throw new IllegalArgumentException("unknown system register " + name(encoding));
    }

    /** Host write (no access checks); throws IllegalArgumentException for an unknown or read-only register. */
    public static void write(Cpu c, int encoding, long value) {
        throw new IllegalArgumentException("unknown system register " + name(encoding));
    }
}
