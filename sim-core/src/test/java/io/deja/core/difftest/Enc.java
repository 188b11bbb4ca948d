package io.deja.core.difftest;

/**
 * Encoders for the handful of instructions the harness and the generator's
 * fix-ups emit directly (Arm ARM C6.2), and patchers for PC-relative fields
 * whose targets are known only once a block is laid out.
 */
final class Enc {
    private Enc() {}

    static final int CLREX = 0xD5033F5F;
    static final int NOP = 0xD503201F;

    static int addImm(int rd, int rn, int imm12, boolean lsl12) {
        return 0x91000000 | (lsl12 ? 1 << 22 : 0) | (imm12 << 10) | (rn << 5) | rd;
    }

    static int subImm(int rd, int rn, int imm12, boolean lsl12) {
        return 0xD1000000 | (lsl12 ? 1 << 22 : 0) | (imm12 << 10) | (rn << 5) | rd;
    }

    static int movz(int rd, int imm16, int hw) {
        return 0xD2800000 | (hw << 21) | (imm16 << 5) | rd;
    }

    static int movn(int rd, int imm16, int hw) {
        return 0x92800000 | (hw << 21) | (imm16 << 5) | rd;
    }

    static int movk(int rd, int imm16, int hw) {
        return 0xF2800000 | (hw << 21) | (imm16 << 5) | rd;
    }

    /** ADR with a zero offset; {@link #patchAdr} fills it in. */
    static int adr(int rd) {
        return 0x10000000 | rd;
    }

    /** LDXRB/LDXRH/LDXR (sizeLog2 0-3) Rt, [Rn]. */
    static int ldxr(int sizeLog2, int rt, int rn) {
        return (sizeLog2 << 30) | 0x085F7C00 | (rn << 5) | rt;
    }

    /** LDXP Wt/Xt (z = 0/1), Rt2, [Rn]. */
    static int ldxp(int z, int rt, int rt2, int rn) {
        return 0x887F0000 | (z << 30) | (rt2 << 10) | (rn << 5) | rt;
    }

    static int b(long from, long to) {
        return 0x14000000 | (int) (((to - from) >> 2) & 0x3FFFFFF);
    }

    /** MRS (read) or MSR (register) for op0:op1:CRn:CRm:op2 and Rt. */
    static int sysreg(boolean read, int op0, int op1, int crn, int crm, int op2, int rt) {
        return 0xD5000000 | (read ? 1 << 21 : 0) | (op0 << 19) | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5) | rt;
    }

    static int sys(int op1, int crn, int crm, int op2, int rt) {
        return 0xD5080000 | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5) | rt;
    }

    /**
     * Emits the shortest fix-up we know that sets Xreg (or SP for reg 31, via
     * X26) to value, using X28 (the scratch base) when value is near it.
     */
    static void setReg(IntList out, int reg, long value, long x28) {
        long d = value - x28;
        if (d >= 0 && d < 4096) {
            out.add(addImm(reg, 28, (int) d, false));
        } else if (d < 0 && d > -4096) {
            out.add(subImm(reg, 28, (int) -d, false));
        } else if (reg == 31) {
            movImm(out, InstructionGenerator.TEMP_A, value);
            out.add(addImm(31, InstructionGenerator.TEMP_A, 0, false));
        } else {
            movImm(out, reg, value);
        }
    }

    /** MOVZ/MOVN followed by the MOVKs value needs. */
    static void movImm(IntList out, int reg, long value) {
        int ones = 0, zeros = 0;
        for (int hw = 0; hw < 4; hw++) {
            int chunk = (int) (value >>> (16 * hw)) & 0xFFFF;
            if (chunk == 0xFFFF) ones++;
            if (chunk == 0) zeros++;
        }
        boolean inverted = ones > zeros;
        int fill = inverted ? 0xFFFF : 0;
        boolean first = true;
        for (int hw = 0; hw < 4; hw++) {
            int chunk = (int) (value >>> (16 * hw)) & 0xFFFF;
            if (chunk == fill) continue;
            if (first) {
                out.add(inverted ? movn(reg, ~chunk & 0xFFFF, hw) : movz(reg, chunk, hw));
                first = false;
            } else {
                out.add(movk(reg, chunk, hw));
            }
        }
        if (first) out.add(inverted ? movn(reg, 0, 0) : movz(reg, 0, 0));
    }

    // ---- PC-relative fields ------------------------------------------------------

    static int patchAdr(int word, long from, long to) {
        long off = to - from;
        return (word & 0x9F00001F) | (int) ((off & 3) << 29) | (int) (((off >> 2) & 0x7FFFF) << 5);
    }

    static int patchImm26(int word, long from, long to) {
        return (word & 0xFC000000) | (int) (((to - from) >> 2) & 0x3FFFFFF);
    }

    static int patchImm19(int word, long from, long to) {
        return (word & 0xFF00001F) | (int) ((((to - from) >> 2) & 0x7FFFF) << 5);
    }

    static int patchImm14(int word, long from, long to) {
        return (word & 0xFFF8001F) | (int) ((((to - from) >> 2) & 0x3FFF) << 5);
    }

    /** A growable int array (fix-up sequences are short; no boxing). */
    static final class IntList {
        private int[] a = new int[8];
        private int n;

        void add(int v) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        int size() { return n; }

        int get(int i) { return a[i]; }

        void set(int i, int v) { a[i] = v; }

        int[] toArray() { return java.util.Arrays.copyOf(a, n); }
    }
}
